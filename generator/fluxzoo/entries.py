"""Finding entries: what `sync`, `check` and `index` walk.

An entry is a folder holding `tutorial.toml`. A legacy entry (the zoo before the standard) is the
outermost folder inside a category folder that holds Julia code or a Project.toml. A file given
on the command line (as pre-commit passes them) stands for the entry that contains it.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from fluxzoo import reading
from fluxzoo.errors import UsageError
from fluxzoo.metadata import FILENAME

CATEGORIES = ("vision", "text", "other", "tutorials", "contrib")

# The files of an entry besides `<slug>.jl`, `<slug>.ipynb` and tutorial.toml (DESIGN.md §2).
README = "README.md"
PROJECT = "Project.toml"
MANIFEST = "Manifest.toml"
GITIGNORE = ".gitignore"
RUNTESTS = "test/runtests.jl"
_SKIP_DIRS = {".git", ".github", "node_modules", "__pycache__", ".venv", "test", "docs", "runs"}


def is_entry(path: Path) -> bool:
    return (path / FILENAME).is_file()


def is_legacy_entry(path: Path) -> bool:
    """A folder of Julia code somewhere inside a category folder (`contrib/games/x` counts too)."""
    if is_entry(path) or not path.is_dir():
        return False
    if not any(parent.name in CATEGORIES for parent in path.resolve().parents):
        return False
    return any(p.suffix == ".jl" or p.name == "Project.toml" for p in path.iterdir() if p.is_file())


def find_zoo(path: Path) -> Path | None:
    """The model-zoo checkout holding `path`: the nearest folder with two or more categories."""
    for folder in [path, *path.parents]:
        if sum((folder / c).is_dir() for c in CATEGORIES) >= 2:
            return folder
    return None


def category_at(path: Path, zoo: Path | None) -> str | None:
    """The category folder of `zoo` that `path` is in, if any: the category it suggests."""
    if zoo is None:
        return None
    try:
        parts = path.resolve().relative_to(zoo.resolve()).parts
    except ValueError:
        return None
    return parts[0] if parts and parts[0] in CATEGORIES else None


def _owning_entry(path: Path, include_legacy: bool) -> Path | None:
    """The standard entry holding `path`, else the outermost legacy one.

    Outermost, because a legacy entry's subfolders may hold Julia code too.
    """
    chain = [path, *path.parents]
    for parent in chain:
        if is_entry(parent):
            return parent
    legacy = [parent for parent in chain if include_legacy and is_legacy_entry(parent)]
    return legacy[-1] if legacy else None


def _walk(root: Path, include_legacy: bool) -> Iterable[Path]:
    """The entries under `root`, each found from its parent, so one that cannot be listed counts."""

    def refuse(error: OSError) -> None:
        raise reading.os_error(error, Path(error.filename))

    for dirpath, dirnames, _ in os.walk(root, onerror=refuse):
        here = Path(dirpath)
        below = []
        for name in sorted(d for d in dirnames if d not in _SKIP_DIRS and not d.startswith(".")):
            child = here / name
            if is_entry(child) or (include_legacy and is_legacy_entry(child)):
                yield child
            else:
                below.append(name)
        dirnames[:] = below


def find_entries(paths: Iterable[Path], *, include_legacy: bool = False) -> list[Path]:
    """Every entry at or under `paths` (default: the current folder), each once, sorted."""
    found: dict[Path, None] = {}
    for path in list(paths) or [Path()]:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_file():
            entry = _owning_entry(path.resolve().parent, include_legacy)
            if entry is not None:
                found[_relative(entry)] = None
            continue
        owner = _owning_entry(path.resolve(), include_legacy)
        if owner is not None:
            found[_relative(owner)] = None
            continue
        for entry in _walk(path, include_legacy):
            found[entry] = None
    return sorted(found)


def require_entries(paths: Iterable[Path], *, include_legacy: bool = False) -> list[Path]:
    """`find_entries`, refusing (one line, exit 2) when there are none to work on."""
    paths = list(paths)
    found = find_entries(paths, include_legacy=include_legacy)
    if not found:
        where = ", ".join(str(p) for p in paths) or "the current folder"
        raise UsageError(
            f"no entries in {where}: give an entry folder (with tutorial.toml), "
            "a category folder or a zoo checkout"
        )
    return found


def _relative(path: Path) -> Path:
    """Keep paths as the user would write them: relative to the working folder when inside it."""
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path
