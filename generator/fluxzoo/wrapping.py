"""Text for a terminal of a given width, broken only where a person would break it.

`textwrap`'s defaults break after hyphens and inside words longer than the line, which cuts
`gpu-optional`, `char-rnn` or a path in two; here a line breaks only at spaces, and a word or
path longer than the line stands alone on its own line. Commands too long for the line continue
with a shell backslash, so what is printed still pastes into a shell.
"""

from __future__ import annotations

import shlex
import textwrap


def lines(text: str, width: int, lead: str = "", indent: str | None = None) -> list[str]:
    """`text` in lines of at most `width` characters (a lone longer word excepted), the first
    after `lead` and the rest after `indent` (as wide as `lead` when not given)."""
    indent = " " * len(lead) if indent is None else indent
    return textwrap.wrap(
        text,
        max(width, len(indent) + 1),
        initial_indent=lead,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    ) or [lead.rstrip()]


def command_lines(command: str, width: int, lead: str) -> list[str]:
    """A shell command after `lead`: one line if it fits, else continued with ` \\` between
    arguments, never inside one."""
    if len(lead) + len(command) <= width:
        return [lead + command]
    out, line = [], lead
    for word in (shlex.quote(arg) for arg in shlex.split(command)):
        if line.strip() and len(line) + 1 + len(word) + 2 > width:
            out.append(line + " \\")
            line = lead + "  " + word
        else:
            line = f"{line} {word}" if line.strip() else line + word
    return [*out, line]
