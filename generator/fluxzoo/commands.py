"""The commands a contributor types for an entry, written once for every place that shows them.

An entry is a Julia project without a name, so `Pkg.test()` refuses it; its tests run as a
script in the project's environment (DESIGN.md §6), after its packages are installed once.
The next steps of `fluxzoo new`, the header of `test/runtests.jl`, the zoo's CONTRIBUTING.md
and pull-request template and the README all show these strings (a test greps them), and the
README and the zoo's CONTRIBUTING.md state the Manifest policy in the same words.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

INSTALL_COMMAND = "julia --project=. -e 'using Pkg; Pkg.instantiate()'"
"""Installs what `Project.toml` lists (and writes `Manifest.toml`); once, in the entry's folder."""

TEST_COMMAND = "julia --project=. test/runtests.jl"
"""Runs an entry's tests, in its folder."""

MANIFEST_POLICY = (
    "commit the `Manifest.toml` it writes, so readers and the zoo's CI install the versions you"
    " tested"
)
"""What becomes of an entry's Manifest, said once for every place that says it.

fluxzoo never writes one (it needs Julia's resolver, DESIGN.md §2), but the rest of the
standard is built on a committed one: `Pkg.instantiate()` in the zoo's workflow installs exactly
what it pins, FZ207 asks that it records the Julia that resolved it, the FZ5xx rules judge the
code at the Flux it pins (`checks/stack.py`), and `adopt` keeps the zoo's and reads its versions.
"""


def fluxzoo_command() -> str:
    """How to run this fluxzoo again from a shell: `fluxzoo` when that name on PATH is this
    program, else the program's full path (a fresh checkout's `.venv/bin/fluxzoo`), else
    `python -m fluxzoo` with this interpreter."""
    program = Path(sys.argv[0]) if sys.argv and sys.argv[0] else None
    if program is None or program.name not in {"fluxzoo", "fluxzoo.exe"}:
        return f"{_quoted(sys.executable)} -m fluxzoo"
    on_path = shutil.which("fluxzoo")
    if on_path is not None and _same(Path(on_path), program):
        return "fluxzoo"
    return _quoted(str(program.absolute()))


def _same(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def _quoted(text: str) -> str:
    import shlex

    return shlex.quote(text)
