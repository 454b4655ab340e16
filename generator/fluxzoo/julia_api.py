"""What the zoo's Julia stack defines, exports and deprecates, release by release.

The table is `data/julia_api.jsonl`, built from the packages' real sources at their release
tags by `scripts/build_api_table.py` (no Julia needed). For every module (`Flux`, `Flux.Optimise`,
`NNlib`, `Base`, ...) and every minor release of its package it knows the names reachable as
`Module.name`, the names `using Module` brings in (exports, re-exports included), the `public`
ones, and the deprecations with their replacement. Versions are minor releases as strings
("0.14", "1.10"), compared numerically.

Questions other modules ask:
- `info(module, name)`: everything known about one name (`NameInfo`).
- `reachable(module, name, version)`, `exported(module, name, version)`, `exports(module, v)`.
- `removed_in(module, name, version)`: the release where a name went away, if it did by then.
- `deprecation(module, name, version)`: the replacement text when deprecated there.
- `nearest(module, name, version)`: the closest existing name, for did-you-mean; `NameIndex`
  answers the same question for any set of names asked many times.
- `newest(package)`, `minor_of(version)`, `package_of(module)`, `is_module(path)`.
- `exports_known(module)`, `complete(module)`: whether the export list, and every name
  reachable as `module.name`, were read in full; where not, a name's absence is no news.
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from fluxzoo._paths import data_dir

FILENAME = "julia_api.jsonl"
FORMAT = 2


@cache
def version_key(version: str) -> tuple[int, ...]:
    """ "0.14" -> (0, 14); anything unparsable sorts first. Cached: every lookup asks."""
    parts = []
    for piece in version.split(".")[:2]:
        digits = "".join(ch for ch in piece if ch.isdigit())
        parts.append(int(digits) if digits else 0)
    return tuple(parts)


def minor_of(version: str) -> str:
    """The minor release a full version belongs to: "0.14.25" -> "0.14"."""
    key = version_key(version)
    return ".".join(str(p) for p in key)


@dataclass(frozen=True)
class NameInfo:
    """One name of one module: the minor releases where it is reachable, exported, public."""

    module: str
    name: str
    reachable: tuple[str, ...]
    exported: tuple[str, ...]
    public: tuple[str, ...]
    deprecated: tuple[str, ...]
    replacement: str | None


@dataclass(frozen=True)
class _Table:
    packages: Mapping[str, dict[str, Any]]
    modules: Mapping[str, dict[str, Any]]


# The file: a first line with the format and the packages (repository, tag and commit of each
# version read), then one line per module, `{"module": "Flux", ...}`. A check asks about a
# few modules of the ~150, so each line is decoded when its module is first asked about.
_MODULE_PREFIX = '{"module":'


def dumps(table: dict[str, Any]) -> str:
    """The table (as `build_api_table.py` makes it) in the file's form."""
    head = {key: value for key, value in table.items() if key != "modules"}
    lines = [head] + [{"module": name, **entry} for name, entry in table["modules"].items()]
    return "".join(
        json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n" for line in lines
    )


def loads(text: str) -> dict[str, Any]:
    """The whole table from the file's form (the builder's `--base`). Split on "\n" only, as
    `_table` does: `str.splitlines` also splits on U+2028 and the like, which a JSON string
    written with `ensure_ascii=False` keeps as they are."""
    first, *rest = text.split("\n")
    records = [json.loads(line) for line in rest if line]
    return {**json.loads(first), "modules": {r.pop("module"): r for r in records}}


class _Modules(Mapping[str, dict[str, Any]]):
    """The module lines by module name, each decoded when first asked for. Lines stay UTF-8
    bytes until then: decoding the whole file (its non-ASCII names make it a wide string)
    would cost more than all the lookups of a check."""

    def __init__(self, lines: list[bytes]) -> None:
        self._lines: dict[str, bytes] = {}
        start = len(_MODULE_PREFIX) + 1
        for line in lines:
            if line.startswith(_MODULE_PREFIX.encode()):
                # A module name is a dotted identifier: no quote or escape inside it.
                self._lines[line[start : line.index(b'"', start)].decode("utf-8")] = line
        self._decoded: dict[str, dict[str, Any]] = {}

    def __getitem__(self, name: str) -> dict[str, Any]:
        if name not in self._decoded:
            record = json.loads(self._lines[name])
            del record["module"]
            self._decoded[name] = record
        return self._decoded[name]

    def __contains__(self, name: object) -> bool:
        return name in self._lines

    def __iter__(self) -> Iterator[str]:
        return iter(self._lines)

    def __len__(self) -> int:
        return len(self._lines)


@cache
def _table() -> _Table:
    # "\n" is always escaped inside a JSON string, so the file's lines are its records.
    first, *rest = (data_dir() / FILENAME).read_bytes().split(b"\n")
    head = json.loads(first)
    return _Table(packages=head["packages"], modules=_Modules(rest))


@cache
def versions(package: str) -> tuple[str, ...]:
    """The package's minor releases in the table, oldest first (empty when unknown)."""
    entry = _table().packages.get(package)
    return tuple(v["version"] for v in entry["versions"]) if entry else ()


def provenance(package: str) -> dict[str, Any] | None:
    """Repository and the tag and commit read for each version, as the table records them."""
    return _table().packages.get(package)


def packages() -> tuple[str, ...]:
    return tuple(_table().packages)


def newest(package: str) -> str | None:
    found = versions(package)
    return found[-1] if found else None


def is_module(path: str) -> bool:
    """Whether `path` ("Flux", "Flux.Optimise") is a module the table describes."""
    return path in _table().modules


def package_of(module: str) -> str | None:
    entry = _table().modules.get(module)
    return entry["package"] if entry else None


def submodule_exists_ever(module: str) -> bool:
    return module in _table().modules


@cache
def _expand(package: str, ranges: str) -> tuple[str, ...]:
    """ "0.6-0.9,0.11" over the package's versions -> ("0.6", "0.7", "0.8", "0.9", "0.11")."""
    order = versions(package)
    index = {v: i for i, v in enumerate(order)}
    out: list[str] = []
    for part in ranges.split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        a = index.get(first)
        b = index.get(last or first)
        if a is not None and b is not None:
            out.extend(order[a : b + 1])
    return tuple(out)


@cache
def info(module: str, name: str) -> NameInfo | None:
    """Everything the table knows about `module.name`, or None if no release has it."""
    entry = _table().modules.get(module)
    if entry is None:
        return None
    package = entry["package"]
    record = entry["names"].get(name)
    dep = entry.get("deprecated", {}).get(name)
    if record is None and dep is None:
        return None
    record = record or {}
    return NameInfo(
        module=module,
        name=name,
        reachable=_expand(package, record.get("r", "")),
        exported=_expand(package, record.get("e", "")),
        public=_expand(package, record.get("p", "")),
        deprecated=_expand(package, dep["versions"]) if dep else (),
        replacement=(dep["use"] or None) if dep else None,
    )


@cache
def _at(package: str, version: str | None) -> str | None:
    """The table's minor release for `version` (the newest when None; the closest older one
    when the exact minor is not in the table). Cached: every lookup of a name asks."""
    order = versions(package)
    if not order:
        return None
    if version is None:
        return order[-1]
    key = version_key(version)
    older = [v for v in order if version_key(v) <= key]
    return older[-1] if older else order[0]


def reachable(module: str, name: str, version: str | None = None) -> bool:
    """Whether `module.name` resolves in that release (the newest when version is None)."""
    found = info(module, name)
    package = package_of(module)
    return found is not None and package is not None and _at(package, version) in found.reachable


def exported(module: str, name: str, version: str | None = None) -> bool:
    """Whether `using module` brings `name` in, in that release."""
    found = info(module, name)
    package = package_of(module)
    return found is not None and package is not None and _at(package, version) in found.exported


@cache
def exports(module: str, version: str | None = None) -> frozenset[str]:
    """Every name `using module` brings in, in that release."""
    entry = _table().modules.get(module)
    if entry is None:
        return frozenset()
    at = _at(entry["package"], version)
    return frozenset(n for n in entry["names"] if at in info(module, n).exported)  # type: ignore[union-attr]


@cache
def names(module: str, version: str | None = None) -> frozenset[str]:
    """Every name reachable as `module.name` in that release."""
    entry = _table().modules.get(module)
    if entry is None:
        return frozenset()
    at = _at(entry["package"], version)
    return frozenset(n for n in entry["names"] if at in info(module, n).reachable)  # type: ignore[union-attr]


def ever_exported(module: str, name: str) -> bool:
    found = info(module, name)
    return found is not None and bool(found.exported)


@cache
def removed_in(
    module: str, name: str, version: str | None = None, *, export: bool = False
) -> str | None:
    """The first release after the last one that had `module.name` (exported, with `export`),
    when that release is not later than `version`; None if it is still there or never was."""
    found = info(module, name)
    package = package_of(module)
    if found is None or package is None:
        return None
    had = found.exported if export else found.reachable
    if not had:
        return None
    order = versions(package)
    at = _at(package, version)
    if at in had:
        return None
    last = max(had, key=version_key)
    later = [v for v in order if version_key(v) > version_key(last)]
    if not later or version_key(later[0]) > version_key(at or "0"):
        return None
    return later[0]


def deprecation(module: str, name: str, version: str | None = None) -> str | None:
    """The replacement text (or warning) when `module.name` is deprecated in that release."""
    found = info(module, name)
    package = package_of(module)
    if found is None or package is None or _at(package, version) not in found.deprecated:
        return None
    return found.replacement or ""


def last_replacement(module: str, name: str) -> str | None:
    """What the package's own deprecation said to use instead, in any release."""
    found = info(module, name)
    return found.replacement if found is not None else None


def nearest(module: str, name: str, version: str | None = None) -> str | None:
    """The closest name reachable as `module.x` in that release, for a did-you-mean."""
    return _module_index(module, version).nearest(name)


@cache
def _module_index(module: str, version: str | None) -> NameIndex:
    return NameIndex(n for n in names(module, version) if not n.startswith("_"))


CUTOFF = 0.8
"""How close (difflib's ratio) a name must be to another to be taken for a typo of it."""


class NameIndex:
    """Candidates for a did-you-mean, built once and asked many times.

    Gives what `difflib.get_close_matches(name, candidates, n=1, cutoff=CUTOFF)` gives, without
    trying every candidate: they are kept by length, and only lengths that can reach the cutoff
    (difflib's `real_quick_ratio`, within 2/3 to 3/2 of the name's) are tried."""

    def __init__(self, candidates: Iterable[str]) -> None:
        self._by_length: dict[int, list[str]] = {}
        for candidate in set(candidates):
            self._by_length.setdefault(len(candidate), []).append(candidate)

    def best(self, name: str) -> tuple[float, str] | None:
        """(ratio, candidate) of the closest candidate at or above the cutoff, else None."""
        matcher = difflib.SequenceMatcher()
        matcher.set_seq2(name)
        found = None
        for length, group in self._by_length.items():
            total = length + len(name)
            if total and 2.0 * min(length, len(name)) / total < CUTOFF:
                continue
            for candidate in group:
                matcher.set_seq1(candidate)
                if matcher.quick_ratio() >= CUTOFF and (ratio := matcher.ratio()) >= CUTOFF:
                    found = max(found or (ratio, candidate), (ratio, candidate))
        return found

    def nearest(self, name: str) -> str | None:
        found = self.best(name)
        return found[1] if found else None


def nearest_of(name: str, candidates: Iterable[str]) -> str | None:
    """The closest of `candidates` to `name`, if one is close enough to be a likely typo."""
    return NameIndex(candidates).nearest(name)


def complete(module: str) -> bool:
    """Whether the table knows every name reachable as `module.name`: False for Base, Core and
    the stdlibs (only their export lists were read) and for a module that loads one the
    table does not describe. Only then is a missing name news."""
    entry = _table().modules.get(module)
    return bool(entry and entry.get("complete", True))


def exports_known(module: str) -> bool:
    """Whether the table has the module's whole export list: False when a macro of its own
    writes `export`s, or it re-exports a module the table does not describe (Images
    re-exports FileIO). Only then is a name that `using module` does not bring news."""
    entry = _table().modules.get(module)
    return bool(entry and entry.get("exports_known", True))


def forget() -> None:
    """Drop every answer worked out from the table, for a caller that swaps the table."""
    for cached in (
        versions, _expand, info, _at, exports, names, removed_in, _module_index, ever_exports
    ):  # fmt: skip
        cached.cache_clear()


REEXPORTS: dict[str, tuple[tuple[str, str], ...]] = {
    # Flux v0.15.2 src/Flux.jl:9,19,28 `@reexport using NNlib`, `... Optimisers`,
    # `... MLDataDevices: ...` (Optimisers was only imported before, v0.14.25 src/Flux.jl:12).
    "Flux": (("Optimisers", "0.15"), ("NNlib", "0.1"), ("MLDataDevices", "0.14")),
}
"""Module -> (module it re-exports, from which of its releases on): where its names come from."""


def origin_deprecation(
    module: str, name: str, version: str | None, version_of=lambda package: None
) -> tuple[str, str] | None:
    """(origin module, replacement) when `module.name` is a re-export of a name its origin
    deprecates (`Flux.ADAM` in Flux 0.16 is Optimisers' deprecated `ADAM`). `version_of`
    gives the release of the origin's package the entry uses (None: the newest)."""
    package = package_of(module)
    at = _at(package, version) if package else None
    for origin, since in REEXPORTS.get(module, ()):
        if at is None or version_key(at) < version_key(since):
            continue
        origin_version = version_of(package_of(origin) or origin)
        if exported(origin, name, origin_version):
            found = deprecation(origin, name, origin_version)
            if found is not None:
                return origin, found
    return None


@cache
def ever_exports(module: str) -> frozenset[str]:
    """Every name `using module` brings in, in some release of the table."""
    entry = _table().modules.get(module)
    if entry is None:
        return frozenset()
    return frozenset(n for n in entry["names"] if ever_exported(module, n))
