"""The adopted entry's Literate source: title, README prose, then the code kept byte for byte."""

from __future__ import annotations

import re

from fluxzoo.adopt.changes import TODO
from fluxzoo.adopt.readme import Readme
from fluxzoo.jinja_filters import markdown_text
from fluxzoo.markdown_lines import atx_heading

_LITERATE_SPECIAL = re.compile(r"^([ \t]*)#(?= |$|-|\+)")
"""A comment line Literate reads as markdown (`# x`, `#`) or as a chunk break (`#-`, `#+`)."""


def _statement_rows(source: str) -> tuple[set[int], int]:
    """Rows (0-based) strictly inside a multi-line top-level statement, and how many there are."""
    from fluxzoo import julia_syntax

    tree = julia_syntax.parse_tree(source)
    inside: set[int] = set()
    for node in tree.root_node.children:
        if node.type in {"line_comment", "block_comment"}:
            continue
        first, last = node.start_point[0], node.end_point[0]
        inside.update(range(first + 1, last + 1))
    return inside, len(inside)


def escape_comments(source: str) -> tuple[str, int]:
    """The code with Literate-special comment lines inside statements (or indented) escaped.

    Returns the new text and how many lines changed.
    """
    inside, _ = _statement_rows(source)
    out = []
    changed = 0
    for row, line in enumerate(source.split("\n")):
        m = _LITERATE_SPECIAL.match(line)
        if m and (row in inside or m.group(1)):
            line = f"{m.group(1)}#{line[len(m.group(1)) :]}"
            changed += 1
        out.append(line)
    return "\n".join(out), changed


def _as_markdown_comments(lines: list[str]) -> list[str]:
    return [f"# {line}" if line.strip() else "#" for line in lines]


def literate_source(
    title: str, readme: Readme, script: str, others: list[str], background: bool
) -> tuple[str, int]:
    """The entry's Literate source: title, README prose, a note on other files, then the code."""
    code, escaped = escape_comments(script.rstrip("\n"))
    code_lines = code.split("\n")
    first = next((i for i, line in enumerate(code_lines) if line.strip()), None)
    if first is not None and re.match(r"^# # ", code_lines[first]):
        code_lines[first] = "# ## " + code_lines[first][4:]  # the page has one title
    head = [f"# # {markdown_text(title)}", "#"]
    body = list(readme.body)
    if body and background and not atx_heading(body[0]):
        head += ["# ## Background", "#"]
    head += _as_markdown_comments(body)
    if others:
        if body:
            head.append("#")
        listed = ", ".join(f"`{name}`" for name in others)
        head.append(
            f"# {TODO} this entry also has {listed}, which this script does not include; "
            "fold them in, include them, or move them to entries of their own."
        )
    lines = [*head, "", *code_lines] if len(head) > 2 else [head[0], "", *code_lines]
    return "\n".join(lines).rstrip("\n") + "\n", escaped
