"""Progress on a terminal, silence elsewhere: a bar over a whole zoo is only for people."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator, Sized
from typing import ClassVar, TypeVar

T = TypeVar("T")

PROGRESS_THRESHOLD = 20
"""Fewer entries than this finish before a bar would be worth drawing."""


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: Iterable[T], label: str, total: int | None = None) -> Iterator[T]:
    """Yield `items` (`total` of them when they are not a list), drawing a progress bar on
    stderr when a person is watching."""
    count = len(items) if isinstance(items, Sized) else total or 0
    if count < PROGRESS_THRESHOLD or not interactive():
        yield from items
        return
    from rich.progress import track

    yield from track(
        items, total=count, description=label, console=_stderr_console(), transient=True
    )


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)


def color_stdout() -> bool:
    """Colour is for a person: stdout is a terminal and NO_COLOR (no-color.org) is not set."""
    return sys.stdout.isatty() and not os.environ.get("NO_COLOR")


_STYLES = {
    "fz.path": "bold",
    "fz.code": "bold cyan",
    "fz.error": "bold red",
    "fz.warning": "yellow",
    "fz.fix": "green",
    "fz.heading": "bold magenta",
}
_HIGHLIGHTS = (
    r"(?m)^(?P<path>[^\s:]+(?::\d+:\d+)?):(?= )",
    r"(?P<code>\bFZ\d{3}\b)",
    r"(?P<error>\[error\])",
    r"(?P<warning>\[warning\])",
    r"(?P<fix>\[[*~]\])",
    r"(?m)(?P<heading>^#+ .*$)",
)


def write_highlighted(text: str) -> None:
    """Write plain `text` to stdout, coloured by rich when a person is reading it."""
    if not color_stdout():
        sys.stdout.write(text)
        return
    from rich.console import Console
    from rich.highlighter import RegexHighlighter
    from rich.theme import Theme

    class Findings(RegexHighlighter):
        base_style = "fz."
        highlights: ClassVar[list[str]] = list(_HIGHLIGHTS)

    console = Console(highlighter=Findings(), theme=Theme(_STYLES), soft_wrap=True)
    console.print(text, end="", markup=False, emoji=False)
