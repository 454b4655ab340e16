"""`fluxzoo update`: three-way merges of a newer template with the contributor's edits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fluxzoo import _paths, answers, metadata
from fluxzoo.cli import main
from fluxzoo.render import render_entry
from fluxzoo.sync import derived_files

OLD = answers.template_version()
NEW = "{}.{}.0".format(*(int(p) + (i == 1) for i, p in enumerate(OLD.split(".")[:2])))
TEMPLATE_LINE = "# Every setting lives in one struct"
TEMPLATE_LINE_NEW = f"# All settings live in one struct (template {NEW})"
IGNORE_LINE_NEW = f"*.tmp-from-{NEW}"


def _set_root(monkeypatch: pytest.MonkeyPatch, root: Path | None) -> None:
    if root is None:
        monkeypatch.delenv("FLUXZOO_TEMPLATE_ROOT", raising=False)
    else:
        monkeypatch.setenv("FLUXZOO_TEMPLATE_ROOT", str(root))
    answers.template_config.cache_clear()
    answers.questions.cache_clear()


@pytest.fixture
def entry(tmp_path: Path) -> Path:
    """An entry made by the template as it is (version OLD)."""
    assert answers.template_version() == OLD
    resolved = answers.resolve(
        {
            "title": "Line fit",
            "slug": "line_fit",
            "kind": "blank",
            "category": "other",
            "created": "2024-05-01",
            "author_name": "A. Person",
        }
    )
    return render_entry(resolved, tmp_path / "zoo" / "other" / "line_fit")


@pytest.fixture
def newer_template(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A fluxzoo whose template is NEW, shipping OLD in its history."""
    root = tmp_path / "fluxzoo"
    shutil.copytree(_paths.template_dir(), root / "template", symlinks=True)
    shutil.copytree(_paths.template_dir(), root / "template_history" / OLD, symlinks=True)
    config_path = root / "template" / "cookiecutter.json"
    config = json.loads(config_path.read_text(encoding="utf-8"))
    config["_template_version"] = NEW
    config_path.write_text(json.dumps(config, indent=2), encoding="utf-8")
    script = root / "template" / "kinds" / "blank" / "script.jl"
    text = script.read_text(encoding="utf-8")
    assert TEMPLATE_LINE in text
    script.write_text(text.replace(TEMPLATE_LINE, TEMPLATE_LINE_NEW), encoding="utf-8")
    ignore = root / "template" / _paths.ENTRY_FOLDER / ".gitignore"
    ignore.write_text(ignore.read_text(encoding="utf-8") + IGNORE_LINE_NEW + "\n", encoding="utf-8")
    _set_root(monkeypatch, root)
    yield root
    _set_root(monkeypatch, None)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def snapshot(entry: Path) -> dict[str, bytes]:
    return {
        p.relative_to(entry).as_posix(): p.read_bytes() for p in entry.rglob("*") if p.is_file()
    }


def test_an_entry_made_by_the_current_template_is_up_to_date(entry, capsys):
    before = snapshot(entry)
    assert main(["update", str(entry)]) == 0
    assert capsys.readouterr().err == f"{entry}: already current (template {OLD})\n"
    assert snapshot(entry) == before


def test_template_changes_merge_with_the_contributors_edits(entry, newer_template, capsys):
    script = entry / "line_fit.jl"
    edit(script, "epochs::Int = 50", "epochs::Int = 80  # the contributor's choice")
    edit(
        entry / metadata.FILENAME, 'expected_runtime = "', 'expected_runtime = "two minutes; was: '
    )

    assert main(["update", str(entry)]) == 0, capsys.readouterr().err
    err = capsys.readouterr().err
    assert err.startswith(f"{entry}: updated (template {OLD} -> {NEW}): "), err

    text = script.read_text(encoding="utf-8")
    assert "epochs::Int = 80  # the contributor's choice" in text
    assert TEMPLATE_LINE_NEW in text and TEMPLATE_LINE not in text
    assert "<<<<<<<" not in text
    assert IGNORE_LINE_NEW in (entry / ".gitignore").read_text(encoding="utf-8").splitlines()

    meta = metadata.read(entry)
    assert meta["fluxzoo"]["template_version"] == NEW
    assert meta["fluxzoo"]["answers"]["slug"] == "line_fit"
    assert meta["expected_runtime"].startswith("two minutes; was: ")

    for rel, wanted in derived_files(entry).items():
        assert (entry / rel).read_text(encoding="utf-8") == wanted, f"{rel} was not derived again"

    assert main(["update", str(entry)]) == 0
    assert "already current" in capsys.readouterr().err


def test_conflicts_keep_both_sides_are_listed_and_exit_1(entry, newer_template, capsys):
    script = entry / "line_fit.jl"
    mine = "# My own words about the settings"
    edit(script, TEMPLATE_LINE, mine)
    notebook_before = (entry / "line_fit.ipynb").read_bytes()

    assert main(["update", str(entry)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"{entry}: conflicts in line_fit.jl (1); resolve"), err
    text = script.read_text(encoding="utf-8")
    ours, rest = text.split("<<<<<<< line_fit.jl (yours)\n", 1)[1].split("||||||| ", 1)
    base, theirs = rest.split("=======\n", 1)
    assert mine in ours
    assert TEMPLATE_LINE in base
    assert TEMPLATE_LINE_NEW in theirs.split(f">>>>>>> line_fit.jl (template {NEW})", 1)[0]
    assert (entry / "line_fit.ipynb").read_bytes() == notebook_before, (
        "not derived from a conflicted script"
    )


def test_dry_run_prints_the_diff_and_writes_nothing(entry, newer_template, capsys, monkeypatch):
    monkeypatch.chdir(entry.parent)
    before = snapshot(entry)
    assert main(["update", "line_fit", "--dry-run"]) == 0
    out, err = capsys.readouterr()
    assert snapshot(entry) == before
    assert "line_fit: would update" in err and "Nothing was written" in err
    assert "--- a/line_fit/line_fit.jl\n+++ b/line_fit/line_fit.jl\n" in out
    assert f"-{TEMPLATE_LINE}" in out and f"+{TEMPLATE_LINE_NEW}" in out
    assert f"+{IGNORE_LINE_NEW}" in out
    assert f'+template_version = "{NEW}"' in out


def test_a_version_this_fluxzoo_does_not_ship_is_a_clear_error(entry, newer_template, capsys):
    shutil.rmtree(newer_template / "template_history" / OLD)
    before = snapshot(entry)
    assert main(["update", str(entry)]) == 1
    err = capsys.readouterr().err
    assert f"template version {OLD} is not shipped" in err and "Traceback" not in err
    assert snapshot(entry) == before


def test_without_git_it_says_so(entry, newer_template, capsys, monkeypatch):
    monkeypatch.setenv("PATH", "")
    assert main(["update", str(entry)]) == 1
    assert "git is needed" in capsys.readouterr().err


def test_not_an_entry(tmp_path, capsys):
    assert main(["update", str(tmp_path)]) == 2
    assert "no entries in" in capsys.readouterr().err
