"""What a person reads in a terminal: a program in a pseudo-terminal, its screen kept by pyte.

The checks read the screen as cells, as a person does: a line that reached the last column was
cut or wrapped by the terminal, and a text that is not on the screen once its whitespace is
joined (rows side by side) was cut inside a word, split at a hyphen or inside a path.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pexpect
import pyte


def flat(text: str) -> str:
    """`text` with every run of whitespace (line breaks too) as one space."""
    return " ".join(text.split())


class Terminal:
    """`argv` in a pseudo-terminal of `columns` by `rows`; the screen as the emulator shows it."""

    def __init__(self, argv: list[str], cwd: Path, columns: int, rows: int = 150):
        self.columns = columns
        self.screen = pyte.Screen(columns, rows)
        self.stream = pyte.ByteStream(self.screen)
        env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
        self.child = pexpect.spawn(
            argv[0], argv[1:], cwd=str(cwd), env=env, dimensions=(rows, columns), timeout=20
        )

    def rows(self) -> list[str]:
        return list(self.screen.display)

    def text(self) -> str:
        """The screen's text, rows joined and whitespace runs as one space."""
        return flat(" ".join(self.rows()))

    def _read(self) -> bool:
        """Feed what the program wrote to the emulator; False once it has exited."""
        try:
            self.stream.feed(self.child.read_nonblocking(65536, timeout=0.05))
        except pexpect.TIMEOUT:
            pass
        except pexpect.EOF:
            return False
        return True

    def wait_for(self, *texts: str, timeout: float = 20) -> None:
        """Until every text shows whole on the screen (else fail with the screen)."""
        wanted = [flat(t) for t in texts]
        deadline = time.monotonic() + timeout
        while any(w not in self.text() for w in wanted):
            if not self._read() or time.monotonic() > deadline:
                missing = next(w for w in wanted if w not in self.text())
                raise AssertionError(f"not on the screen: {missing!r}\n{self.dump()}")

    def send(self, *keys: str) -> None:
        for key in keys:
            self.child.send(key)

    def finish(self) -> int:
        while self._read():
            pass
        self.child.close()
        return self.child.exitstatus

    def assert_fits(self) -> None:
        """No row reaches the last column: nothing was cut at the edge or wrapped by it."""
        for row in self.rows():
            assert row[-1] == " ", f"reaches column {self.columns}: {row!r}\n{self.dump()}"

    def dump(self) -> str:
        return "\n".join("|" + row.rstrip() for row in self.rows()).rstrip("|\n")
