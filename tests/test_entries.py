"""Finding entries: standard ones, legacy ones at any depth, and files standing for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from fluxzoo.entries import find_entries
from fluxzoo.errors import UsageError


def _touch(root: Path, *files: str) -> None:
    for name in files:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("", encoding="utf-8")


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    _touch(
        tmp_path,
        "vision/conv_mnist/conv_mnist.jl",
        "vision/conv_mnist/Project.toml",
        "vision/new_one/tutorial.toml",
        "vision/new_one/new_one.jl",
        "vision/new_one/test/runtests.jl",
        "contrib/games/differentiable-programming/cartpole/DQN.jl",
        "contrib/games/differentiable-programming/pendulum/Project.toml",
        "contrib/README.md",
        "script/convert.jl",
        "docs/notes/x.jl",
    )
    return tmp_path


def test_standard_entries_only_by_default(zoo: Path) -> None:
    assert find_entries([zoo]) == [zoo / "vision/new_one"]


def test_legacy_entries_at_any_depth_inside_a_category(zoo: Path) -> None:
    assert find_entries([zoo], include_legacy=True) == [
        zoo / "contrib/games/differentiable-programming/cartpole",
        zoo / "contrib/games/differentiable-programming/pendulum",
        zoo / "vision/conv_mnist",
        zoo / "vision/new_one",
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("vision/new_one/test/runtests.jl", "vision/new_one"),
        ("vision/new_one/test", "vision/new_one"),
        (
            "contrib/games/differentiable-programming/cartpole/DQN.jl",
            "contrib/games/differentiable-programming/cartpole",
        ),
    ],
)
def test_a_path_inside_an_entry_stands_for_the_entry(zoo: Path, given: str, expected: str) -> None:
    assert find_entries([zoo / given], include_legacy=True) == [zoo / expected]


def test_each_entry_is_listed_once(zoo: Path) -> None:
    paths = [zoo / "vision/new_one/new_one.jl", zoo / "vision/new_one", zoo / "vision"]
    assert find_entries(paths) == [zoo / "vision/new_one"]


def test_a_missing_path_is_a_usage_error(zoo: Path) -> None:
    with pytest.raises(UsageError, match="no such file or folder"):
        find_entries([zoo / "nope"])
