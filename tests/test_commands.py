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


_SENTENCE = re.compile(r"(?<=[.;!?])\s+|\n(?=\s*(?:[|#*>]|- |\n))")
"""Between sentences, and before a table row, heading, list item or paragraph."""
_SAYS_WHETHER_TO_COMMIT = re.compile(r"\bcommit|\bno manifest|\bgitignore", re.IGNORECASE)


def test_every_statement_of_the_manifest_policy_agrees(tmp_path, capsys):
    """Wherever a contributor reads whether an entry's Manifest.toml is committed, it is the
    same policy, in the same words: commit it (the workflow and the FZ5xx rules rely on it)."""
    places = _places(tmp_path, capsys)
    for rel in ("CONTRIBUTING.md", "template/kinds/README.md", *sorted(
        p.relative_to(REPO).as_posix() for p in (REPO / "docs").glob("*.md")
    )):  # fmt: skip
        places[rel] = (REPO / rel).read_text("utf-8")
    policy = commands.MANIFEST_POLICY
    for place in ("README.md", "zoo CONTRIBUTING.md"):
        assert policy in " ".join(places[place].split()), place
    statements = 0
    for place, text in places.items():
        for sentence in (" ".join(s.split()) for s in _SENTENCE.split(text)):
            if "manifest" in sentence.lower() and _SAYS_WHETHER_TO_COMMIT.search(sentence):
                statements += 1
                assert policy in sentence, (place, sentence)
    assert statements >= 2
    workflow = zoo_setup.files()[".github/workflows/fluxzoo.yml"]
    assert "Pkg.instantiate()" in workflow and "Pkg.update" not in workflow  # keeps the pins
