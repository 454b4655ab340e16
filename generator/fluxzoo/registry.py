"""What fluxzoo knows about Julia packages: UUIDs, newest releases, standard libraries.

The table is `data/julia_registry.json`, built from the General registry by
`scripts/build_registry_table.py`; no Julia is needed to read it. It is loaded once, on the
first question, so commands that never ask (e.g. `fluxzoo --help`) do not pay for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from fluxzoo._paths import data_dir
from fluxzoo.errors import FluxzooError

FILENAME = "julia_registry.json"


@dataclass(frozen=True)
class _Table:
    packages: dict[str, dict[str, Any]]
    stdlibs: dict[str, str]
    provenance: dict[str, Any]


@cache
def _table() -> _Table:
    raw = json.loads((data_dir() / FILENAME).read_text(encoding="utf-8"))
    return _Table(packages=raw["packages"], stdlibs=raw["stdlibs"], provenance=raw["provenance"])


def provenance() -> dict[str, Any]:
    """Where and when the table was taken from (registry commits, date)."""
    return _table().provenance


def known(name: str) -> bool:
    """Whether `name` is a registered package or a standard library."""
    t = _table()
    return name in t.packages or name in t.stdlibs


def is_stdlib(name: str) -> bool:
    """Whether `name` ships with Julia (some, like Statistics, are also in General)."""
    return name in _table().stdlibs


def uuid(name: str) -> str | None:
    """The package's UUID as `[deps]` must spell it, or None for an unknown name."""
    t = _table()
    if name in t.stdlibs:
        return t.stdlibs[name]
    entry = t.packages.get(name)
    return entry["uuid"] if entry else None


def latest(name: str) -> str | None:
    """The newest non-yanked release in General, or None (unknown, or a stdlib only)."""
    entry = _table().packages.get(name)
    return entry["latest"] if entry else None


def compat_bound(name: str) -> str:
    """The `[compat]` entry that admits the newest release and its patch updates.

    Julia's caret semantics make `"0.16"` mean `[0.16.0, 0.17.0)` and `"1.2"` mean
    `[1.2.0, 2.0.0)`, so major.minor of the newest release is both current and permissive.
    Standard libraries are versioned with Julia itself and get `"1"`.
    """
    if is_stdlib(name):
        return "1"
    version = latest(name)
    if version is None:
        if known(name):
            raise FluxzooError(f"package {name!r} has no usable release in the General registry")
        raise FluxzooError(
            f"unknown Julia package {name!r}: not in fluxzoo's copy of the General registry "
            "(check the spelling; package names are case-sensitive)"
        )
    major, minor = version.split("-")[0].split("+")[0].split(".")[:2]
    return f"{major}.{minor}"
