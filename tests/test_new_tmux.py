"""`fluxzoo new` end to end in tmux, as a person at a terminal: one entry of every kind, at 60
and at 100 columns, every question read on the screen and answered, then the notebook.

Each width is one test that drives a tmux pane per kind at once (they are independent), so the
whole matrix costs about as much as the slowest pane. The screen is what `tmux capture-pane`
shows: the test waits for each question's help before answering it, as a person reads before
typing, and checks that no row reaches the last column.
"""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest
from fluxzoo import answers
from fluxzoo.kinds import KINDS

KIND_NAMES = answers.question("kind").choices
EXITED = "fluxzoo new exited with status"
"""What the pane's shell prints when `fluxzoo new` has ended (the shell, not tmux, reaps it)."""
STATUS = "exit-status"
"""The file the pane's shell writes `fluxzoo new`'s exit status to: tmux may drop a dying
pane's last line from the screen, a file is not lost."""
POLL = 0.1
"""Seconds between looks at a pane: often enough to keep up, rarely enough that a dozen panes'
`tmux capture-pane` calls leave the CPU to the programs being tested."""


class Pane:
    """One tmux session on a server of the test's own, running `argv` in `cwd`."""

    def __init__(self, server: str, name: str, argv: list[str], cwd: Path, columns: int):
        self.server, self.name, self.columns, self.cwd = server, name, columns, cwd
        self.tmux(
            "new-session",
            "-d",
            "-s",
            name,
            "-x",
            str(columns),
            "-y",
            "50",
            "-c",
            str(cwd),
            shlex.join(argv),
            ";",
            "set-option",
            "-w",
            "-t",
            name,
            "remain-on-exit",
            "on",
        )

    def tmux(self, *args: str) -> str:
        command = ["tmux", "-L", self.server, "-f", "/dev/null", *args]
        return subprocess.run(command, capture_output=True, text=True, check=True).stdout

    def rows(self) -> list[str]:
        return self.tmux("capture-pane", "-p", "-t", self.name).splitlines()

    def text(self) -> str:
        return " ".join(" ".join(self.rows()).split())

    def wait_for(self, text: str, timeout: float = 60) -> None:
        """Until `text` shows whole on the screen; fail if the program ends first."""
        wanted = " ".join(text.split())
        deadline = time.monotonic() + timeout
        while wanted not in (shown := self.text()):
            if time.monotonic() > deadline or EXITED in shown:
                raise AssertionError(f"{self.name}: not on the screen: {wanted!r}\n{self.dump()}")
            time.sleep(POLL)

    def type(self, text: str) -> None:
        self.tmux("send-keys", "-t", self.name, "-l", text)

    def press(self, *keys: str) -> None:
        if keys:
            self.tmux("send-keys", "-t", self.name, *keys)

    def assert_fits(self) -> None:
        for row in self.rows():
            assert len(row) < self.columns, f"{self.name}: reaches the last column: {row!r}"

    def dump(self) -> str:
        return "\n".join("|" + row for row in self.rows())


@pytest.fixture
def tmux_server() -> Iterator[str]:
    """A tmux server of the test's own (its own socket), stopped afterwards."""
    assert shutil.which("tmux"), "tmux is not installed; apt-get install tmux (.ci/run does)"
    server = f"fluxzoo-test-{uuid.uuid4().hex[:8]}"
    yield server
    subprocess.run(["tmux", "-L", server, "kill-server"], capture_output=True, check=False)


def answer_every_question(pane: Pane, kind: str) -> str:
    """Read each question and answer it: a title and a description typed, the kind picked
    with the arrow keys, every other suggestion kept. Returns the slug."""
    title = f"Tiny {KINDS[kind].label}"
    given = {"title": title, "kind": kind, "description": f"A first {kind} entry."}
    resolved = answers.resolve(given)
    for q in answers.questions():
        if q.name == "created" or q.name in answers.FOLLOW_THE_KIND or q.name not in resolved:
            continue
        pane.wait_for(q.help)
        pane.assert_fits()
        if q.name == "kind":
            pane.press(*["Down"] * KIND_NAMES.index(kind), "Enter")
        elif q.name in given:
            pane.type(given[q.name])
            pane.press("Enter")
        else:
            pane.press("Enter")
    pane.wait_for("Your new tutorial entry:")
    pane.wait_for(f"It will be created in {resolved['slug']}/")
    pane.assert_fits()
    pane.press("Enter")
    pane.wait_for("Next steps:")
    status = pane.cwd / STATUS
    deadline = time.monotonic() + 60
    while not status.exists() and time.monotonic() < deadline:
        time.sleep(POLL)
    assert status.exists() and status.read_text().strip() == "0", pane.dump()
    pane.assert_fits()
    return str(resolved["slug"])


def assert_notebook_follows_the_script(entry: Path, slug: str, kind: str) -> None:
    """The notebook is valid, opens with the title, and its cells come in the script's order
    (each cell's first line found in the script after the cell before's), with the kind's
    `## ` sections in theirs."""
    notebook = nbformat.read(entry / f"{slug}.ipynb", as_version=4)
    nbformat.validate(notebook)
    script = (entry / f"{slug}.jl").read_text(encoding="utf-8")
    first = notebook.cells[0]
    assert first.cell_type == "markdown"
    assert first.source.splitlines()[0] == f"# Tiny {KINDS[kind].label}"
    *cells, credit = notebook.cells  # Literate.jl's own last cell
    assert credit.cell_type == "markdown" and "generated using [Literate.jl]" in credit.source
    at = 0
    for cell in cells:
        line = next(x for x in cell.source.splitlines() if x.strip())
        in_script = f"# {line}" if cell.cell_type == "markdown" else line
        found = script.find(in_script, at)
        assert found >= 0, f"{slug}.ipynb: cell {line!r} is not in the script after the cell before"
        at = found
    headings = [
        m.group(1)
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for m in re.finditer(r"^## (.+)$", cell.source, re.M)
    ]
    assert [h for h in headings if h in KINDS[kind].sections] == list(KINDS[kind].sections)


@pytest.mark.parametrize("columns", [60, 100])
def test_a_person_creates_one_entry_of_every_kind(
    columns: int, tmp_path: Path, tmux_server: str
) -> None:
    new = shlex.join([sys.executable, "-m", "fluxzoo", "new"])
    record = f"echo $s > {STATUS}.tmp; mv {STATUS}.tmp {STATUS}"  # whole, or not there yet
    argv = ["sh", "-c", f'{new}; s=$?; {record}; echo "{EXITED} $s."; sleep 1']
    panes = {}
    for kind in KIND_NAMES:
        (tmp_path / kind).mkdir()
        panes[kind] = Pane(tmux_server, kind, argv, tmp_path / kind, columns)
    with ThreadPoolExecutor(max_workers=len(panes)) as pool:
        made = pool.map(answer_every_question, panes.values(), panes)
        slugs = dict(zip(panes, made, strict=True))
    for kind, slug in slugs.items():
        assert_notebook_follows_the_script(tmp_path / kind / slug, slug, kind)
