"""The errors a user can cause, and the exit codes they map to.

Every expected failure raises a `FluxzooError`; the CLI catches the base class in one place
and prints its one-line message. Constructors never print.
"""

from __future__ import annotations

import reprlib
from pathlib import Path

_SHORT = reprlib.Repr()
_SHORT.maxlevel, _SHORT.maxstring, _SHORT.maxother = 3, 60, 60
_SHORT.maxlist = _SHORT.maxdict = 4


def shorten(value: object) -> str:
    """`repr(value)` cut short for a one-line message: a 1 MB title is not echoed in full."""
    text = _SHORT.repr(value)
    return text if len(text) <= 120 else text[:117] + "..."


def printable(text: str) -> str:
    """`text` safe for a terminal: control characters (ESC, BEL, CR, ...) shown as escapes.

    Messages quote metadata from a pull request; a raw ESC would let it clear the screen,
    recolour or rewrite the lines above.
    """
    if text.isprintable():  # the common case, without a look at each character
        return text
    return "".join(
        c if c.isprintable() or c == " " else c.encode("unicode_escape").decode("ascii")
        for c in text
    )


class FluxzooError(Exception):
    """A mistake the user can fix; printed as one line, never as a traceback."""

    exit_code = 1

    def __init__(self, message: str, *, path: Path | str | None = None, line: int | None = None):
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line else f"{self.path}: "
        return where + self.message


class UsageError(FluxzooError):
    """Bad input on the command line or in an answer: exit 2, nothing written."""

    exit_code = 2


class ValidationError(UsageError):
    """An answer that a validator refused; `key` names the answer."""

    def __init__(self, key: str, value: object, allowed: str):
        super().__init__(f"{key}={shorten(value)} is not valid: {allowed}")
        self.key = key
        self.value = value
        self.allowed = allowed


class Aborted(FluxzooError):
    """The user pressed Ctrl-C or Ctrl-D."""

    exit_code = 130

    def __init__(self, message: str = "Aborted; nothing was written."):
        super().__init__(message)
