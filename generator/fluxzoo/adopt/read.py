"""Reading a legacy entry's files: text, TOML tables, the file list and its category."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from fluxzoo import entries, reading
from fluxzoo.errors import FluxzooError, UsageError


def read_text(path: Path, entry: Path) -> str:
    """A legacy file's text with Unix line ends and no byte-order mark (the script's first
    line becomes a later one)."""
    try:
        text = reading.read_text(path, within=entry)
    except reading.ReadError as e:
        raise FluxzooError(f"{e.reason}, and run adopt again", path=path) from None
    return text.removeprefix("\ufeff").replace("\r\n", "\n")


def table(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def read_toml(path: Path, entry: Path) -> dict[str, Any]:
    if not path.exists() and not path.is_symlink():
        return {}
    try:
        return reading.parse_toml(read_text(path, entry), path)
    except reading.ReadError as e:
        raise FluxzooError(f"{e.reason}; fix it and run adopt again", path=path) from None


PROJECT_TABLES = ("deps", "compat", "extras", "targets")


def project_tables(project: dict[str, Any], path: Path) -> dict[str, Any]:
    """Project.toml with the tables adopt edits checked, and `test = "Test"` read as a list.

    Julia's Pkg takes a `[targets]` entry only as a list of names; a lone string is what a
    person meant by a list of one.
    """
    for key in PROJECT_TABLES:
        if key in project and not isinstance(project[key], dict):
            raise FluxzooError(
                f"'{key}' must be a table ([{key}]), not {type(project[key]).__name__}; "
                "fix it and run adopt again",
                path=path,
            )
    targets = dict(project.get("targets", {}))
    for name, value in targets.items():
        if isinstance(value, str):
            targets[name] = [value]
        elif not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
            raise FluxzooError(
                f"[targets] {name} must be a list of package names; fix it and run adopt again",
                path=path,
            )
    return {**project, "targets": targets} if "targets" in project else project


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
