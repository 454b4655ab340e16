"""`fluxzoo check`'s result cache: an entry that has not changed since the last check is not
checked again; its findings are read back.

One record per entry folder and selection of rules, as JSON, in `$FLUXZOO_CACHE_DIR`, else
`$XDG_CACHE_HOME/fluxzoo/check`, else `~/.cache/fluxzoo/check`: outside the zoo, so a check
changes nothing in the checkout. A record holds its key and the findings (rule code, file,
message, line, column); it is used only when the key is the one worked out now, from:

- fluxzoo: its version, and the path, size and modification time of each of its own files (the
  code, and the API and registry tables the rules judge with), so an edit of fluxzoo misses;
- the codes of the selected rules;
- the entry: its resolved path (rules read the folder's and category's names), and for every
  file and folder in it, its path, type and permissions and the bytes a rule would read (through
  `reading.read_bytes`, so links out of the entry, FIFOs and oversized files are never read:
  the refusal, the size and the modification time stand for them).

Findings depend on nothing else. A cache that cannot be read or written (missing, corrupt,
read-only) is a miss: the entry is checked, as with `--no-cache`.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
import tempfile
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from fluxzoo import __version__, reading
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import SKIP_DIRS

FORMAT = 1
"""The layout of a record; a record of another layout is a miss."""

Row = tuple[str, Finding]
"""(rule code, finding) as a record keeps it."""


def cache_dir() -> Path:
    explicit = os.environ.get("FLUXZOO_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path("~/.cache").expanduser()) / "fluxzoo" / "check"


@cache
def _tool() -> str:
    """fluxzoo's version and the size and modification time of each of its files."""
    digest = hashlib.blake2b(f"{FORMAT}\0{__version__}".encode(), digest_size=16)
    root = Path(__file__).resolve().parents[1]
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != "__pycache__")
        for name in sorted(filenames):
            file = Path(dirpath, name)
            info = file.stat()
            rel = file.relative_to(root).as_posix()
            digest.update(f"{rel}\0{info.st_size}\0{info.st_mtime_ns}\0".encode())
    return digest.hexdigest()


def _stat_text(path: Path) -> str:
    for follow in (True, False):
        try:
            info = path.stat(follow_symlinks=follow)
        except OSError:
            continue
        return f"{info.st_mode:o} {info.st_size} {info.st_mtime_ns}"
    return "gone"


def entry_key(path: Path, codes: Sequence[str]) -> str:
    """The key of the entry's record (see the module doc)."""
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"{_tool()}\0{','.join(codes)}\0{path.resolve()}\0".encode())
    for dirpath, dirnames, filenames in os.walk(path):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for name in dirnames:
            full = Path(dirpath, name)
            digest.update(f"dir {full.relative_to(path)}\0{_stat_text(full)}\0".encode())
        for name in sorted(filenames):
            full = Path(dirpath, name)
            mode = full.lstat().st_mode
            digest.update(f"file {full.relative_to(path)}\0{mode:o}\0".encode())
            link = stat.S_ISLNK(mode)
            if link:
                digest.update(f"link {full.readlink()}\0".encode())
            try:
                # A file the walk reached is inside the entry unless it is a link.
                data = reading.read_bytes(full, within=path if link else None)
            except reading.ReadError as e:
                digest.update(f"refused {e.reason} {_stat_text(full)}\0".encode())
            else:
                digest.update(f"{len(data)}\0".encode())
                digest.update(data)
    return digest.hexdigest()


def _record(path: Path, codes: Sequence[str]) -> Path:
    name = hashlib.blake2b(
        f"{path.resolve()}\0{','.join(codes)}".encode(), digest_size=16
    ).hexdigest()
    return cache_dir() / f"{name}.json"


def load(path: Path, codes: Sequence[str], key: str) -> list[Row] | None:
    """The findings recorded for the entry under `key`, or None (a miss)."""
    try:
        record = json.loads(_record(path, codes).read_text(encoding="utf-8"))
        if record.get("format") != FORMAT or record.get("key") != key:
            return None
        return [(code, Finding(rel, message, line, col)) for code, rel, message, line, col in
                record["findings"]]  # fmt: skip
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def store(path: Path, codes: Sequence[str], key: str, rows: Sequence[Row]) -> None:
    """Record the entry's findings under `key`, atomically; a cache that cannot be written is
    left as it is."""
    record = {
        "format": FORMAT,
        "key": key,
        "findings": [[code, f.path, f.message, f.line, f.col] for code, f in rows],
    }
    target = _record(path, codes)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, name = tempfile.mkstemp(dir=target.parent, prefix=".record-", suffix=".tmp")
        tmp = Path(name)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as out:
                json.dump(record, out)
            tmp.replace(target)
        except BaseException:
            tmp.unlink()
            raise
    except OSError:
        return
