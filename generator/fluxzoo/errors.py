"""The errors a user can cause, and the exit codes they map to.

Every expected failure raises a `FluxzooError`; the CLI catches the base class in one place
and prints its one-line message. Constructors never print.
"""

from __future__ import annotations

from pathlib import Path


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
        super().__init__(f"{key}={value!r} is not valid: {allowed}")
        self.key = key
        self.value = value
        self.allowed = allowed


class Aborted(FluxzooError):
    """The user pressed Ctrl-C or Ctrl-D."""

    exit_code = 130

    def __init__(self, message: str = "Aborted; nothing was written."):
        super().__init__(message)
