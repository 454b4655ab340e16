"""What fluxzoo knows about Julia packages: UUIDs, newest releases, standard libraries.

The table is `data/julia_registry.json`, built from the General registry by
`scripts/build_registry_table.py`; no Julia is needed to read it. It is loaded once, on the
first question, so commands that never ask (e.g. `fluxzoo --help`) do not pay for it.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fluxzoo import versionspec
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


JULIA = "1.10"
"""The Julia every entry is written for, unless its answers say otherwise."""


def versions(name: str) -> dict[str, dict[str, Any]]:
    """Per release of `name`: `julia` bound, `compat`, `deps` (weak ones too), `yanked`.

    Only packages the kinds use carry this (see `scripts/build_registry_table.py`); empty for
    the rest.
    """
    entry = _table().packages.get(name)
    return entry.get("versions", {}) if entry else {}


def _series(version: str) -> versionspec.Interval:
    """The releases that caret-admit each other with `version`: `[0.9.0, 0.10)`, `[1.0, 2.0)`."""
    major, minor, patch = versionspec.parse_version(version)
    low = (major, 0, 0) if major else (0, minor, 0)
    return versionspec.Interval(low, versionspec.parse_spec(f"{major}.{minor}.{patch}")[0].high)


def _releases(name: str, within: tuple[versionspec.Interval, ...], julia: versionspec.Interval):
    """`(version, data)` of the usable releases of `name` in `within`, oldest first."""
    found = []
    for text, data in versions(name).items():
        v = versionspec.parse_version(text)
        if data.get("yanked") or "-" in text or not any(v in i for i in within):
            continue
        if data.get("julia") is not None and not versionspec.overlaps(data["julia"], julia):
            continue
        found.append((v, data))
    return sorted(found, key=lambda pair: pair[0])


def _works_with(
    name: str, v: versionspec.Version, data: dict[str, Any], other: str, bound, julia
) -> bool:
    """Some release of `other` within `bound` and `v` of `name` admit each other."""
    own = data.get("compat", {}).get(other)
    candidates = _releases(other, bound, julia)
    if not candidates:  # no per-version data for `other`: only `name`'s side can be checked
        return own is None or any(versionspec.overlaps(own, i) for i in bound)
    for p, pdata in candidates:
        theirs = pdata.get("compat", {}).get(name)
        if (own is None or versionspec.admits(own, p)) and (
            theirs is None or versionspec.admits(theirs, v)
        ):
            return True
    return False


def compat_bound(
    name: str,
    *,
    deps: Iterable[str] = (),
    bounds: Mapping[str, str] | None = None,
    julia: str = JULIA,
    since: str | None = None,
) -> str:
    """The `[compat]` entry fluxzoo's compat policy gives `name` in an entry (CONTRIBUTING.md).

    The lowest release of the newest breaking series (`0.9.x`, `1.x`) that has every API the
    entry uses (`since`: the first release with all of them, when known), supports Julia
    `julia`, and works with the entry's other packages: every name in `bounds` within its bound
    (e.g. `{"Flux": "0.16"}`), every other name in `deps` within its own newest series. "Works
    with" is checked both ways against the registry table: some release of the other package
    in its bound admits this one, and this one admits it. Written as a caret bound, so it
    admits every later release up to the next breaking one.

    Standard libraries get `"1"`. A package without per-version data in the table gets its
    newest release's major.minor, the most the table can vouch for.
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
    series = _series(version)
    if not versions(name):
        major, minor, _ = versionspec.parse_version(version)
        return f"{major}.{minor}"
    jl = versionspec.parse_spec(f"~{julia}")[0]
    others: dict[str, tuple[versionspec.Interval, ...]] = {}
    for other in deps:
        if other != name and not is_stdlib(other) and latest(other) is not None:
            others[other] = (_series(latest(other) or ""),)
    for other, spec in (bounds or {}).items():
        if other not in (name, "julia"):
            others[other] = versionspec.parse_spec(spec)
    floor = versionspec.parse_version(since) if since else (0, 0, 0)
    for v, data in _releases(name, (series,), jl):
        if v >= floor and all(
            _works_with(name, v, data, other, bound, jl) for other, bound in others.items()
        ):
            return versionspec.caret_text(v)
    raise FluxzooError(
        f"no release of {name} {versionspec.caret_text(series.low)} works with Julia {julia} "
        "and the entry's other bounds (see fluxzoo's registry table)"
    )
