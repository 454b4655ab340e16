"""One command runs an entry's tests, and every place that tells a contributor gives that one."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fluxzoo import commands, zoo_setup
from fluxzoo.cli import main

REPO = Path(__file__).resolve().parents[1]
JULIA_COMMAND = re.compile(r"julia [^`'\n]*?(?:'[^'\n]*'[^`'\n]*?)*(?=`|$|\n|   )")
"""A `julia ...` command as written in prose (up to a backtick, a line end or a comment)."""


def _places(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, str]:
    assert (
        main(["new", "--no-input", "--set", "title=Commands", "--output-dir", str(tmp_path)]) == 0
    )
    files = zoo_setup.files()
    return {
        "next steps": capsys.readouterr().out,
        "test/runtests.jl": (tmp_path / "commands" / "test" / "runtests.jl").read_text("utf-8"),
        "zoo CONTRIBUTING.md": files["CONTRIBUTING.md"],
        "pull-request template": files[".github/pull_request_template.md"],
        "README.md": (REPO / "README.md").read_text("utf-8"),
    }


def test_every_place_gives_the_one_test_command(tmp_path, capsys):
    for place, text in _places(tmp_path, capsys).items():
        assert commands.TEST_COMMAND in text, place
        runs = [m for m in JULIA_COMMAND.findall(text) if "runtests" in m or "Pkg.test" in m]
        found = {m.strip() for m in runs}
        assert found == {commands.TEST_COMMAND}, (place, found)


def test_the_install_command_is_the_same_wherever_it_is_given(tmp_path, capsys):
    for place, text in _places(tmp_path, capsys).items():
        found = {m.strip() for m in JULIA_COMMAND.findall(text) if "instantiate" in m}
        assert found <= {commands.INSTALL_COMMAND}, (place, found)
