"""Finding merge-conflict blocks the way git writes them (`git merge-file --diff3`)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from fluxzoo.conflict_markers import ConflictBlock, conflict_blocks


def test_a_real_git_conflict_is_one_block(tmp_path: Path) -> None:
    for name, text in (("ours", "a\nB1\nc\n"), ("base", "a\nb\nc\n"), ("theirs", "a\nB2\nc\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
    merged = subprocess.run(
        ["git", "merge-file", "-p", "--diff3", "ours", "base", "theirs"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    assert merged.count("<<<<<<<") == 1 and "|||||||" in merged
    lines = merged.splitlines()
    assert conflict_blocks(merged) == [ConflictBlock(2, len(lines) - 1)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x\n<<<<<<< a\ny\n=======\nz\n>>>>>>> b\n", [ConflictBlock(2, 6)]),
        ("<<<<<<<\n=======\n>>>>>>>\n<<<<<<< c\n=======\n>>>>>>> d\n", [(1, 3), (4, 6)]),
        ("<<<<<<< a\ny\n", [(1, 2, "a `<<<<<<<` without `>>>>>>>`")]),
        ("<<<<<<< a\n<<<<<<< b\n=======\n>>>>>>> c\n", [(1, 1, "a `<<<<<<<` without"), (2, 4)]),
        ("ok\n>>>>>>> theirs\n", [(2, 2, "a `>>>>>>>` without `<<<<<<<`")]),
        ("<<<<<<< a\nx\n>>>>>>> b\n", [(1, 3, "a block without `=======`")]),
        ("Title\n=======\n\n|||||||\n", []),  # a Markdown heading, a table rule
        ("  <<<<<<< a\n<<<<<<<< b\n>>>>>>>>\n", []),  # indented or eight characters long
        ("a\r\n<<<<<<< a\r\n=======\r\n>>>>>>> b\r\n", [(2, 4)]),
    ],
)
def test_blocks_and_lone_markers(text: str, expected: list) -> None:
    found = [(b.start, b.end, b.problem) for b in conflict_blocks(text)]
    want = [
        (e.start, e.end, e.problem) if isinstance(e, ConflictBlock) else (*e, "")[:3]
        for e in expected
    ]
    assert [(s, e, p[: len(w[2])]) for (s, e, p), w in zip(found, want, strict=True)] == want
