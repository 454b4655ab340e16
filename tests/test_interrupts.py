"""SIGINT and SIGTERM at every step of every command that replaces files: old state or new.

Each command runs in a subprocess held open at a named step (`FLUXZOO_PAUSE_AT`, as a debugger
or strace would hold it), is signalled there, and must then leave the tree exactly as it was or
exactly as an uninterrupted run leaves it, with no temporary file, exit 128 + the signal number
and one line saying which of the two happened.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from fluxzoo import transaction
from fluxzoo.cli import main
from trees import legacy_entry, newer_template, standard_entry, state

OLD, NEW = "old", "new"


@dataclass(frozen=True)
class Command:
    """A command over a tree built in a folder: `build(folder)` returns (watched root, argv)."""

    build: Callable[[Path], tuple[Path, list[str]]]
    points: dict[str, str]
    """Step name -> the state an interrupt there must leave."""


def _adopt(folder: Path) -> tuple[Path, list[str]]:
    entry = legacy_entry(folder / "zoo")
    return folder / "zoo", ["adopt", str(entry)]


def _update(folder: Path) -> tuple[Path, list[str]]:
    entry = standard_entry(folder / "zoo")
    return folder / "zoo", ["update", str(entry)]


def _sync(folder: Path) -> tuple[Path, list[str]]:
    first = standard_entry(folder / "zoo", "line_fit")
    second = standard_entry(folder / "zoo", "curve_fit")
    for entry in (first, second):
        script = entry / f"{entry.name}.jl"
        script.write_text(script.read_text(encoding="utf-8") + "\n# ## More\n", encoding="utf-8")
    return folder / "zoo", ["sync", str(folder / "zoo")]


def _new(folder: Path) -> tuple[Path, list[str]]:
    (folder / "out").mkdir(parents=True)
    target = folder / "out" / "fresh" / "parent"
    return folder / "out", ["new", "--no-input", "--set", "title=Fit", "--output-dir", str(target)]


COMMANDS = {
    "adopt": Command(_adopt, {"adopt:copied": OLD, "adopt:staged": OLD, "adopt:committed": NEW}),
    "update": Command(
        _update, {"update:staged": OLD, "update:committing": NEW, "update:committed": NEW}
    ),
    "sync": Command(_sync, {"sync:staged": OLD, "sync:committing": NEW, "sync:committed": NEW}),
    "new": Command(
        _new,
        {"new:copied": OLD, "new:staged": OLD, "new:committing": NEW, "new:committed": NEW},
    ),
}
CASES = [
    (name, point, expected)
    for name, command in COMMANDS.items()
    for point, expected in command.points.items()
]


@pytest.fixture(scope="module")
def template_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Subprocesses use a template one version ahead, so that `update` has work to do."""
    root = tmp_path_factory.mktemp("template")
    newer_template(root)
    return root


def _run(argv: list[str], env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "fluxzoo", *argv],
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _env(template_root: Path, command: str) -> dict[str, str]:
    env = dict(os.environ)
    if command == "update":
        env["FLUXZOO_TEMPLATE_ROOT"] = str(template_root)
    return env


_REFERENCES: dict[str, tuple[dict, dict]] = {}


def _reference(
    key: str, build: Callable[[Path], tuple[Path, list[str]]], env: dict[str, str], tmp_path: Path
) -> tuple[dict, dict]:
    """The tree before the command and after an uninterrupted run (once per `key`)."""
    if key not in _REFERENCES:
        root, argv = build(tmp_path / "reference")
        before = state(root)
        done = _run(argv, env)
        assert done.returncode == 0, done.stderr
        _REFERENCES[key] = before, state(root)
    before, after = _REFERENCES[key]
    assert after != before
    return before, after


def _held(argv: list[str], env: dict[str, str], point: str, signum: int, ready: Path) -> str:
    """Run the command held at `point`, signal it there; its stderr."""
    env = env | {"FLUXZOO_PAUSE_AT": point, "FLUXZOO_PAUSE_READY": str(ready)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "fluxzoo", *argv],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 120
        while not ready.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert ready.exists(), f"never reached {point}: {proc.communicate()[1]}"
        proc.send_signal(signum)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err, err
    return err


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
@pytest.mark.parametrize(("command", "point", "expected"), CASES, ids=[c[1] for c in CASES])
def test_a_signal_held_at_each_step_leaves_the_old_or_the_new_state(
    tmp_path: Path, template_root: Path, command: str, point: str, expected: str, signum: int
) -> None:
    build = COMMANDS[command].build
    env = _env(template_root, command)
    before, after = _reference(command, build, env, tmp_path)

    root, argv = build(tmp_path / "held")
    assert state(root) == before  # the two trees differ only in where they are
    err = _held(argv, env, point, signum, tmp_path / "ready")
    message = err.strip().splitlines()[-1]
    final = state(root)
    wanted = before if expected == OLD else after
    assert final == wanted, f"interrupted at {point}: neither the old nor the new state"
    if expected == OLD:
        assert message == "Aborted; nothing was written.", err
    else:
        assert message.startswith("Aborted after finishing: "), err


def test_the_two_rename_swap_finishes_when_interrupted_between_the_renames(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Where the system has no renameat2, adopt swaps with two renames: never just one."""
    entry = legacy_entry(tmp_path / "zoo")
    monkeypatch.setattr(transaction, "_renameat2", lambda *a: False)
    monkeypatch.setattr(transaction, "checkpoint", _signal_at("adopt:committing"))
    assert main(["adopt", str(entry)]) == 130
    assert capsys.readouterr().err.strip().startswith("Aborted after finishing: adopted")
    assert (entry / "tutorial.toml").is_file() and (entry / "docs" / "plot.png").is_file()
    assert sorted(p.name for p in entry.parent.iterdir()) == ["line_fit"], "no leftovers"


def test_a_failed_rename_in_the_middle_of_a_commit_restores_every_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    zoo = tmp_path / "zoo"
    _sync(tmp_path)
    before = state(zoo)
    real_replace = Path.replace
    calls = []

    def failing_second_replace(self: Path, target: Path) -> Path:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(5, "Input/output error", str(target))
        return real_replace(self, target)

    monkeypatch.setattr(Path, "replace", failing_second_replace)
    assert main(["sync", str(zoo)]) == 1
    err = capsys.readouterr().err
    assert "Input/output error; nothing was changed" in err and "Traceback" not in err
    assert state(zoo) == before


def test_new_refuses_to_move_over_a_folder_that_appeared_meanwhile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "out"

    def appear(name: str) -> None:
        if name == "new:committing":
            (target / "fit").mkdir(parents=True)

    monkeypatch.setattr(transaction, "checkpoint", appear)
    assert main(["new", "--no-input", "--set", "title=Fit", "--output-dir", str(target)]) == 1
    assert "already exists; nothing was changed" in capsys.readouterr().err
    assert state(tmp_path) == {"out": "dir", "out/fit": "dir"}


def _signal_at(point: str) -> Callable[[str], None]:
    def checkpoint(name: str) -> None:
        if name == point:
            os.kill(os.getpid(), signal.SIGINT)

    return checkpoint


def test_sync_refuses_a_slug_that_leads_outside_the_entry(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry = standard_entry(tmp_path / "zoo")
    toml = entry / "tutorial.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace('slug = "line_fit"', 'slug = "../../v/p"'),
        encoding="utf-8",
    )
    shutil.copy(entry / "line_fit.jl", tmp_path / "p.jl")
    before = state(tmp_path)
    assert main(["sync", str(entry)]) == 2
    err = capsys.readouterr().err
    assert "slug" in err and "Traceback" not in err
    assert state(tmp_path) == before


def test_nothing_is_written_outside_through_a_linked_folder(tmp_path: Path) -> None:
    root = tmp_path / "entry"
    (root).mkdir()
    (tmp_path / "elsewhere").mkdir()
    (root / "test").symlink_to(tmp_path / "elsewhere")
    change = transaction.Files("wrote a test")
    with pytest.raises(transaction.FluxzooError, match="leads outside"):
        change.write(root, "test/runtests.jl", "x")
    for rel in ("../x", "/etc/passwd", "a/../../x", "", "a\0b"):
        with pytest.raises(transaction.FluxzooError, match="refusing to write"):
            change.write(root, rel, "x")
    assert not change
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_file_link_is_replaced_not_followed(tmp_path: Path) -> None:
    root = tmp_path / "entry"
    root.mkdir()
    victim = tmp_path / "victim"
    victim.write_text("precious", encoding="utf-8")
    (root / "README.md").symlink_to(victim)
    change = transaction.Files("wrote the README")
    change.write(root, "README.md", "new")
    change.commit()
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not (root / "README.md").is_symlink()
    assert (root / "README.md").read_text(encoding="utf-8") == "new"
    assert sorted(p.name for p in root.iterdir()) == ["README.md"]


def _two_updates(folder: Path) -> tuple[Path, list[str]]:
    for slug in ("curve_fit", "line_fit"):
        standard_entry(folder / "zoo", slug)
    return folder / "zoo", ["update", str(folder / "zoo")]


def _two_fixes(folder: Path) -> tuple[Path, list[str]]:
    for slug in ("curve_fit", "line_fit"):
        (standard_entry(folder / "zoo", slug) / f"{slug}.ipynb").unlink()
    return folder / "zoo", ["check", "--fix", "--select", "FZ101", str(folder / "zoo")]


def _two_adoptions(folder: Path) -> tuple[Path, list[str]]:
    entries = [legacy_entry(folder / "zoo", slug) for slug in ("curve_fit", "line_fit")]
    return folder / "zoo", ["adopt", *map(str, entries)]


MULTI = {"update": _two_updates, "fix": _two_fixes, "adopt": _two_adoptions}
_FIRST = "other/curve_fit"
"""The entry each command over two finishes first: in the order given, or sorted when found."""


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["INT", "TERM"])
@pytest.mark.parametrize(
    ("label", "step", "finished"),
    [("update", "staged#2", 1), ("update", "committed#1", 1), ("update", "committing#2", 2),
     ("fix", "staged#2", 1), ("fix", "committed#1", 1), ("fix", "committing#2", 2),
     ("adopt", "copied#2", 1), ("adopt", "committed#1", 1), ("adopt", "committed#2", 2)],
)  # fmt: skip
def test_a_command_over_two_entries_leaves_each_old_or_new_and_names_the_finished(
    tmp_path: Path, template_root: Path, label: str, step: str, finished: int, signum: int
) -> None:
    env = _env(template_root, label)
    before, after = _reference(f"two {label}", MULTI[label], env, tmp_path)

    root, argv = MULTI[label](tmp_path / "held")
    err = _held(argv, env, f"{label}:{step}", signum, tmp_path / "ready")
    if finished == 2:
        wanted = after
    else:  # the first entry as the finished run leaves it, the second as it was
        mine = [p for p in after if p.startswith(_FIRST)]
        wanted = {p: v for p, v in before.items() if not p.startswith(_FIRST)}
        wanted |= {p: after[p] for p in mine}
    assert state(root) == wanted, f"interrupted at {label}:{step}: an entry half-changed"
    message = err.strip().splitlines()[-1]
    assert message.startswith("Aborted after finishing: "), err
    assert message.count(";") == finished - 1 and "curve_fit" in message, message
    assert ("line_fit" in message) == (finished == 2), message
