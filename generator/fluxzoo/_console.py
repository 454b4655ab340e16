"""Progress on a terminal, silence elsewhere: a bar over a whole zoo is only for people."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from typing import TypeVar

T = TypeVar("T")

PROGRESS_THRESHOLD = 20
"""Fewer entries than this finish before a bar would be worth drawing."""


def interactive() -> bool:
    return sys.stderr.isatty() and not os.environ.get("CI")


def progress(items: list[T], label: str) -> Iterator[T]:
    """Yield `items`, drawing a progress bar on stderr when a person is watching."""
    if len(items) < PROGRESS_THRESHOLD or not interactive():
        yield from items
        return
    from rich.progress import track

    yield from track(items, description=label, console=_stderr_console(), transient=True)


def _stderr_console():  # type: ignore[no-untyped-def]
    from rich.console import Console

    return Console(stderr=True)
