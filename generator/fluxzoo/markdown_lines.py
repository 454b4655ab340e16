"""The line-level structure of a markdown text: ATX headings and code fences.

Read with string operations rather than one regular expression over the line: a heading
pattern with an optional closing sequence backtracks over a long run of spaces (a 40,000-space
heading line took 26 s), and README files come from pull requests.
"""

from __future__ import annotations

import re

FENCE = re.compile(r" {0,3}(`{3,}|~{3,})")
"""The opening or closing marker of a fenced code block, at the start of a line (`match`)."""


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of a `## Text ##` line, as CommonMark reads it; None for other lines."""
    stripped = line.lstrip(" ")
    if len(line) - len(stripped) > 3:
        return None
    level = len(stripped) - len(stripped.lstrip("#"))
    rest = stripped[level:]
    if not 1 <= level <= 6 or (rest and rest[0] not in " \t"):
        return None
    text = rest.strip(" \t")
    unclosed = text.rstrip("#")
    if not unclosed:
        return level, ""
    if unclosed != text and unclosed[-1] in " \t":
        text = unclosed.rstrip(" \t")
    return level, text


def headings(text: str) -> list[tuple[int, int, str]]:
    """(line, level, text) of every ATX heading outside fenced code blocks."""
    found = []
    fence = ""
    for number, line in enumerate(text.splitlines(), start=1):
        m = FENCE.match(line)
        if m:
            marker = m.group(1)
            if not fence:
                fence = marker
            elif marker[0] == fence[0] and len(marker) >= len(fence):
                fence = ""
            continue
        if not fence and (h := atx_heading(line)):
            found.append((number, *h))
    return found
