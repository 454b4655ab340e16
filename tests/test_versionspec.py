"""Julia `[compat]` specifiers as Pkg reads them (Pkg docs, "Compatibility"), over X.Y.Z."""

from __future__ import annotations

import pytest
from fluxzoo import versionspec
from fluxzoo.errors import FluxzooError
from fluxzoo.versionspec import Interval

INF = (10**9, 0, 0)


@pytest.mark.parametrize(
    ("spec", "intervals"),
    [
        # Caret, written bare or with ^: the first non-zero number is the breaking one.
        ("1.2.3", [((1, 2, 3), (2, 0, 0))]),
        ("^1.2.3", [((1, 2, 3), (2, 0, 0))]),
        ("1.2", [((1, 2, 0), (2, 0, 0))]),
        ("1", [((1, 0, 0), (2, 0, 0))]),
        ("0.2.3", [((0, 2, 3), (0, 3, 0))]),
        ("0.16", [((0, 16, 0), (0, 17, 0))]),
        ("0.0.3", [((0, 0, 3), (0, 0, 4))]),
        ("0.0", [((0, 0, 0), (0, 1, 0))]),
        ("0", [((0, 0, 0), (1, 0, 0))]),
        # Tilde: up to the next minor (or major, when only the major is given).
        ("~1.2.3", [((1, 2, 3), (1, 3, 0))]),
        ("~1.2", [((1, 2, 0), (1, 3, 0))]),
        ("~1", [((1, 0, 0), (2, 0, 0))]),
        ("~0.2.3", [((0, 2, 3), (0, 3, 0))]),
        # Equality names one release, or every release of a partial version.
        ("=1.2.3", [((1, 2, 3), (1, 2, 4))]),
        ("=0.10", [((0, 10, 0), (0, 11, 0))]),
        # Inequalities, ASCII or Unicode (Pkg reads `>=`, `≥` and `<`).
        (">= 1.2", [((1, 2, 0), INF)]),
        ("≥ 1.2", [((1, 2, 0), INF)]),
        ("< 2", [((0, 0, 0), (2, 0, 0))]),
        # Hyphen ranges: the upper end covers every release it names.
        ("1.2 - 1.5", [((1, 2, 0), (1, 6, 0))]),
        ("0.7 - 0.9.3", [((0, 7, 0), (0, 9, 4))]),
        # A union of specifiers, as General's Compat.toml writes them.
        ("0.13.16, 0.14", [((0, 13, 16), (0, 14, 0)), ((0, 14, 0), (0, 15, 0))]),
        (" 5,6 ", [((5, 0, 0), (6, 0, 0)), ((6, 0, 0), (7, 0, 0))]),
    ],
)
def test_parse_spec(spec: str, intervals: list) -> None:
    assert versionspec.parse_spec(spec) == tuple(Interval(lo, hi) for lo, hi in intervals)


@pytest.mark.parametrize(
    ("spec", "version", "admitted"),
    [
        ("0.9.5", "0.9.5", True),
        ("0.9.5", "0.9.4", False),
        ("0.9.5", "0.10.0", False),
        ("1.26", "1.99.0", True),
        ("1.26", "2.0.0", False),
        ("~1.2", "1.2.9", True),
        ("~1.2", "1.3.0", False),
        ("0.13.16, 0.14", "0.14.25", True),
        ("0.13.16, 0.14", "0.15.0", False),
        ("=1.2.3", "1.2.3", True),
        ("=1.2.3", "1.2.4", False),
    ],
)
def test_admits(spec: str, version: str, admitted: bool) -> None:
    assert versionspec.admits(spec, versionspec.parse_version(version)) is admitted


def test_overlaps_is_about_some_version_in_common() -> None:
    julia_110 = versionspec.parse_spec("~1.10")[0]
    assert versionspec.overlaps("1.6", julia_110)
    assert versionspec.overlaps("1.10 - 1.11", julia_110)
    assert not versionspec.overlaps("1.11", julia_110)
    assert not versionspec.overlaps("< 1.10", julia_110)


@pytest.mark.parametrize(
    ("text", "version"),
    [("0.9.5", (0, 9, 5)), ("v1.2", (1, 2, 0)), ("2", (2, 0, 0)), ("1.0.0-rc1", (1, 0, 0))],
)
def test_parse_version(text: str, version: tuple[int, int, int]) -> None:
    assert versionspec.parse_version(text) == version


@pytest.mark.parametrize(
    ("version", "text"),
    [((0, 16, 0), "0.16"), ((0, 9, 5), "0.9.5"), ((1, 0, 0), "1"), ((1, 2, 0), "1.2"),
     ((0, 0, 3), "0.0.3")],
)  # fmt: skip
def test_caret_text_is_the_shortest_caret_with_that_lower_end(version, text) -> None:
    assert versionspec.caret_text(version) == text
    assert versionspec.parse_spec(text)[0].low == version


@pytest.mark.parametrize("bad", ["", " , ", "1.x", "1.2.3.4", ">= ", "one", "^", "1.2 -"])
def test_a_bad_specifier_is_one_clear_error(bad: str) -> None:
    with pytest.raises(FluxzooError, match="version specifier"):
        versionspec.parse_spec(bad)


def test_a_bad_version_is_one_clear_error() -> None:
    with pytest.raises(FluxzooError, match="not a version number: 'latest'"):
        versionspec.parse_version("latest")
