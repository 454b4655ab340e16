"""The one way fluxzoo reads what it is given: entry files, metadata and answers files.

Everything fluxzoo reads from a tree or an answers file may come from a pull request, so it is
read defensively, in one place:

- only regular files: a FIFO would block forever, `/dev/zero` never ends, a folder or a link
  loop cannot be read; a link may point anywhere inside its entry, never out of it;
- at most a size fitting the kind of file, checked before reading and while reading;
- JSON, TOML and YAML nested at most `MAX_DEPTH` levels (a parser that recurses past Python's
  limit is caught too), and YAML without aliases (a few hundred bytes of nested aliases
  expand to gigabytes);
- every failure is a `ReadError`: one line naming the file, which commands print and `check`
  turns into a finding.
"""

from __future__ import annotations

import errno
import json
import os
import re
import stat
from pathlib import Path
from typing import Any

from fluxzoo.errors import FluxzooError

KiB = 1024
MiB = 1024 * KiB

LIMITS = {
    ".jl": 64 * MiB,  # the Julia parser has its own, smaller guard (julia_syntax)
    ".ipynb": 20 * MiB,
    ".toml": 1 * MiB,
    ".md": 2 * MiB,
    ".json": 1 * MiB,
    ".yaml": 1 * MiB,
    ".yml": 1 * MiB,
}
"""Per kind of file, by suffix: far above any real entry (the model zoo's largest script is
under 20 KB, its largest notebook with outputs under 2 MB), far below what would exhaust memory
or stall the Julia parser. Manifest.toml gets its own, larger limit."""
MANIFEST_LIMIT = 8 * MiB
ANSWERS_LIMIT = 1 * MiB
DEFAULT_LIMIT = 4 * MiB
MAX_DEPTH = 100
"""Nesting of JSON, TOML and YAML documents: real notebooks and Project.toml files stay under 10."""
_TOML_POSITION = re.compile(r"\(at line (\d+), column (\d+)\)\Z")


class ReadError(FluxzooError):
    """A file that cannot be read as fluxzoo needs it; `reason` is the message without the path."""

    def __init__(
        self, reason: str, *, path: Path | str, line: int | None = None, col: int | None = None
    ):
        super().__init__(reason, path=path, line=line)
        self.reason = reason
        self.col = col


def limit_for(path: Path) -> int:
    if path.name == "Manifest.toml":
        return MANIFEST_LIMIT
    return LIMITS.get(path.suffix.lower(), DEFAULT_LIMIT)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _inside(path: Path, root: Path) -> Path:
    """`path` with its links resolved, refused if that lies outside `root` or loops."""
    try:
        real = Path(os.path.realpath(path, strict=True))
        top = Path(os.path.realpath(root))
    except RuntimeError:  # Python < 3.13 reports a link loop this way
        raise ReadError("a symbolic link loop; replace it with the file", path=path) from None
    except OSError as e:
        raise os_error(e, path) from None
    if real != top and top not in real.parents:
        raise ReadError(
            "a symbolic link out of the entry; replace it with the file itself", path=path
        )
    return real


def os_error(e: OSError, path: Path) -> ReadError:
    """One line for what the system refused; a folder that cannot be listed reads the same."""
    if e.errno == errno.ELOOP:
        return ReadError("a symbolic link loop; replace it with the file", path=path)
    if e.errno == errno.ENOENT:
        if path.is_symlink():
            return ReadError(
                "cannot read: a dangling symbolic link; point it at a file or remove it", path=path
            )
        return ReadError("missing", path=path)
    if e.errno == errno.EACCES:
        return ReadError("cannot read: permission denied; make it readable", path=path)
    return ReadError(f"cannot read: {e.strerror or e}", path=path)


def read_bytes(path: Path, *, within: Path | None = None, limit: int | None = None) -> bytes:
    """The bytes of the regular file `path`, if it lies (links resolved) inside `within`."""
    limit = limit_for(path) if limit is None else limit
    target = _inside(path, within) if within is not None else path
    try:
        # O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it.
        fd = os.open(
            target, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        )
    except OSError as e:
        raise os_error(e, path) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(f"{_kind(info.st_mode)}, not a file; replace it with a file", path=path)
        if info.st_size > limit:
            raise _too_big(path, limit)
        chunks, total = [], 0
        while chunk := os.read(fd, min(limit + 1 - total, MiB)):
            chunks.append(chunk)
            total += len(chunk)
            if total > limit:
                raise _too_big(path, limit)
        return b"".join(chunks)
    except OSError as e:
        raise os_error(e, path) from None
    finally:
        os.close(fd)


def _too_big(path: Path, limit: int) -> ReadError:
    return ReadError(
        f"larger than {limit // MiB} MB, more than a tutorial's file needs; make it smaller",
        path=path,
    )


def decode(data: bytes, path: Path) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise ReadError(
            f"not UTF-8 text (byte {e.start}); save the file as UTF-8", path=path
        ) from None


def read_text(path: Path, *, within: Path | None = None, limit: int | None = None) -> str:
    """The UTF-8 text of the regular file `path` (see `read_bytes`)."""
    return decode(read_bytes(path, within=within, limit=limit), path)


_NESTS = (dict, list, tuple)


def depth(value: Any) -> int:
    """How deeply lists and mappings nest in a parsed document (counted without recursion,
    one level at a time; it stops counting past `MAX_DEPTH`)."""
    level, frontier = 0, [value] if isinstance(value, _NESTS) else []
    while frontier and level <= MAX_DEPTH:
        level += 1
        below = []
        for item in frontier:
            children = item.values() if isinstance(item, dict) else item
            below += [child for child in children if isinstance(child, _NESTS)]
        frontier = below
    return level


def _too_deep(path: Path, what: str) -> ReadError:
    return ReadError(f"{what} nested more than {MAX_DEPTH} levels deep; flatten it", path=path)


def _bounded(value: Any, path: Path, what: str) -> Any:
    if depth(value) > MAX_DEPTH:
        raise _too_deep(path, what)
    return value


def parse_json(text: str, path: Path) -> Any:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as e:
        raise ReadError(f"not valid JSON: {e.msg}", path=path, line=e.lineno, col=e.colno) from None
    except RecursionError:
        raise _too_deep(path, "JSON") from None
    return _bounded(value, path, "JSON")


def parse_toml(text: str, path: Path) -> dict[str, Any]:
    """rtoml (Rust) reads a Manifest several times faster than tomllib, with the same result;
    what it refuses goes to tomllib, whose message names the problem the way users see it."""
    import rtoml

    from fluxzoo.metadata import tomllib

    try:
        return _bounded(rtoml.loads(text), path, "TOML")
    except rtoml.TomlParsingError:
        pass
    try:
        value = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        message, line, col = str(e), None, None
        m = _TOML_POSITION.search(message)
        if m:
            line, col = int(m.group(1)), int(m.group(2))
            message = message[: m.start()].rstrip()
        raise ReadError(f"not valid TOML: {message}", path=path, line=line, col=col) from None
    except RecursionError:
        raise _too_deep(path, "TOML") from None
    return _bounded(value, path, "TOML")


def parse_yaml(text: str, path: Path) -> Any:
    import yaml

    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.AliasEvent):
                raise ReadError(
                    "YAML aliases (*name) are not accepted; write the value out", path=path
                )
        value = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ReadError(f"not valid YAML: {' '.join(str(e).split())}", path=path) from None
    except RecursionError:
        raise _too_deep(path, "YAML") from None
    return _bounded(value, path, "YAML")
