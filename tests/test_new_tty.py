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
from fluxzoo import answers, commands
from fluxzoo.kinds import KINDS
from fluxzoo.metadata import tomllib
from terminal import Terminal, flat

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


TYPED = {
    "title": "Sentiment of movie reviews",
    "slug": "review_sentiment",
    "description": "Classifies IMDB movie reviews as positive or negative with an LSTM.",
    "tags": "text, lstm, sentiment-analysis",
    "author_name": "Ada Lovelace",
    "author_email": "ada@example.org",
    "expected_runtime": "ten minutes on a laptop CPU",
    "references": "https://arxiv.org/abs/1408.5882, https://ai.stanford.edu/~amaas/data/sentiment/",
    "julia_version": "1.11",
    "flux_version": "0.15",
}
"""An answer typed over every text question's suggestion, long enough to wrap at 60 columns."""


@pytest.mark.parametrize("columns", [60, 100])
def test_every_screen_fits_the_terminal_and_keeps_words_whole(columns: int, tmp_path: Path) -> None:
    """At each question, in the summary and in the next steps: no line reaches the last
    column, and every question, help, suggestion, answer, path and command shows whole.

    Every text question is answered by typing over its suggestion, and the entry records
    exactly what was typed.
    """
    term = Terminal([sys.executable, "-m", "fluxzoo", "new"], tmp_path, columns)
    kind = "text_classification"
    given: dict[str, str] = {}
    for q in answers.questions():
        resolved = answers.resolve(given)  # what is offered, with the answers given so far
        if q.name == "created" or q.name in answers.FOLLOW_THE_KIND or q.name not in resolved:
            continue
        offered = resolved[q.name]
        shown = ", ".join(offered) if isinstance(offered, list) else str(offered)
        term.wait_for(q.prompt, q.help)
        if q.choices:
            choices = q.choices
            term.wait_for(*(KINDS[c].label for c in choices) if q.name == "kind" else choices)
            if q.name == "kind":
                term.wait_for(KINDS[offered].summary)
            term.assert_fits()
            wanted = kind if q.name == "kind" else offered
            term.send(DOWN * (choices.index(wanted) - choices.index(offered)), ENTER)
            given[q.name] = wanted
        else:
            term.wait_for(shown)  # the dim suggestion
            term.assert_fits()
            term.send(TYPED[q.name], ENTER)
            given[q.name] = TYPED[q.name]
    assert set(TYPED) <= set(given)
    expected = answers.resolve(given)
    term.wait_for("Your new tutorial entry:", "It will be created in review_sentiment/")
    for name, value in expected.items():
        shown = ", ".join(value) if isinstance(value, list) else str(value)
        term.wait_for(f"{name} {shown}" if len(name) + len(shown) < columns - 20 else shown)
    term.assert_fits()
    term.send(ENTER)
    term.wait_for("Next steps:", commands.TEST_COMMAND)
    term.assert_fits()
    steps = flat(" ".join(term.rows()).replace(" \\ ", " "))  # commands continued with \
    for command in ("-m fluxzoo sync review_sentiment", "-m fluxzoo check review_sentiment"):
        assert command in steps, term.dump()
    assert (
        "Fill in every TODO(fluxzoo) marker in its review_sentiment.jl and tutorial.toml." in steps
    )
    assert term.finish() == 0

    meta = tomllib.loads((tmp_path / "review_sentiment" / "tutorial.toml").read_text("utf-8"))
    assert meta["fluxzoo"]["answers"] == {
        **expected,
        "created": meta["fluxzoo"]["answers"]["created"],
    }
    assert meta["description"] == TYPED["description"]


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
