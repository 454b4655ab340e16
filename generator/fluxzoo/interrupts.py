"""SIGINT and SIGTERM: both stop fluxzoo cleanly, never in the middle of a change.

`install_handlers` makes both signals raise `Interrupted` (a `KeyboardInterrupt`), so every
`finally` on the way out runs and removes what was being built; the CLI turns it into one line
and exit status 128 + the signal number (130 for Ctrl-C, 143 for SIGTERM). A `critical`
section holds both signals until it ends: what must not be cut in half (the renames of a
commit, removing temporary files) runs in one. `completed` records each change committed, so
the message says what was done (`interrupted_message`).

Tests hold a command at a named `checkpoint` by setting `FLUXZOO_PAUSE_AT` to the point's name
(and `FLUXZOO_PAUSE_READY` to a file written when it is reached), then signal it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

_HELD = (signal.SIGINT, signal.SIGTERM)
_PAUSE_SECONDS = 20.0
"""How long a test pause waits for the signal it expects before going on."""

completed: list[str] = []
"""Each change committed by this process, as the sentence the interrupt message quotes."""

_held: list[int] = []
_depth = 0


class Interrupted(KeyboardInterrupt):
    """SIGTERM or SIGINT, raised like Ctrl-C so every cleanup on the way out runs."""

    def __init__(self, signum: int):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _raise(signum: int, _frame: object) -> None:
    raise Interrupted(signum)


def install_handlers() -> dict[int, Any]:
    """SIGINT and SIGTERM raise `Interrupted` (unless ignored, as for background jobs).

    Returns the handlers replaced, for `restore_handlers`.
    """
    if threading.current_thread() is not threading.main_thread():
        return {}
    previous = {}
    for signum in _HELD:
        handler = signal.getsignal(signum)
        if handler is not signal.SIG_IGN:
            previous[signum] = signal.signal(signum, _raise)
    return previous


def restore_handlers(previous: dict[int, Any]) -> None:
    for signum, handler in previous.items():
        signal.signal(signum, signal.SIG_DFL if handler is None else handler)


def exit_status(e: KeyboardInterrupt) -> int:
    """128 + the signal number, as shells report a command a signal stopped."""
    return 128 + (e.signum if isinstance(e, Interrupted) else signal.SIGINT)


@contextlib.contextmanager
def ignored() -> Iterator[None]:
    """Ignore both signals (while printing the last message: a second Ctrl-C changes nothing)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    try:
        for signum in _HELD:
            previous[signum] = signal.signal(signum, signal.SIG_IGN)
        yield
    finally:
        restore_handlers(previous)


def interrupted_message() -> str:
    """The one line printed when an interrupt stops the command: what was, or was not, done."""
    if not completed:
        return "Aborted; nothing was written."
    return "Aborted after finishing: " + "; ".join(completed) + "."


@contextlib.contextmanager
def critical() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while the body runs; act on them as soon as it is done."""
    global _depth
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    if _depth:
        _depth += 1
        try:
            yield
        finally:
            _depth -= 1
        return
    previous: dict[int, Any] = {}
    try:
        for signum in _HELD:
            previous[signum] = signal.signal(signum, _hold)
        _depth = 1
        yield
    finally:
        _depth = 0
        restore_handlers(previous)
        if _held:
            signum = _held[0]
            _held.clear()
            _deliver(signum, previous[signum])


def _hold(signum: int, _frame: object) -> None:
    _held.append(signum)


def _deliver(signum: int, handler: object) -> None:
    """Act on a held signal as the handler in place before the critical section would have."""
    if callable(handler):
        handler(signum, None)
    elif handler in (signal.SIG_DFL, None):
        os.kill(os.getpid(), signum)


_reached: dict[str, int] = {}


def checkpoint(name: str) -> None:
    """A named step where a test can hold the command open and signal it (see the module doc).

    `FLUXZOO_PAUSE_AT=<name>#<n>` holds it the n-th time it is reached: at the second entry of
    a command over several."""
    wanted, _, nth = os.environ.get("FLUXZOO_PAUSE_AT", "").partition("#")
    if wanted != name:
        return
    _reached[name] = _reached.get(name, 0) + 1
    if _reached[name] != int(nth or 1):
        return
    ready = os.environ.get("FLUXZOO_PAUSE_READY")
    if ready:
        Path(ready).write_text(name, encoding="utf-8")
    deadline = time.monotonic() + _PAUSE_SECONDS
    while time.monotonic() < deadline and not _held:
        time.sleep(0.005)
