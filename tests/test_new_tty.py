"""`fluxzoo new` in a real pseudo-terminal, answered as a person would: read, type, arrow keys.

Each step waits for the question's help text before typing, so the test also shows that every
screen says what the answer is for.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pexpect
import pytest
from fluxzoo import answers
from fluxzoo.metadata import tomllib

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")

ENTER, DOWN, UP = "\r", "\x1b[B", "\x1b[A"
CTRL_C, CTRL_U = "\x03", "\x15"


def spawn(cwd: Path, *args: str) -> pexpect.spawn:
    env = dict(os.environ, TERM="xterm-256color", PROMPT_TOOLKIT_NO_CPR="1")
    return pexpect.spawn(
        sys.executable,
        ["-m", "fluxzoo", "new", *args],
        cwd=str(cwd),
        env=env,
        encoding="utf-8",
        dimensions=(40, 80),
        timeout=20,
    )


def answer(child: pexpect.spawn, name: str, *keys: str) -> None:
    """Wait for the question about `name` and its help, then type `keys`."""
    q = answers.question(name)
    child.expect_exact(q.prompt[:30])
    child.expect_exact(q.help.split(".")[0][:40])
    for key in keys:
        child.send(key)


def finish(child: pexpect.spawn) -> tuple[int, str]:
    child.expect(pexpect.EOF)
    child.close()
    return child.exitstatus, child.before


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    """A model-zoo checkout: its category folders, one existing entry."""
    root = tmp_path / "model-zoo"
    for category in answers.question("category").choices:
        (root / category).mkdir(parents=True)
    (root / "vision" / "conv_mnist").mkdir()
    return root


def test_a_person_creates_an_entry_inside_a_zoo_category(zoo: Path) -> None:
    child = spawn(zoo / "vision")
    answer(child, "title", "Drawing digits", ENTER)
    answer(child, "slug", "conv_mnist")  # taken: refused while typing
    child.expect_exact("already exists; choose another slug")
    child.send(CTRL_U + ENTER)  # back to the suggestion, drawn from the title
    answer(child, "category", ENTER)  # pre-selected: we are in vision/
    answer(child, "kind", DOWN, DOWN, ENTER)  # the third: generative_model
    answer(child, "description", "Learn to draw digits with a VAE.", ENTER)
    answer(child, "tags", ENTER)
    answer(child, "difficulty", DOWN, ENTER)
    answer(child, "author_name", ENTER)
    answer(child, "author_email", ENTER)
    answer(child, "hardware", DOWN, DOWN, ENTER)  # from gpu-optional to gpu-required
    answer(child, "gpu_backend", ENTER)
    answer(child, "expected_runtime", "10 minutes on a GPU", ENTER)  # typed over the marker
    answer(child, "references", "https://arxiv.org/abs/1312.6114", ENTER)
    answer(child, "docs_flavor", DOWN, ENTER)
    answer(child, "julia_version", ENTER)
    answer(child, "flux_version", ENTER)
    child.expect_exact("Your new tutorial entry:")
    child.expect_exact("It will be created in")
    child.expect_exact("drawing_digits/")
    child.send(DOWN + ENTER)  # Change an answer
    child.expect_exact("Which answer do you want to change?")
    child.send(DOWN * 4 + ENTER)  # description
    answer(child, "description", "A VAE that draws digits.", ENTER)  # typed over the answer
    child.expect_exact("Your new tutorial entry:")
    child.send(ENTER)  # Create the entry
    child.expect_exact("Created the tutorial entry drawing_digits/")
    status, rest = finish(child)
    assert status == 0, rest

    entry = zoo / "vision" / "drawing_digits"
    meta = tomllib.loads((entry / "tutorial.toml").read_text(encoding="utf-8"))
    expected = answers.resolve(
        {
            "title": "Drawing digits",
            "category": "vision",
            "kind": "generative_model",
            "description": "A VAE that draws digits.",
            "difficulty": "intermediate",
            "hardware": "gpu-required",
            "expected_runtime": "10 minutes on a GPU",
            "references": "https://arxiv.org/abs/1312.6114",
            "docs_flavor": "documenter",
        }
    )
    assert meta["fluxzoo"]["answers"] == expected
    assert (meta["title"], meta["slug"], meta["category"]) == (
        "Drawing digits",
        "drawing_digits",
        "vision",
    )
    assert meta["gpu_backend"] == "CUDA" and meta["hardware"] == "gpu-required"
    assert meta["authors"] == [f"{expected['author_name']} <{expected['author_email']}>"]
    assert (entry / "drawing_digits.jl").is_file()


@pytest.mark.parametrize("stop", ["ctrl-c at the kind list", "cancel in the summary"])
def test_stopping_leaves_nothing_behind(stop: str, zoo: Path) -> None:
    before = sorted(zoo.rglob("*"))
    if stop == "cancel in the summary":
        child = spawn(zoo, "--set", "title=Never written", "--set", "category=text")
        for name in answers.resolve({"title": "x"}):
            if name not in {"title", "category", "created", *answers.FOLLOW_THE_KIND}:
                answer(child, name, ENTER)
        child.expect_exact("Your new tutorial entry:")
        child.send(DOWN + DOWN + ENTER)
    else:
        child = spawn(zoo)
        answer(child, "title", "Never written", ENTER)
        answer(child, "slug", ENTER)
        answer(child, "category", ENTER)
        answer(child, "kind", DOWN, CTRL_C)
    child.expect_exact("Aborted; nothing was written.")
    status, rest = finish(child)
    assert status == 130
    assert "Traceback" not in rest
    assert sorted(zoo.rglob("*")) == before


def test_without_a_terminal_it_names_the_missing_answer(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fluxzoo", "new"],
        cwd=tmp_path,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "no title given" in lines[0]
    for way in ("--set title=", "--answers FILE"):
        assert way in lines[0]
    assert list(tmp_path.iterdir()) == []
