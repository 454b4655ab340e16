"""Julia's `[compat]` version specifiers, as Pkg reads them, over `X.Y.Z` release numbers.

A specifier is a comma-separated union of: caret (`"0.9.5"`, `"^1.2"`: up to the next breaking
release, where the first non-zero number is the breaking one), tilde (`"~1.2.3"`: up to the next
minor), equality (`"=1.2.3"`), inequalities (`">= 1.2"`, `"< 2"`, `"≥ 1.2"`) and hyphen ranges
(`"1.2 - 1.5"`). Pre-release and build suffixes do not occur in the bounds fluxzoo reads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from fluxzoo.errors import FluxzooError

Version = tuple[int, int, int]
_INF: Version = (10**9, 0, 0)
_NUMBERS = re.compile(r"\d+(?:\.\d+){0,2}")


@dataclass(frozen=True)
class Interval:
    """Versions `v` with `low <= v < high`."""

    low: Version
    high: Version

    def __contains__(self, v: Version) -> bool:
        return self.low <= v < self.high


def parse_version(text: str) -> Version:
    """`"0.9.5"` -> (0, 9, 5); a pre-release or build suffix is dropped."""
    numbers = _NUMBERS.match(text.strip().lstrip("v"))
    if numbers is None:
        raise FluxzooError(f"not a version number: {text!r}")
    parts = [int(p) for p in numbers[0].split(".")]
    return ([*parts, 0, 0])[0], ([*parts, 0, 0])[1], ([*parts, 0, 0, 0])[2]


def _parts(text: str) -> list[int]:
    if not re.fullmatch(r"\d+(?:\.\d+){0,2}", text):
        raise FluxzooError(f"not a version specifier: {text!r}")
    return [int(p) for p in text.split(".")]


def _padded(parts: list[int]) -> Version:
    p = parts + [0] * (3 - len(parts))
    return p[0], p[1], p[2]


def _caret(parts: list[int]) -> Interval:
    low = _padded(parts)
    if parts[0] != 0 or len(parts) == 1:
        return Interval(low, (parts[0] + 1, 0, 0))
    if parts[1] != 0 or len(parts) == 2:
        return Interval(low, (0, parts[1] + 1, 0))
    return Interval(low, (0, 0, parts[2] + 1))


def _tilde(parts: list[int]) -> Interval:
    low = _padded(parts)
    if len(parts) == 1:
        return Interval(low, (parts[0] + 1, 0, 0))
    return Interval(low, (parts[0], parts[1] + 1, 0))


def _upper_of(parts: list[int]) -> Version:
    """The first version above every version that `parts` (possibly partial) names."""
    if len(parts) == 1:
        return (parts[0] + 1, 0, 0)
    if len(parts) == 2:
        return (parts[0], parts[1] + 1, 0)
    return (parts[0], parts[1], parts[2] + 1)


def _operator(op: str, parts: list[int]) -> Interval:
    if op == ">=":
        return Interval(_padded(parts), _INF)
    if op == ">":
        return Interval(_upper_of(parts), _INF)
    if op == "<=":
        return Interval((0, 0, 0), _upper_of(parts))
    if op == "<":
        return Interval((0, 0, 0), _padded(parts))
    if op == "=":
        return Interval(_padded(parts), _upper_of(parts))
    return _caret(parts) if op == "^" else _tilde(parts)


def _one(spec: str) -> Interval:
    spec = spec.strip().replace("≥", ">=").replace("≤", "<=")
    if " - " in spec:
        low, high = spec.split(" - ", 1)
        return Interval(_padded(_parts(low.strip())), _upper_of(_parts(high.strip())))
    for op in (">=", "<=", ">", "<", "=", "^", "~"):
        if spec.startswith(op):
            parts = _parts(spec[len(op) :].strip())
            return _operator(op, parts)
    return _caret(_parts(spec))


def parse_spec(text: str) -> tuple[Interval, ...]:
    """The intervals a `[compat]` value admits; a bad value raises a `FluxzooError`."""
    specs = [s for s in text.split(",") if s.strip()]
    if not specs:
        raise FluxzooError(f"empty version specifier: {text!r}")
    return tuple(_one(s) for s in specs)


def admits(spec: str, version: Version) -> bool:
    return any(version in interval for interval in parse_spec(spec))


def overlaps(spec: str, interval: Interval) -> bool:
    """Whether some version in `interval` satisfies `spec`."""
    return any(i.low < interval.high and interval.low < i.high for i in parse_spec(spec))


def caret_text(version: Version) -> str:
    """The shortest caret specifier whose lower end is `version`: `(0, 16, 0)` -> `"0.16"`."""
    major, minor, patch = version
    if patch:
        return f"{major}.{minor}.{patch}"
    if minor or major == 0:
        return f"{major}.{minor}"
    return f"{major}"
