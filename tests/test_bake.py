"""Baking the template: every kind and option, plain cookiecutter, and answers as pure data."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from itertools import cycle
from pathlib import Path

import pytest
from docs_page import about
from fluxzoo import _paths, answers, registry, render, sync
from fluxzoo.cli import main
from fluxzoo.errors import ValidationError
from fluxzoo.julia_syntax import imported_packages
from fluxzoo.kinds import KINDS
from fluxzoo.metadata import tomllib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from strategies import answer_text

CONFIG = answers.template_config()
CHOICES = {k: v for k, v in CONFIG.items() if isinstance(v, list) and not k.startswith("_")}
GPU_PACKAGES = {"CUDA": "CUDA, cuDNN", "AMDGPU": "AMDGPU", "Metal": "Metal"}
HARDWARE = [("cpu", None)] + [
    (h, b) for h in ("gpu-optional", "gpu-required") for b in CHOICES["gpu_backend"]
]


def _matrix() -> list[dict[str, str]]:
    """A covering subset of the choice variables: every value of each at least once.

    The full product (5 categories x 10 kinds x 3 difficulties x 7 hardware/backend pairs x 4
    flavors = 4,200 bakes) would add nothing: category and difficulty only reach
    tutorial.toml, the docs flavor only reaches the derived page (the conversion has its own
    tests), and kinds do not interact with the others except through the GPU note. So each kind
    is baked once, while the other variables cycle, in CCDS's manner, over the 10 rows; the
    hardware/backend pairs (the one interaction) all appear, as every category, difficulty
    and flavor does.
    """
    rows = []
    columns = {
        "category": cycle(CHOICES["category"]),
        "difficulty": cycle(CHOICES["difficulty"]),
        "docs_flavor": cycle(CHOICES["docs_flavor"]),
        "hardware": cycle(HARDWARE),
    }
    for kind in CHOICES["kind"]:
        row = {"kind": kind, **{k: next(v) for k, v in columns.items() if k != "hardware"}}
        row["hardware"], backend = next(columns["hardware"])
        if backend:
            row["gpu_backend"] = backend
        rows.append(row)
    return rows


MATRIX = _matrix()


def test_the_matrix_covers_every_choice():
    for name, values in CHOICES.items():
        assert {row.get(name) for row in MATRIX} >= set(values), name
    assert {(row["hardware"], row.get("gpu_backend")) for row in MATRIX} == set(HARDWARE)


FLAVOR_PAGE = {"documenter": ".md", "quarto": ".qmd"}
"""The flavors whose page is a file of its own: README.md is CommonMark (what GitHub shows)."""


def _expected_files(slug: str, flavor: str) -> set[str]:
    page = {slug + FLAVOR_PAGE[flavor]} if flavor in FLAVOR_PAGE else set()
    return page | {
        f"{slug}.jl",
        f"{slug}.ipynb",
        "README.md",
        "Project.toml",
        "tutorial.toml",
        "test/runtests.jl",
        ".gitignore",
    }


def _new(out: Path, given: dict[str, str]) -> Path:
    sets = [arg for k, v in given.items() for arg in ("--set", f"{k}={v}")]
    assert main(["new", "--no-input", "--output-dir", str(out), *sets]) == 0
    return out / answers.resolve(given)["slug"]


ABOUT_ANSWERS = {
    "author_name": "Ada Tester",
    "author_email": "ada@example.org",
    "references": "https://arxiv.org/abs/1706.03762, https://example.org/a_b?x=[1]",
}
"""Answers the docs page's "About this tutorial" list shows (the URL with markup characters)."""


@pytest.mark.parametrize("row", MATRIX, ids=[r["kind"] for r in MATRIX])
def test_every_kind_bakes_a_complete_valid_entry(tmp_path, row, entry_files, parse_entry):
    given = {"title": "Matrix entry", "created": "2024-05-01", **ABOUT_ANSWERS, **row}
    resolved = answers.resolve(given)
    kind = KINDS[row["kind"]]
    entry = _new(tmp_path, given)

    assert entry_files(entry) == _expected_files("matrix_entry", row["docs_flavor"])
    parsed = parse_entry(entry)
    for name, text in parsed["text"].items():
        assert not re.search(r"\{\{|\{%|\{#", text), f"{name}: unrendered Jinja"

    meta = parsed["tutorial.toml"]
    assert meta["fluxzoo"] == {"template_version": answers.template_version(), "answers": resolved}

    project = parsed["Project.toml"]
    # `julia --project=. test/runtests.jl` loads [deps] and standard libraries only, so the
    # tests' registered packages are deps too; test-only standard libraries stay extras.
    test_only = set(kind.test_deps) - set(kind.deps)
    extras = {name for name in test_only if registry.is_stdlib(name)}
    deps = set(kind.deps) | (test_only - extras)
    assert project["deps"] == {name: registry.uuid(name) for name in sorted(deps)}
    assert set(project["compat"]) == {*deps, *extras, "julia"}
    assert project["compat"]["julia"] == resolved["julia_version"]
    assert project["compat"]["Flux"] == resolved["flux_version"]
    assert project.get("extras", {}) == {name: registry.uuid(name) for name in sorted(extras)}
    assert project.get("targets", {}).get("test", []) == sorted(test_only)

    script = parsed["text"]["matrix_entry.jl"]
    assert script.startswith("# # Matrix entry\n")
    headings = re.findall(r"^# ## (.+)$", script, flags=re.MULTILINE)
    assert [h for h in headings if h in kind.sections] == list(kind.sections)
    for habit in (
        "TODO(fluxzoo)",
        "Base.@kwdef",
        "Random.seed!",
        "if abspath(PROGRAM_FILE) == @__FILE__",
    ):
        assert habit in script, habit
    # train(; kws...): keyword arguments only, the rest passed on to the hyper-parameters
    assert re.search(r"^function train\(;[^;()]*\b\w+\.\.\.\)$", script, flags=re.MULTILINE)
    assert imported_packages(script) == set(kind.deps)
    tests = parsed["text"]["test/runtests.jl"]
    assert imported_packages(tests) <= {*kind.deps, *kind.test_deps}
    assert 'include(joinpath(@__DIR__, "..", "matrix_entry.jl"))' in tests

    if row["hardware"] == "cpu":
        assert "using CUDA" not in script
    else:
        assert f"# using {GPU_PACKAGES[row['gpu_backend']]}\n" in script

    derived = sync.derived_files(entry)
    assert {name: parsed["text"][name] for name in derived} == derived
    tokens = MarkdownIt("commonmark").parse(derived["README.md"])
    fences = {t.info for t in tokens if t.type == "fence"}
    assert "julia" in fences and not {f for f in fences if f.startswith(("@", "{"))}, fences

    facts = about(parsed["text"]["README.md"])
    assert facts == about("".join(parsed["matrix_entry.ipynb"].cells[0].source))
    hardware = facts.pop("Hardware")
    if row["hardware"] == "cpu":
        assert hardware == "a CPU is enough"
    else:
        assert f"GPU ({row['gpu_backend']})" in hardware
    wanted = {
        "Authors": "Ada Tester <ada@example.org>",
        "Expected runtime of a full run": resolved["expected_runtime"],
        "References": "https://arxiv.org/abs/1706.03762, https://example.org/a_b?x=[1]",
    }
    if kind.dataset is not None:
        wanted["Dataset"] = f"{kind.dataset.name}, {kind.dataset.source}"
        wanted["Dataset licence"] = kind.dataset.license
    assert facts == wanted


SAFE = {
    "title": "Same tree",
    "kind": "image_classification",
    "category": "vision",
    "description": "Plain cookiecutter and fluxzoo agree.",
    "tags": "vision,cnn",
    "author_name": "Ada Tester",
    "author_email": "ada@example.org",
    "hardware": "gpu-optional",
    "gpu_backend": "Metal",
    "docs_flavor": "documenter",
    "created": "2024-05-01",
}


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _plain_cookiecutter(out: Path, given: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """The command README.md documents, with `given` as `key=value` arguments."""
    command = [
        sys.executable,
        "-m",
        "cookiecutter",
        str(_paths.repo_root()),
        "--directory",
        "template",
        "--no-input",
        "--output-dir",
        str(out),
        *(f"{k}={v}" for k, v in given.items()),
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


def test_plain_cookiecutter_command_makes_the_same_tree(tmp_path):
    """The command README.md documents, with the same hooks, gives byte-identical files."""
    plain, ours = tmp_path / "plain", tmp_path / "ours"
    done = _plain_cookiecutter(plain, SAFE)
    assert done.returncode == 0, done.stderr
    entry = _new(ours, SAFE)
    assert _tree(plain / "same_tree") == _tree(entry)


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"slug": "Not A Slug"}, "slug='Not A Slug' is not valid: "),
        ({"tags": "vision, Big Cats"}, "tags='Big Cats' is not valid: "),
        ({"author_email": "not-an-address"}, "author_email='not-an-address' is not valid: "),
        ({"julia_version": "1.6"}, "julia_version='1.6' is not valid: "),
        (  # typed at plain cookiecutter's dataset prompt, IMDB would only be pasted into prose
            {"kind": "sequence_model", "dataset_name": "IMDB"},
            "dataset_name: the sequence_model skeleton loads Tiny Shakespeare",
        ),
    ],
)
def test_plain_cookiecutter_refuses_a_bad_answer_in_one_line(given, message, tmp_path):
    """Refused before cookiecutter creates anything or runs a hook: one line, exit 2."""
    done = _plain_cookiecutter(tmp_path / "out", {"title": "Refused", **given})
    assert done.returncode == 2
    assert done.stderr.splitlines() == [done.stderr.strip()]
    assert done.stderr.startswith("fluxzoo: error: " + message), done.stderr
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []


def test_what_plain_cookiecutter_refuses_itself_is_what_the_readme_says(tmp_path):
    """A choice outside its list stops cookiecutter before the template can say anything (a
    traceback, exit 1); an answer name the template does not have is ignored."""
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")
    done = _plain_cookiecutter(tmp_path / "out", {"title": "Refused", "kind": "cnn"})
    assert done.returncode == 1
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("ValueError: cnn provided for choice variable kind, but the choices")
    assert "`ValueError: cnn provided for choice variable kind, but the choices are" in readme
    assert not (tmp_path / "out").exists() or list((tmp_path / "out").iterdir()) == []
    ignored = _plain_cookiecutter(tmp_path / "ignored", {"title": "Colourless", "colour": "red"})
    assert ignored.returncode == 0, ignored.stderr
    assert (tmp_path / "ignored" / "colourless" / "tutorial.toml").is_file()


def test_pytest_cookies_bake_matches_fluxzoo(cookies, tmp_path, template_dir):
    """The hooks read the context intact: triple quotes, backslashes, quotes, `$`, emoji."""
    tricky = 'Triple """ quotes \\ back \'single\' "double" $x 李雷 🚀'
    given = {**SAFE, "kind": "blank", "hardware": "cpu", "title": tricky, "author_name": tricky}
    result = cookies.bake(extra_context=given, template=str(template_dir))
    assert result.exit_code == 0 and result.exception is None
    entry = _new(tmp_path, given)
    assert Path(result.project_path).name == entry.name == "triple_quotes_back_single_double_x"
    assert _tree(Path(result.project_path)) == _tree(entry)
    meta = tomllib.loads((entry / "tutorial.toml").read_text(encoding="utf-8"))
    assert meta["title"] == tricky and meta["authors"] == [f"{tricky} <ada@example.org>"]


WACKY = 'Cost in $USD: "fast" {{ 7*7 }} {% if %} \\ O\'Neil — 李雷 🚀'
INJECTION = "{{ cycler.__init__.__globals__.os.system('touch pwned') }}"
FREE_TEXT = (
    "title",
    "description",
    "author_name",
    "expected_runtime",
)


def _opening(markdown: str) -> list[str]:
    """The first two blocks a CommonMark renderer makes of a page: [tag, text, tag, text].

    Markup of any kind in them (emphasis, code, links, raw HTML, entities, another block
    type) fails the test: the opening holds only answers, which must show as written.
    """
    shown: list[str] = []
    tokens = MarkdownIt("commonmark").parse(markdown)
    for opening, inline in zip(tokens[:6:3], tokens[1:6:3], strict=True):
        kinds = {child.type for child in inline.children or []}
        assert inline.type == "inline" and kinds <= {"text"}, (inline.content, kinds)
        shown += [opening.tag, "".join(child.content for child in inline.children or [])]
    return shown


def _check_verbatim(entry: Path, resolved: dict[str, object], parse_entry) -> None:
    parsed = parse_entry(entry)
    meta = parsed["tutorial.toml"]
    assert meta["fluxzoo"]["answers"] == resolved
    assert meta["title"] == resolved["title"] and meta["description"] == resolved["description"]
    opening = ["h1", resolved["title"], "p", resolved["description"]]
    readme = parsed["text"]["README.md"]
    assert _opening(readme) == opening
    cells = parsed[f"{resolved['slug']}.ipynb"].cells
    assert _opening("".join(cells[0].source)) == opening
    facts = about(readme)
    assert facts == about("".join(cells[0].source))
    author = resolved["author_name"]
    if resolved["author_email"]:
        author += f" <{resolved['author_email']}>"
    assert facts["Authors"] == author
    assert facts["Expected runtime of a full run"] == resolved["expected_runtime"]


MARKUP = "<!-- ``` <img src=x onerror=alert(1)> [x](@ref) *a* $x$ &amp; | ~~ x ~~"


@pytest.mark.parametrize("text", [WACKY, INJECTION, MARKUP, "1. one", "- item", "==="])
def test_answers_are_data_never_code(tmp_path, monkeypatch, parse_entry, text):
    monkeypatch.chdir(tmp_path)
    given = {key: text for key in FREE_TEXT} | {"slug": "wacky", "kind": "image_classification"}
    entry = _new(tmp_path / "out", given)
    _check_verbatim(entry, answers.resolve(given), parse_entry)
    assert not list(tmp_path.rglob("pwned"))


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(field=st.sampled_from(FREE_TEXT), text=answer_text)
def test_any_free_text_is_refused_or_kept_verbatim_in_valid_files(parse_entry, field, text):
    given = {"slug": "prop", "kind": "image_classification", "created": "2024-05-01", field: text}
    try:
        resolved = answers.resolve(given)
    except ValidationError as e:
        assert e.key == field
        return
    if not (answers.unset(field, text)):  # an empty runtime: the kind's default
        assert resolved[field] == text.strip()
    with tempfile.TemporaryDirectory() as out:
        entry = render.render_entry(resolved, Path(out) / "prop")
        _check_verbatim(entry, resolved, parse_entry)
