"""`fluxzoo check`'s result cache: an unchanged entry's findings are read back, any change that
could change them is a miss, and a cache that is broken or unwritable never changes the output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from fluxzoo.checks import cache, runner
from fluxzoo.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "rules" / "tutorials" / "tiny_mlp"


@pytest.fixture
def zoo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two zoos of one clean entry each, in the working folder, and a cache folder of its own."""
    for name in ("a", "b"):
        shutil.copytree(FIXTURE, tmp_path / "zoo" / name / "tutorials" / "tiny_mlp")
    monkeypatch.setenv("FLUXZOO_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.chdir(tmp_path / "zoo")
    return tmp_path / "zoo"


@pytest.fixture
def checked(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The entries whose rules really ran (the real `_findings`, recorded)."""
    ran: list[Path] = []
    real = runner._findings

    def recording(path, rules):
        ran.append(path)
        return real(path, rules)

    monkeypatch.setattr(runner, "_findings", recording)
    return ran


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, dict]:
    status = main(["check", "--format", "json", *args, "a", "b"])
    return status, json.loads(capsys.readouterr().out)


def test_an_unchanged_entry_is_read_back(zoo: Path, checked: list[Path], capsys) -> None:
    meta = zoo / "a" / "tutorials" / "tiny_mlp" / "tutorial.toml"
    meta.write_text("licence = 'MIT'\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    first = run(capsys)
    assert len(checked) == 2 and len(list(cache.cache_dir().glob("*.json"))) == 2
    assert run(capsys) == first
    assert len(checked) == 2  # nothing ran again
    assert [d["code"] for d in first[1]["diagnostics"]] == ["FZ403"]


def test_an_edit_checks_that_entry_again(zoo: Path, checked: list[Path], capsys) -> None:
    assert run(capsys)[1]["summary"]["warnings"] == 0
    checked.clear()
    meta = zoo / "b" / "tutorials" / "tiny_mlp" / "tutorial.toml"
    meta.write_text("licence = 'MIT'\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    status, document = run(capsys)
    assert checked == [Path("b/tutorials/tiny_mlp")]
    assert [(d["path"], d["code"]) for d in document["diagnostics"]] == [
        ("b/tutorials/tiny_mlp/tutorial.toml", "FZ403")
    ]
    assert status == 0


@pytest.mark.parametrize(
    "change",
    ["new-file", "removed-file", "unreadable", "renamed-folder", "rules", "link"],
)
def test_what_could_change_the_findings_misses(zoo: Path, change: str, capsys) -> None:
    entry = zoo / "a" / "tutorials" / "tiny_mlp"
    codes = ["FZ103", "FZ106"]
    key = cache.entry_key(entry, codes)
    if change == "new-file":
        (entry / ".DS_Store").write_bytes(b"")
    elif change == "removed-file":
        (entry / "README.md").unlink()
    elif change == "unreadable":
        (entry / "README.md").chmod(0)
    elif change == "renamed-folder":
        entry = entry.rename(entry.with_name("tiny_mlp2"))
    elif change == "rules":
        codes = ["FZ103"]
    else:
        (entry / "data.csv").symlink_to(entry / "README.md")
    assert cache.entry_key(entry, codes) != key


def test_no_cache_neither_reads_nor_writes(zoo: Path, checked: list[Path], capsys) -> None:
    first = run(capsys, "--no-cache")
    assert run(capsys, "--no-cache") == first
    assert len(checked) == 4
    assert not cache.cache_dir().exists()


def test_a_broken_record_is_a_miss(zoo: Path, checked: list[Path], capsys) -> None:
    first = run(capsys)
    records = sorted(cache.cache_dir().glob("*.json"))
    records[0].write_text("{not json", encoding="utf-8")
    records[1].write_text(json.dumps({"format": cache.FORMAT, "key": "x", "findings": 5}))
    assert run(capsys) == first
    assert len(checked) == 4
    assert all(json.loads(r.read_text(encoding="utf-8"))["findings"] == [] for r in records)


def test_an_unwritable_cache_changes_nothing(
    zoo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    monkeypatch.setenv("FLUXZOO_CACHE_DIR", str(blocker / "cache"))
    meta = zoo / "a" / "tutorials" / "tiny_mlp" / "tutorial.toml"
    meta.write_text("licence = 'MIT'\n" + meta.read_text(encoding="utf-8"), encoding="utf-8")
    status, document = run(capsys)
    assert status == 0 and [d["code"] for d in document["diagnostics"]] == ["FZ403"]
    assert capsys.readouterr().err == ""


def test_the_cache_lives_outside_the_zoo(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("FLUXZOO_CACHE_DIR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert cache.cache_dir() == tmp_path / "xdg" / "fluxzoo" / "check"
    monkeypatch.delenv("XDG_CACHE_HOME")
    assert cache.cache_dir() == Path.home() / ".cache" / "fluxzoo" / "check"
