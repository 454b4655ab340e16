"""The API table: the builder run on a tiny package with real git tags, and the lookups on it."""

from __future__ import annotations

import difflib
import json
import random
import string
import subprocess
import sys
from pathlib import Path

import pytest
from fluxzoo import julia_api

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_api_table.py"

RELEASES = {
    # v0.1: `old` exported, `Sub` a submodule, `helper` public-less.
    "v0.1.0": {
        "src/Flux.jl": 'module Flux\nexport old, Dense\ninclude("layers.jl")\n'
        "old(x) = x\nhelper(x) = x\nmodule Sub\nexport inner\ninner() = 1\nend\nend\n",
        "src/layers.jl": "struct Dense end\n",
    },
    # v0.2: `old` deprecated in favour of `new`, `ADAM` a deprecated binding.
    "v0.2.3": {
        "src/Flux.jl": 'module Flux\nexport old, new, Dense\ninclude("layers.jl")\n'
        "new(x) = x\n@deprecate old(x) new(x)\nconst Adam = 1\n"
        "Base.@deprecate_binding ADAM Adam\nfunction gone()\n"
        '    Base.depwarn("gone() is deprecated, use `new()` instead", :gone)\nend\nend\n',
        "src/layers.jl": "struct Dense end\n",
    },
    # v0.3: `old`, `ADAM`, `Sub` removed.
    "v0.3.0": {
        "src/Flux.jl": "module Flux\nexport new, Dense\npublic withgradient\n"
        'include("layers.jl")\nnew(x) = x\nwithgradient(f, x) = f(x)\nend\n',
        "src/layers.jl": "struct Dense end\n",
    },
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> dict:
    root = tmp_path_factory.mktemp("mirror")
    repo = root / "FluxML+Flux.jl" / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    for tag, files in RELEASES.items():
        for rel, text in files.items():
            (repo / rel).parent.mkdir(parents=True, exist_ok=True)
            (repo / rel).write_text(text, encoding="utf-8")
        git(repo, "add", "-A")
        git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", tag)
        git(repo, "tag", tag)
    out = root / "api.jsonl"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--mirror", str(root), "--only", "Flux", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return julia_api.loads(out.read_text(encoding="utf-8"))


def test_an_untagged_standard_library_is_read_at_its_newest_commit(tmp_path: Path) -> None:
    """LinearAlgebra.jl is versioned with Julia and has no tags: the version is its
    Project.toml's, the commit its newest, and no tag is recorded."""
    repo = tmp_path / "JuliaLang+LinearAlgebra.jl" / "repo"
    (repo / "src").mkdir(parents=True)
    git(repo, "init", "-q")
    (repo / "Project.toml").write_text('name = "LinearAlgebra"\nversion = "1.14.0"\n')
    (repo / "src/LinearAlgebra.jl").write_text(
        "module LinearAlgebra\nexport norm\nnorm(x) = x\nend\n"
    )
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "one")
    out = tmp_path / "api.jsonl"
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--mirror", str(tmp_path), "--only", "LinearAlgebra",
         "--out", str(out)],
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    built = julia_api.loads(out.read_text(encoding="utf-8"))
    head = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()
    versions = built["packages"]["LinearAlgebra"]["versions"]
    assert versions == [{"version": "1.14", "tag": "", "commit": head}]
    assert built["modules"]["LinearAlgebra"]["names"]["norm"] == {"e": "1.14", "r": "1.14"}


def _one_release(mirror: Path, repository: str, files: dict[str, str]) -> None:
    repo = mirror / repository.replace("/", "+") / "repo"
    repo.mkdir(parents=True)
    git(repo, "init", "-q")
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "v1.0.0")
    git(repo, "tag", "v1.0.0")


def test_a_module_whose_exports_were_not_all_read_says_so(tmp_path: Path) -> None:
    """Plots' `@init_backend` writes `export`s, Images re-exports packages the table does not
    read, DataFrames loads some with `using`: the table marks each, and the rules then make
    no claim from a name's absence (a typo, a removal)."""
    _one_release(tmp_path, "JuliaPlots/Plots.jl", {  # a macro of its own exports
        "src/Plots.jl": "module Plots\nexport plot\nmacro shorthand(f)\n"
        "    :(export $(esc(f)))\nend\n@shorthand scatter\nplot() = 1\nend\n",
    })  # fmt: skip
    _one_release(tmp_path, "JuliaImages/Images.jl", {  # re-exports what is not read
        "src/Images.jl": "module Images\nusing Reexport\n@reexport using ImageCore\nend\n",
    })  # fmt: skip
    _one_release(tmp_path, "JuliaData/DataFrames.jl", {  # `using` of what is not read
        "src/DataFrames.jl": 'module DataFrames\nusing Tables\ninclude(joinpath("abstract", '
        '"rows.jl"))\nend\n',
        "src/abstract/rows.jl": "export nrow\nnrow(df) = 0\n",
    })  # fmt: skip
    out = tmp_path / "api.jsonl"
    only = ["--only", "Plots", "--only", "Images", "--only", "DataFrames"]
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--mirror", str(tmp_path), *only, "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    modules = julia_api.loads(out.read_text(encoding="utf-8"))["modules"]
    flags = {m: (e["complete"], e.get("exports_known", True)) for m, e in modules.items()}
    assert flags == {"Plots": (False, False), "Images": (False, False), "DataFrames": (False, True)}
    # `include(joinpath(...))` of literal parts is followed.
    assert modules["DataFrames"]["names"]["nrow"] == {"e": "1.0", "r": "1.0"}


@pytest.fixture
def lookups(table: dict, monkeypatch: pytest.MonkeyPatch):
    """`julia_api` answering from the built table instead of the shipped one."""
    monkeypatch.setattr(
        julia_api, "_table", lambda: julia_api._Table(table["packages"], table["modules"])
    )
    julia_api.forget()
    yield julia_api
    julia_api.forget()


def test_the_table_records_where_each_version_came_from(table: dict) -> None:
    flux = table["packages"]["Flux"]
    assert flux["repository"] == "FluxML/Flux.jl"
    assert [(v["version"], v["tag"]) for v in flux["versions"]] == [
        ("0.1", "v0.1.0"),
        ("0.2", "v0.2.3"),
        ("0.3", "v0.3.0"),
    ]
    assert all(len(v["commit"]) == 40 for v in flux["versions"])


def test_lookups_follow_the_releases(lookups) -> None:
    api = lookups
    assert api.exported("Flux", "old", "0.1") and not api.reachable("Flux", "old", "0.3")
    assert api.removed_in("Flux", "old", "0.3") == "0.3"
    assert api.removed_in("Flux", "old", "0.2") is None
    assert api.deprecation("Flux", "ADAM", "0.2") == "Adam"
    assert api.deprecation("Flux", "old", "0.2") is not None
    assert "new()" in (api.deprecation("Flux", "gone", "0.2") or "")
    assert api.deprecation("Flux", "new", "0.2") is None
    assert api.reachable("Flux", "Dense", "0.1") and api.reachable("Flux", "Dense", "0.3")
    assert api.reachable("Flux.Sub", "inner", "0.1") and api.is_module("Flux.Sub")
    assert api.info("Flux", "withgradient").public == ("0.3",)
    assert api.nearest("Flux", "withgradeint", "0.3") == "withgradient"
    assert api.nearest("Flux", "zzz", "0.3") is None
    assert api.newest("Flux") == "0.3" and api.minor_of("0.2.3") == "0.2"
    assert api.exports("Flux", "0.3") == frozenset({"new", "Dense"})


def test_the_shipped_table_knows_the_facts_the_rules_rely_on() -> None:
    """Flux v0.16.11 src/deprecations.jl (reset!, params), v0.13.17 (ADAM, Data)."""
    assert julia_api.deprecation("Flux", "reset!", "0.16") is not None
    assert julia_api.deprecation("Flux", "params", "0.16") is not None
    assert julia_api.deprecation("Flux", "ADAM", "0.13") == "Adam"
    assert julia_api.removed_in("Flux", "Data", "0.16") == "0.14"
    assert julia_api.removed_in("Flux", "@epochs", "0.16") == "0.14"
    assert julia_api.origin_deprecation("Flux", "ADAM", "0.16") == ("Optimisers", "Adam")


def test_the_shipped_table_is_a_line_per_module_decoded_when_asked() -> None:
    text = (julia_api.data_dir() / julia_api.FILENAME).read_text(encoding="utf-8")
    head, *lines = text.splitlines()
    assert json.loads(head)["format"] == julia_api.FORMAT
    assert julia_api.dumps(julia_api.loads(text)) == text  # the form the builder writes
    modules = julia_api._Modules([line.encode("utf-8") for line in lines])
    assert len(modules) == len(lines) and "Flux.Optimise" in modules and "Nope" not in modules
    assert modules._decoded == {}
    assert modules["Flux"]["package"] == "Flux" and "module" not in modules["Flux"]
    assert list(modules._decoded) == ["Flux"]


def test_a_line_separator_inside_a_string_does_not_split_a_record() -> None:
    table = {"format": julia_api.FORMAT, "packages": {}, "modules": {
        "M": {"package": "M", "names": {"x": {"r": "1.0"}}, "deprecated": {
            "x": {"versions": "1.0", "use": "y\u2028z"}}},
    }}  # fmt: skip
    assert julia_api.loads(julia_api.dumps(table)) == table


def test_the_name_index_answers_as_difflib_does() -> None:
    """`NameIndex` skips candidates by length only where difflib's ratio cannot reach the
    cutoff: on typos of real names, random words and edge cases it picks what difflib picks."""
    candidates = sorted(julia_api.ever_exports("Base") | julia_api.ever_exports("Flux"))
    rng = random.Random(7)
    queries = ["", "x", "reluu", "withgradeint", "tanhh", "Dens", "softmaxx"]
    for word in rng.sample(candidates, 150):
        i = rng.randrange(len(word))
        queries.append(word[:i] + rng.choice(string.ascii_lowercase) + word[i + 1 :])
    queries += [
        "".join(rng.choices(string.ascii_lowercase, k=rng.randint(1, 12))) for _ in range(50)
    ]
    index = julia_api.NameIndex(candidates)
    expected = [
        (difflib.get_close_matches(q, candidates, n=1, cutoff=0.8) or [None])[0] for q in queries
    ]
    assert [index.nearest(q) for q in queries] == expected
    assert sum(e is not None for e in expected) > 100  # the typos are found, not just the misses
