"""The first code the `fluxzoo` command runs: from here on an interrupt ends it with one line.

Python's start-up and the command's imports take tens of milliseconds; Ctrl-C or SIGTERM in
that time must not print a `KeyboardInterrupt` traceback either. This module imports nothing
of fluxzoo until its own handlers are in place, and ignores both signals once the command has
returned, while the interpreter exits.
"""

from __future__ import annotations

import signal
import sys

_SIGNALS = (signal.SIGINT, signal.SIGTERM)
_received = [signal.SIGINT]


def _early(signum: int, _frame: object) -> None:
    _received[0] = signum
    raise KeyboardInterrupt


def _ignore_from_now_on() -> None:
    for signum in _SIGNALS:
        signal.signal(signum, signal.SIG_IGN)


def main() -> int:
    for signum in _SIGNALS:
        if signal.getsignal(signum) is not signal.SIG_IGN:
            signal.signal(signum, _early)
    try:
        from fluxzoo.cli import main as run
    except KeyboardInterrupt:
        _ignore_from_now_on()
        sys.stderr.write("Aborted; nothing was written.\n")
        return 128 + _received[0]
    try:
        return run()
    except KeyboardInterrupt:  # as `run` put its handlers in place or took them away
        _ignore_from_now_on()
        from fluxzoo.interrupts import interrupted_message

        sys.stderr.write(interrupted_message() + "\n")
        return 128 + _received[0]
    finally:
        _ignore_from_now_on()
