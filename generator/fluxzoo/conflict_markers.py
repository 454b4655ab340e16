"""Unresolved merge conflicts in a text: the blocks git writes between `<<<<<<<` and `>>>>>>>`.

`git merge`, `git merge-file` and `fluxzoo update` mark a conflict with lines of exactly seven
marker characters at the start of a line: `<<<<<<< ours`, optionally `||||||| base` (diff3
style), `=======`, `>>>>>>> theirs`. Only the opening and closing markers count outside a
block: a bare `=======` is also Markdown's underline of a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_OPEN = re.compile(r"^<{7}(?:[ \t]|$)")
_BASE = re.compile(r"^\|{7}(?:[ \t]|$)")
_SPLIT = re.compile(r"^={7}[ \t]*$")
_CLOSE = re.compile(r"^>{7}(?:[ \t]|$)")
_ANY = ("<<<<<<<", ">>>>>>>")


@dataclass(frozen=True)
class ConflictBlock:
    """One conflict: from its first marker line to its last (1-based, inclusive)."""

    start: int
    end: int
    problem: str = ""
    """Empty for a whole block; else what is wrong with a marker found alone."""


def conflict_blocks(text: str) -> list[ConflictBlock]:
    """Every conflict block of `text`, in order; a lone opening or closing marker is one too."""
    if not any(marker in text for marker in _ANY):
        return []
    blocks = []
    start = None
    split = False
    lines = text.splitlines()
    for number, line in enumerate(lines, start=1):
        if _OPEN.match(line):
            if start is not None:
                blocks.append(ConflictBlock(start, number - 1, "a `<<<<<<<` without `>>>>>>>`"))
            start, split = number, False
        elif start is not None and (_SPLIT.match(line) or _BASE.match(line)):
            split = split or bool(_SPLIT.match(line))
        elif _CLOSE.match(line):
            if start is None:
                blocks.append(ConflictBlock(number, number, "a `>>>>>>>` without `<<<<<<<`"))
            else:
                problem = "" if split else "a block without `=======`"
                blocks.append(ConflictBlock(start, number, problem))
            start = None
    if start is not None:
        blocks.append(ConflictBlock(start, len(lines), "a `<<<<<<<` without `>>>>>>>`"))
    return blocks
