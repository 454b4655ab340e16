"""Unified diffs of whole files, as `git diff` shows them (`--diff`, `update --dry-run`)."""

from __future__ import annotations

import difflib


def unified(name: str, before: str | None, after: str | None) -> str:
    """The diff turning `before` into `after` (None: the file is absent on that side)."""
    lines = difflib.unified_diff(
        (before or "").splitlines(keepends=True),
        (after or "").splitlines(keepends=True),
        fromfile=f"a/{name}" if before is not None else "/dev/null",
        tofile=f"b/{name}" if after is not None else "/dev/null",
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
