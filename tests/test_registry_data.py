"""The Julia package table: the shipped data, the lookups over it, and the script that builds it."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import uuid as uuidlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from fluxzoo import registry
from fluxzoo.errors import FluxzooError
from fluxzoo.kinds import KINDS

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "scripts" / "build_registry_table.py"
DATA = ROOT / "generator" / "fluxzoo" / "data" / registry.FILENAME


@pytest.fixture(scope="module")
def shipped() -> dict:
    return json.loads(DATA.read_text(encoding="utf-8"))


def test_shipped_table_is_canonical_json(shipped: dict) -> None:
    # Sorted keys and a fixed layout keep regenerations reviewable as small diffs.
    text = DATA.read_text(encoding="utf-8")
    assert text == json.dumps(shipped, indent=1, sort_keys=True, ensure_ascii=False) + "\n"
    assert set(shipped) == {"provenance", "packages", "stdlibs"}


def test_provenance_names_registry_commits_and_date(shipped: dict) -> None:
    prov = shipped["provenance"]
    assert prov["source"] == "https://github.com/JuliaRegistries/General"
    assert prov["date"] == "2026-12-02"
    assert prov["commits"], "no registry commit recorded"
    assert all(re.fullmatch(r"[0-9a-f]{40}", c) for c in prov["commits"])


def test_every_uuid_is_a_canonical_uuid(shipped: dict) -> None:
    uuids = [e["uuid"] for e in shipped["packages"].values()] + list(shipped["stdlibs"].values())
    for value in uuids:
        assert str(uuidlib.UUID(value)) == value


def test_no_two_names_share_a_uuid(shipped: dict) -> None:
    owners: dict[str, set[str]] = {}
    for name, entry in shipped["packages"].items():
        owners.setdefault(entry["uuid"], set()).add(name)
    for name, value in shipped["stdlibs"].items():
        owners.setdefault(value, set()).add(name)
    assert {u: n for u, n in owners.items() if len(n) > 1} == {}


def test_every_latest_is_a_semantic_version(shipped: dict) -> None:
    for name, entry in shipped["packages"].items():
        assert re.fullmatch(r"\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?", entry["latest"]), name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Flux", "587475ba-b771-5e3f-ad9e-33799f191a9c"),
        ("Optimisers", "3bd65402-5787-11e9-1adc-39752487f4e2"),
        ("ChainRulesCore", "d360d2e6-b24c-11e9-a2a3-2a2ae2dbcce4"),
        ("Test", "8dfed614-e22c-5e08-85e1-65c5234f0b40"),
        ("Statistics", "10745b16-79ce-11e8-11f9-7d13ad32a3b2"),
        ("Nonexistent", None),
    ],
)
def test_uuid(name: str, expected: str | None) -> None:
    assert registry.uuid(name) == expected


def test_flux_is_current() -> None:
    assert registry.latest("Flux").startswith("0.16.")
    assert registry.compat_bound("Flux") == "0.16"


def test_every_kind_dependency_is_known() -> None:
    names = {n for kind in KINDS.values() for n in (*kind.deps, *kind.test_deps)}
    assert {n for n in names if not registry.known(n)} == set()


@pytest.mark.parametrize(
    ("name", "stdlib"),
    [("Test", True), ("Random", True), ("Statistics", True), ("Flux", False), ("Nope", False)],
)
def test_is_stdlib(name: str, stdlib: bool) -> None:
    assert registry.is_stdlib(name) is stdlib


@pytest.fixture
def small_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    table = {
        "provenance": {"source": "test", "commits": [], "date": "2026-11-25"},
        "packages": {
            "Zero": {"uuid": "00000000-0000-4000-8000-000000000001", "latest": "0.16.5"},
            "One": {"uuid": "00000000-0000-4000-8000-000000000002", "latest": "1.2.3"},
            "Pre": {"uuid": "00000000-0000-4000-8000-000000000003", "latest": "2.0.0-rc1"},
            "Gone": {"uuid": "00000000-0000-4000-8000-000000000004", "latest": None},
            "Statistics": {"uuid": "10745b16-79ce-11e8-11f9-7d13ad32a3b2", "latest": "1.11.1"},
        },
        "stdlibs": {"Statistics": "10745b16-79ce-11e8-11f9-7d13ad32a3b2"},
    }
    (tmp_path / registry.FILENAME).write_text(json.dumps(table), encoding="utf-8")
    monkeypatch.setattr(registry, "data_dir", lambda: tmp_path)
    registry._table.cache_clear()
    yield
    registry._table.cache_clear()


@pytest.mark.parametrize(
    ("name", "bound"),
    [("Zero", "0.16"), ("One", "1.2"), ("Pre", "2.0"), ("Statistics", "1")],
)
def test_compat_bound(small_table: None, name: str, bound: str) -> None:
    assert registry.compat_bound(name) == bound


def test_compat_bound_of_unknown_package_names_it(small_table: None) -> None:
    with pytest.raises(FluxzooError, match=r"unknown Julia package 'Flxu'"):
        registry.compat_bound("Flxu")


def test_compat_bound_without_release_says_so(small_table: None) -> None:
    assert registry.known("Gone")
    with pytest.raises(FluxzooError, match="no usable release"):
        registry.compat_bound("Gone")


def test_table_is_read_once(small_table: None, tmp_path: Path) -> None:
    assert registry.latest("Zero") == "0.16.5"
    (tmp_path / registry.FILENAME).write_text("not json", encoding="utf-8")
    assert registry.latest("One") == "1.2.3"


# --- the build script, on a registry tree made here -------------------------------------


def _package(root: Path, name: str, uuid: str, versions: str | None) -> None:
    folder = root / name[0].upper() / name
    folder.mkdir(parents=True)
    (folder / "Package.toml").write_text(
        f'name = "{name}"\nuuid = "{uuid}"\nrepo = "https://example.org/{name}.jl.git"\n',
        encoding="utf-8",
    )
    if versions is not None:
        (folder / "Versions.toml").write_text(versions, encoding="utf-8")


def _tree(v: str, yanked: bool = False) -> str:
    return f'["{v}"]\ngit-tree-sha1 = "{"0" * 40}"\n' + ("yanked = true\n" if yanked else "") + "\n"


def _run(*args: str | Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), *map(str, args)], capture_output=True, text=True, check=False
    )


@pytest.fixture
def fixture_registry(tmp_path: Path) -> Path:
    root = tmp_path / "General"
    # 0.10.0 must beat 0.9.9 (numeric, not string order); the yanked 0.11.0 must be skipped.
    _package(
        root,
        "Flux",
        "587475ba-b771-5e3f-ad9e-33799f191a9c",
        _tree("0.9.9") + _tree("0.10.0") + _tree("0.11.0", yanked=True),
    )
    # A prerelease never wins over a release, even a newer one...
    _package(
        root,
        "Bleeding",
        "11111111-1111-4111-8111-111111111111",
        _tree("1.4.2") + _tree("2.0.0-rc.1"),
    )
    # ...but is used when nothing else is left; rc.10 sorts after rc.2.
    _package(
        root,
        "OnlyPre",
        "22222222-2222-4222-8222-222222222222",
        _tree("0.1.0-rc.2") + _tree("0.1.0-rc.10") + _tree("0.0.9", yanked=True),
    )
    _package(root, "AllYanked", "33333333-3333-4333-8333-333333333333", _tree("1.0.0", yanked=True))
    _package(root, "NoVersions", "44444444-4444-4444-8444-444444444444", None)
    return root


def test_build_script_reads_a_registry_tree(fixture_registry: Path, tmp_path: Path) -> None:
    out = tmp_path / "out" / "table.json"
    result = _run(
        "--registry",
        fixture_registry,
        "--out",
        out,
        "--date",
        "2026-11-25",
        "--commit",
        "b" * 40,
        "--commit",
        "a" * 40,
        "--commit",
        "b" * 40,
    )
    assert result.returncode == 0, result.stderr
    table = json.loads(out.read_text(encoding="utf-8"))
    assert table["packages"] == {
        "AllYanked": {"uuid": "33333333-3333-4333-8333-333333333333", "latest": None},
        "Bleeding": {"uuid": "11111111-1111-4111-8111-111111111111", "latest": "1.4.2"},
        "Flux": {"uuid": "587475ba-b771-5e3f-ad9e-33799f191a9c", "latest": "0.10.0"},
        "NoVersions": {"uuid": "44444444-4444-4444-8444-444444444444", "latest": None},
        "OnlyPre": {"uuid": "22222222-2222-4222-8222-222222222222", "latest": "0.1.0-rc.10"},
    }
    assert table["provenance"] == {
        "source": "https://github.com/JuliaRegistries/General",
        "commits": ["a" * 40, "b" * 40],
        "date": "2026-11-25",
    }
    assert table["stdlibs"]["Test"] == "8dfed614-e22c-5e08-85e1-65c5234f0b40"
    assert "DelimitedFiles" not in table["stdlibs"]  # a General package since Julia 1.9
    assert list(table) == sorted(table)


def test_build_script_output_is_deterministic(fixture_registry: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "1.json", tmp_path / "2.json"
    for out in (first, second):
        result = _run("--registry", fixture_registry, "--out", out, "--date", "2026-11-25")
        assert result.returncode == 0, result.stderr
    assert first.read_bytes() == second.read_bytes()


def test_build_script_reports_uuid_disagreements(fixture_registry: Path, tmp_path: Path) -> None:
    reference = tmp_path / "reference.json"
    reference.write_text(
        json.dumps(
            {
                "Flux": "587475ba-b771-5e3f-ad9e-33799f191a9c",
                "Bleeding": "99999999-9999-4999-8999-999999999999",
                "Test": "8dfed614-e22c-5e08-85e1-65c5234f0b40",
                "Unlisted": "88888888-8888-4888-8888-888888888888",
            }
        ),
        encoding="utf-8",
    )
    result = _run(
        "--registry",
        fixture_registry,
        "--out",
        tmp_path / "t.json",
        "--date",
        "2026-11-25",
        "--cross-check",
        reference,
    )
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        "uuid differs: Bleeding: 11111111-1111-4111-8111-111111111111 here, "
        "99999999-9999-4999-8999-999999999999 in the reference table"
    ]


def test_build_script_refuses_a_missing_registry(tmp_path: Path) -> None:
    out = tmp_path / "t.json"
    result = _run("--registry", tmp_path / "nowhere", "--out", out, "--date", "2026-11-25")
    assert result.returncode == 2
    assert "no such directory" in result.stderr
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_build_script_refuses_a_bad_version(tmp_path: Path) -> None:
    root = tmp_path / "General"
    _package(root, "Odd", "55555555-5555-4555-8555-555555555555", _tree("1.0"))
    result = _run("--registry", root, "--out", tmp_path / "t.json", "--date", "2026-11-25")
    assert result.returncode == 2
    assert "not a semantic version: '1.0'" in result.stderr


def test_every_kind_gets_the_policy_bound_and_it_is_the_lowest_that_works() -> None:
    """Each bound admits Julia 1.10 and Flux 0.16 both ways; the release before it does not."""
    import json as _json

    from fluxzoo import answers, projectfile, versionspec

    kinds = _json.loads((ROOT / "template" / "cookiecutter.json").read_text())["kind"]
    assert set(kinds) <= set(KINDS)
    for kind in kinds:
        resolved = answers.resolve({"kind": kind, "created": "2026-12-02"})
        compat = projectfile.from_answers(resolved)["compat"]
        packages = sorted(n for n in compat if n != "julia")
        for name in packages:
            expected = registry.compat_bound(
                name, deps=packages, bounds={"Flux": resolved["flux_version"]}, julia="1.10"
            )
            assert compat[name] == (resolved["flux_version"] if name == "Flux" else expected)
    # The cases the review named (Metalhead 0.9.0-0.9.4 need Flux 0.13/0.14).
    tl = projectfile.from_answers(answers.resolve({"kind": "transfer_learning"}))["compat"]
    assert tl["Metalhead"] == "0.9.5"
    assert registry.versions("Metalhead")["0.9.4"]["compat"]["Flux"] == "0.13.16, 0.14"
    ms = projectfile.from_answers(answers.resolve({"kind": "model_serving"}))["compat"]
    assert (ms["JSON"], ms["HTTP"]) == ("1", "2")
    assert versionspec.admits("0.9.5", (0, 9, 6)) and not versionspec.admits("0.9.5", (0, 10, 0))
    assert versionspec.admits("1", (1, 26, 1)) and not versionspec.admits("~1.2", (1, 3, 0))


def test_flux_needs_an_nnlib_the_table_knows() -> None:
    need = registry.versions("Flux")["0.16.11"]["compat"]["NNlib"]
    assert need == "0.9.42"
    from fluxzoo import versionspec

    assert versionspec.admits(need, versionspec.parse_version(registry.latest("NNlib") or ""))


# --- --tags: per-version data from a package's own release tags ---------------------------


def _git(repo: Path, *args: str) -> None:
    who = {f"GIT_{role}_{key}": value for role in ("AUTHOR", "COMMITTER")
           for key, value in (("NAME", "t"), ("EMAIL", "t@example.org"))}  # fmt: skip
    env = {**who, "GIT_CONFIG_GLOBAL": "/dev/null", "GIT_CONFIG_NOSYSTEM": "1"}
    env["PATH"] = "/usr/bin:/bin"
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def _release(repo: Path, path: str, name: str, uuid: str, version: str, tag: str, compat: str):
    file = repo / path
    file.parent.mkdir(parents=True, exist_ok=True)
    file.write_text(
        f'name = "{name}"\nuuid = "{uuid}"\nversion = "{version}"\n\n'
        f'[deps]\nFlux = "587475ba-b771-5e3f-ad9e-33799f191a9c"\n\n'
        f'[compat]\nFlux = "{compat}"\njulia = "1.10"\n',
        encoding="utf-8",
    )
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", tag)
    _git(repo, "tag", tag)


GNN_UUID = "cffab07f-9bc2-4db1-8861-388f63bf7694"


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A package first tagged at the root (`v0.6.0`), then moved into a subdirectory of a
    repository of several packages and tagged `<Name>-vX.Y.Z`, as GraphNeuralNetworks.jl was."""
    repo = tmp_path / "repo"
    repo.mkdir()
    _git(repo, "init", "-q")
    _release(repo, "Project.toml", "GraphNeuralNetworks", GNN_UUID, "0.6.0", "v0.6.0", "0.14")
    (repo / "Project.toml").unlink()
    _release(repo, "GraphNeuralNetworks/Project.toml", "GraphNeuralNetworks", GNN_UUID, "1.0.0",
             "GraphNeuralNetworks-v1.0.0", "0.16.0")  # fmt: skip
    # Another package's tag in the same repository, and a tag whose version does not match.
    _release(repo, "GNNlib/Project.toml", "GNNlib", "a6a84749-d869-43f8-aacc-be26a1996e48",
             "1.0.0", "GNNlib-v1.0.0", "0.16")  # fmt: skip
    _git(repo, "tag", "GraphNeuralNetworks-v9.9.9")
    return repo


def test_tags_read_root_and_subdirectory_releases_and_add_a_new_package(
    monorepo: Path, tmp_path: Path
) -> None:
    base = tmp_path / "base.json"
    base.write_text(DATA.read_text(encoding="utf-8").replace("GraphNeuralNetworks", "Absent"))
    out = tmp_path / "out.json"
    result = _run("--base", base, "--out", out, "--date", "2026-12-02",
                  "--tags", f"GraphNeuralNetworks={monorepo / '.git'}")  # fmt: skip
    assert result.returncode == 0, result.stderr
    table = json.loads(out.read_text(encoding="utf-8"))
    entry = table["packages"]["GraphNeuralNetworks"]
    assert entry["uuid"] == GNN_UUID
    assert entry["latest"] == "1.0.0"
    assert sorted(entry["versions"]) == ["0.6.0", "1.0.0"]
    assert entry["versions"]["1.0.0"]["compat"] == {"Flux": "0.16.0"}
    assert entry["versions"]["0.6.0"]["julia"] == "1.10"
    notes = table["provenance"]["packages"]["GraphNeuralNetworks"]
    assert notes["uuid"] == "from the Project.toml at its release tags"
    assert notes["versions"].startswith("Project.toml at the release tags")


def test_tags_refuse_a_uuid_that_disagrees_with_the_table(monorepo: Path, tmp_path: Path) -> None:
    base = tmp_path / "base.json"
    base.write_text(DATA.read_text(encoding="utf-8").replace(GNN_UUID, "0" * 8 + GNN_UUID[8:]))
    out = tmp_path / "out.json"
    result = _run("--base", base, "--out", out, "--date", "2026-12-02",
                  "--tags", f"GraphNeuralNetworks={monorepo / '.git'}")  # fmt: skip
    assert result.returncode == 2
    assert "uuid cffab07f-" in result.stderr and "Traceback" not in result.stderr
    assert not out.exists()


def test_the_shipped_table_knows_graphneuralnetworks_from_its_tags() -> None:
    # GraphNeuralNetworks v1.0.0 is the first release for Flux 0.16 ("0.16.0"); 0.6.x need 0.14.
    assert registry.versions("GraphNeuralNetworks")["1.0.0"]["compat"]["Flux"] == "0.16.0"
    assert registry.versions("GraphNeuralNetworks")["0.6.23"]["compat"]["Flux"] == "0.14"
    assert registry.compat_bound("GraphNeuralNetworks", bounds={"Flux": "0.16"}) == "1"
