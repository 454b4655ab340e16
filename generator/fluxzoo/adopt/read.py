"""Reading a legacy entry's files: text, TOML tables, the file list and its category."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fluxzoo import entries, metadata
from fluxzoo.errors import FluxzooError, UsageError


def read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as e:
        raise FluxzooError(
            f"not UTF-8 text (byte {e.start}); save it as UTF-8 and run adopt again", path=path
        ) from None
    except OSError as e:
        raise FluxzooError(f"cannot read: {e.strerror}", path=path) from None


def table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def read_toml(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    try:
        return metadata.tomllib.loads(read_text(path))
    except metadata.tomllib.TOMLDecodeError as e:
        raise FluxzooError(f"invalid TOML: {e}; fix it and run adopt again", path=path) from None


def category_of(entry: Path) -> str:
    """The nearest enclosing category folder (contrib entries may sit one level deeper)."""
    for parent in entry.parents:
        if parent.name in entries.CATEGORIES:
            return parent.name
    raise UsageError(
        f"{entry}: not inside a category folder ({', '.join(entries.CATEGORIES)}); "
        "adopt works on entries of a model-zoo checkout"
    )


def files_in(entry: Path) -> list[str]:
    found = []
    for dirpath, dirnames, filenames in os.walk(entry):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        rel = Path(dirpath).relative_to(entry)
        found += [(rel / f).as_posix() for f in filenames]
    return sorted(found)
