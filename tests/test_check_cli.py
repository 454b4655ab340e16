"""`fluxzoo check` through the command line: formats, exit codes, selection, whole zoos."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import jsonschema
import pytest
from fluxzoo.checks.diagnostics import JSON_SCHEMA, JSON_VERSION
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import all_rules
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from fluxzoo.kinds import KINDS
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

FIXTURE = Path(__file__).parent / "fixtures" / "rules" / "tutorials" / "tiny_mlp"
TRAINING_LINE = (FIXTURE / "README.md").read_text(encoding="utf-8").splitlines().index(
    "## Training"
) + 1
TEXT_LINE = re.compile(
    r"^(?P<path>[^:]+)(?::(?P<line>\d+):(?P<col>\d+))?: "
    r"(?P<code>FZ\d{3}) \[(?P<sev>error|warning)\] (?P<msg>.+)$"
)
GITHUB_LINE = re.compile(
    r"^::(?P<sev>error|warning) file=(?P<file>[^,]+)(?:,line=(?P<line>\d+),col=(?P<col>\d+))?,"
    r"title=(?P<title>[^:]+)::(?P<msg>.+)$"
)


@pytest.fixture
def zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A zoo with one clean entry, as the working folder."""
    shutil.copytree(FIXTURE, tmp_path / "tutorials" / "tiny_mlp")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def entry_path(zoo: Path) -> Path:
    return zoo / "tutorials" / "tiny_mlp"


def add_error_and_warning(zoo: Path) -> None:
    """A README section renamed (error, FZ321 and FZ322) and a misspelt metadata field (warning)."""
    entry = entry_path(zoo)
    readme = entry / "README.md"
    readme.write_text(
        readme.read_text(encoding="utf-8").replace("## Training", "## Fitting"), encoding="utf-8"
    )
    add_warning(zoo)


def add_warning(zoo: Path) -> None:
    meta = entry_path(zoo) / "tutorial.toml"
    meta.write_text("licence = 'MIT'\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")


def test_clean_zoo(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 0
    out, err = capsys.readouterr()
    assert out == "All checks passed (1 entry checked).\n"
    assert err == ""


def test_text_format(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_error_and_warning(zoo)
    assert main(["check", "tutorials"]) == 1
    *lines, summary = capsys.readouterr().out.splitlines()
    parsed = [TEXT_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["path"], m["line"], m["code"], m["sev"]) for m in parsed] == [
        ("tutorials/tiny_mlp/README.md", None, "FZ321", "error"),
        ("tutorials/tiny_mlp/README.md", str(TRAINING_LINE), "FZ322", "error"),
        ("tutorials/tiny_mlp/tutorial.toml", "1", "FZ403", "warning"),
    ]
    assert summary == "Found 2 errors and 1 warning (1 entry checked)."


def test_warnings_alone_pass_unless_strict(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_warning(zoo)
    assert main(["check"]) == 0
    assert "[warning]" in capsys.readouterr().out
    assert main(["check", "--strict"]) == 1
    out = capsys.readouterr().out
    assert "FZ403 [error]" in out and "Found 1 error and 0 warnings" in out


def test_json_format_follows_its_schema(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_error_and_warning(zoo)
    assert main(["check", "--format", "json"]) == 1
    document = json.loads(capsys.readouterr().out)
    jsonschema.validate(document, JSON_SCHEMA)
    assert document["version"] == JSON_VERSION
    assert document["summary"] == {"entries": 1, "errors": 2, "warnings": 1}
    first = document["diagnostics"][0]
    assert (first["code"], first["name"], first["line"], first["col"]) == (
        "FZ321",
        "missing-readme-section",
        None,
        None,
    )
    assert document["diagnostics"][2]["line"] == 1


def test_github_format(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_error_and_warning(zoo)
    assert main(["check", "--format", "github"]) == 1
    *lines, summary = capsys.readouterr().out.splitlines()
    parsed = [GITHUB_LINE.match(line) for line in lines]
    assert all(parsed), lines
    assert [(m["sev"], m["file"], m["line"], m["title"]) for m in parsed] == [
        ("error", "tutorials/tiny_mlp/README.md", None, "FZ321 missing-readme-section"),
        ("error", "tutorials/tiny_mlp/README.md", str(TRAINING_LINE), "FZ322 stale-derived-file"),
        ("warning", "tutorials/tiny_mlp/tutorial.toml", "1", "FZ403 unknown-metadata-field"),
    ]
    assert summary.startswith("Found 2 errors")


def test_github_format_escapes_what_workflow_commands_reserve(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = tmp_path / "a,b:c" / "x%y"
    (entry).mkdir(parents=True)
    (entry / "tutorial.toml").write_text("title = 'x'\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "github", "--select", "FZ101"])
    lines = capsys.readouterr().out.splitlines()
    assert (
        "::error file=a%2Cb%3Ac/x%25y/x%25y.jl,title=FZ101 missing-file::missing x%25y.jl; "
        "it is the entry's Literate source; every other file derives from it" in lines
    )


def test_list_rules(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--list-rules"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[0] for line in lines] == [r.code for r in all_rules()]
    assert "preview" in next(line for line in lines if line.startswith("FZ406"))
    assert main(["check", "--list-rules", "--format", "json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {r["code"] for r in listed} == {r.code for r in all_rules()}
    assert all("## Why is this bad?" in r["doc"] for r in listed)


def test_select_and_ignore(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    add_error_and_warning(zoo)
    assert main(["check", "--select", "FZ4"]) == 0
    assert "FZ321" not in capsys.readouterr().out
    assert main(["check", "--ignore", "FZ32,FZ403"]) == 0
    assert main(["check", "--select", "FZ3", "--ignore", "FZ322"]) == 1
    out = capsys.readouterr().out
    assert "FZ321" in out and "FZ322" not in out


@pytest.mark.parametrize(
    ("argv", "says"),
    [
        (["check", "--select", "FZ9"], "--select 'FZ9': no rule has this code or prefix"),
        (["check", "--ignore", "E501"], "expected a rule code"),
        (["check", "nowhere"], "nowhere: no such file or folder"),
        (["check", "docs"], "no entries in docs"),
        (["check", "--format", "xml"], "invalid choice"),
    ],
)
def test_usage_errors(
    zoo: Path, capsys: pytest.CaptureFixture[str], argv: list[str], says: str
) -> None:
    (zoo / "docs").mkdir()
    with pytest.raises(SystemExit) if "--format" in argv else _no_exit() as exited:
        code = main(argv)
    code = exited.value.code if exited is not None else code
    out, err = capsys.readouterr()
    assert code == 2
    assert says in err and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert out == ""


class _no_exit:
    def __enter__(self) -> None:
        return None

    def __exit__(self, *exc: object) -> bool:
        return False


def test_a_file_stands_for_its_entry(zoo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """pre-commit passes changed files; each names the entry that holds it."""
    assert (
        main(["check", "tutorials/tiny_mlp/test/runtests.jl", "tutorials/tiny_mlp/README.md"]) == 0
    )
    assert capsys.readouterr().out == "All checks passed (1 entry checked).\n"


def build_legacy_zoo(root: Path) -> None:
    """A small zoo from before the standard, with the kinds of damage real checkouts have."""
    files: dict[str, bytes] = {
        "vision/conv/conv.jl": b"using Flux, MLDatasets\nmodel = Chain(Conv((3, 3), 1 => 8))\n",
        "vision/conv/Project.toml": b'[deps]\nFlux = "587475ba-b771-5e3f-ad9e-33799f191a9c"\n',
        "vision/conv/Manifest.toml": b'[[Flux]]\nuuid = "587475ba-b771-5e3f-ad9e-33799f191a9c"\n',
        "vision/conv/.DS_Store": b"\0\0\0\1Bud1",
        "vision/conv/model.bson": b"\0",
        "text/latin/latin.jl": "# caf\u00e9\nx = 1\n".encode("latin-1"),
        "text/latin/Project.toml": b"",
        "other/broken/broken.jl": b"function f(\n",
        "other/broken/Project.toml": b"[deps\n",
        "other/broken/data.csv": b"a,b\n",
        "other/empty/empty.jl": b"",
        "tutorials/no_project/script.jl": b"println(1)\n",
    }
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def test_a_legacy_zoo_gets_findings_not_tracebacks(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_legacy_zoo(tmp_path)
    shutil.copytree(FIXTURE, tmp_path / "tutorials" / "tiny_mlp")
    monkeypatch.chdir(tmp_path)
    assert main(["check", "--format", "json"]) == 1
    out, err = capsys.readouterr()
    assert err == ""
    found = {(d["path"], d["code"], d["line"]) for d in json.loads(out)["diagnostics"]}
    assert found == {
        ("other/broken", "FZ100", None),
        ("other/broken/Project.toml", "FZ201", 1),
        ("other/broken/broken.jl", "FZ301", 1),
        ("other/broken/data.csv", "FZ105", None),
        ("other/empty", "FZ100", None),
        ("other/empty/empty.jl", "FZ102", None),
        ("text/latin", "FZ100", None),
        ("text/latin/Project.toml", "FZ102", None),
        ("text/latin/Project.toml", "FZ204", None),  # an empty project still needs a julia bound
        ("text/latin/latin.jl", "FZ102", 1),
        ("tutorials/no_project", "FZ100", None),
        ("vision/conv", "FZ100", None),
        ("vision/conv/.DS_Store", "FZ103", None),
        ("vision/conv/Manifest.toml", "FZ207", None),
        ("vision/conv/Project.toml", "FZ204", None),  # julia has no bound
        ("vision/conv/Project.toml", "FZ204", 2),
        ("vision/conv/conv.jl", "FZ205", 1),
        ("vision/conv/model.bson", "FZ104", None),
    }


_FILES = [
    "tiny_mlp.jl",
    "tiny_mlp.ipynb",
    "README.md",
    "Project.toml",
    "tutorial.toml",
    "test/runtests.jl",
    ".gitignore",
]


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    rel=st.sampled_from(_FILES),
    data=st.one_of(
        st.binary(max_size=200),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
        st.sampled_from(
            [
                b"",
                b"[",
                b"{",
                b"null",
                b"[]",
                b'{"cells": 3}',
                b"title = 1\n",
                b"[deps]\nFlux = 1\n",
            ]
        ),
    ),
)
def test_any_file_content_gives_findings_not_exceptions(
    tmp_path_factory: pytest.TempPathFactory, rel: str, data: bytes
) -> None:
    entry = tmp_path_factory.mktemp("zoo") / "tutorials" / "tiny_mlp"
    shutil.copytree(FIXTURE, entry)
    (entry / rel).write_bytes(data)
    found = check_entry(entry, list(all_rules()))
    assert all(d.message for d in found)


def test_a_gitignore_pattern_git_cannot_read_is_skipped_as_git_skips_it(tmp_path: Path) -> None:
    """A pattern ending in a lone backslash is one git ignores; pathspec refuses it with an
    error. The entry's other patterns still apply."""
    entry = tmp_path / "zoo" / "tutorials" / "tiny_mlp"
    shutil.copytree(FIXTURE, entry)
    (entry / ".gitignore").write_text("runs/\\\n\\\nnotes.log\n", encoding="utf-8")
    (entry / "notes.log").write_text("x", encoding="utf-8")
    context = EntryContext(entry)
    assert "notes.log" in context.all_files and "notes.log" not in context.files
    assert all(d.message for d in check_entry(entry, list(all_rules())))


_KEYS = st.sampled_from(
    [
        "cells",
        "metadata",
        "nbformat",
        "nbformat_minor",
        "cell_type",
        "source",
        "outputs",
        "kernelspec",
        "execution_count",
        "language",
        "slug",
        "kind",
        "tags",
        "authors",
        "created",
        "tested",
        "julia",
        "fluxzoo",
        "answers",
        "deps",
        "compat",
        "extras",
        "targets",
        "test",
        "Flux",
        "julia_version",
    ]
)
_SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.dates())
_TREES = st.recursive(
    _SCALARS,
    lambda c: st.lists(c, max_size=3) | st.dictionaries(_KEYS, c, max_size=4),
    max_leaves=12,
)


def _toml(value: object) -> bytes:
    import tomli_w

    def clean(v: object) -> object:  # TOML has no null
        if isinstance(v, dict):
            return {k: clean(x) for k, x in v.items() if x is not None}
        if isinstance(v, list):
            return [clean(x) for x in v if x is not None]
        return v

    return tomli_w.dumps(
        clean(value) if isinstance(value, dict) else {"x": clean(value) or 0}
    ).encode()


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(notebook=_TREES, meta=_TREES, project=_TREES)
def test_any_document_structure_gives_findings_not_exceptions(
    tmp_path_factory: pytest.TempPathFactory, notebook: object, meta: object, project: object
) -> None:
    """Well-formed JSON and TOML of any shape: the rules must not assume the shape they check."""
    entry = tmp_path_factory.mktemp("zoo") / "tutorials" / "tiny_mlp"
    shutil.copytree(FIXTURE, entry)
    (entry / "tiny_mlp.ipynb").write_text(json.dumps(notebook, default=str), encoding="utf-8")
    (entry / "tutorial.toml").write_bytes(_toml(meta))
    (entry / "Project.toml").write_bytes(_toml(project))
    (entry / "Manifest.toml").write_bytes(_toml(project))
    found = check_entry(entry, list(all_rules()))
    assert all(d.message for d in found)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_new_entry_only_lacks_what_the_contributor_fills_in(
    kind: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Every kind's skeleton passes every rule, except for its TODO(fluxzoo) markers."""
    assert (
        main(
            [
                "new",
                "--no-input",
                "--zoo",
                str(tmp_path),
                "--set",
                f"kind={kind}",
                "--set",
                "title=Fresh entry",
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert main(["check", str(tmp_path), "--format", "json"]) == 1
    codes = {d["code"] for d in json.loads(capsys.readouterr().out)["diagnostics"]}
    assert codes == {"FZ302"}
