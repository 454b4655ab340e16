"""Read-only work over many entries on every core: forked worker processes, results in order.

`check` and `site` do the same independent work for each entry (parse, resolve names, render),
and Python runs it on one core; the Julia linters they are measured against use them all.
`ordered_map` forks the workers once the parent has imported what the task needs, so a child
starts warm, hands each one entry at a time, and yields the results in the items' order, so
the output is the same bytes as one process gives.

Where forking is unsafe it runs in this process instead: off Linux (macOS's system libraries
are not fork-safe; Windows has no fork), when another thread is running (a fork copies its
locks held), or for a handful of items (the fork costs more than it saves). `FLUXZOO_JOBS=N`
sets how many processes (1: none forked). Only work that writes nothing shared belongs here:
the write paths (`--fix`, `sync`, `update`) stay in one process, where an interrupt can stop
them between two changes.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

from fluxzoo.errors import UsageError

T = TypeVar("T")
R = TypeVar("R")

JOBS_VARIABLE = "FLUXZOO_JOBS"
MIN_ITEMS = 4
"""Fewer items than this run in this process."""

_work: tuple[Callable[[Any], Any], Sequence[Any]] | None = None
"""The task and its items, set before the fork: the children inherit them, so only an index
travels to a child and only its result travels back."""


def jobs(count: int) -> int:
    """How many processes to use for `count` items (1: this one only)."""
    wanted = os.environ.get(JOBS_VARIABLE, "").strip()
    if wanted:
        try:
            limit = int(wanted)
        except ValueError:  # `str.isdigit` admits `²`, which `int` refuses
            limit = 0
        if limit < 1:
            raise UsageError(
                f"{JOBS_VARIABLE}={wanted!r} is not a number of processes; "
                f"give a whole number, e.g. {JOBS_VARIABLE}=2 (1: no worker processes)"
            )
    else:
        limit = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1
    if sys.platform != "linux" or threading.active_count() > 1 or count < MIN_ITEMS:
        return 1
    return min(limit, count)


def _run(index: int) -> Any:
    assert _work is not None
    task, items = _work
    return task(items[index])


def _child_signals() -> None:
    # Ctrl-C reaches the whole process group: the parent alone answers it, and ends the
    # children with SIGTERM, which must then simply stop them.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


@contextlib.contextmanager
def ordered_map(task: Callable[[T], R], items: Sequence[T]) -> Iterator[Iterator[R]]:
    """`map(task, items)`, spread over `jobs(len(items))` processes; leaving the block early
    (an error, an interrupt) ends the children."""
    processes = jobs(len(items))
    if processes == 1:
        yield map(task, items)
        return
    import multiprocessing

    global _work
    _work = (task, items)
    try:
        with multiprocessing.get_context("fork").Pool(processes, _child_signals) as pool:
            yield pool.imap(_run, range(len(items)))
    finally:
        _work = None
