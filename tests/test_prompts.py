"""The questionnaire of `fluxzoo new`, driven through its real prompts by key presses.

Keys go into a prompt_toolkit pipe; the screen goes to a VT100 output over a string, so the
tests can read what a person would see (help under each question, validators' messages). Keys
typed ahead are handled before the screen is drawn, so a script waits with `See(text)` until
the screen shows `text` before typing on, as a person reading the screen would.
"""

from __future__ import annotations

import io
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fluxzoo import answers
from fluxzoo.errors import Aborted, UsageError, ValidationError
from fluxzoo.kinds import KINDS
from fluxzoo.prompts import ask
from prompt_toolkit.data_structures import Size
from prompt_toolkit.input import create_pipe_input
from prompt_toolkit.output.vt100 import Vt100_Output

ENTER, DOWN, UP = "\r", "\x1b[B", "\x1b[A"
CTRL_C, CTRL_D, CTRL_U = "\x03", "\x04", "\x15"
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@dataclass(frozen=True)
class See:
    """In a script: wait until the screen shows this text (after what was seen before)."""

    text: str


@dataclass
class Run:
    answers: answers.Answers | None
    error: BaseException | None
    screen: str
    """All written to the terminal, without escape sequences, whitespace runs as one space."""
    unseen: str | None
    """The first `See` text that never showed up."""


def drive(script: list[str | See], given: dict[str, Any] | None = None, **where: Any) -> Run:
    """Run `ask` while `script` is typed; the input ends after it (so a missing key aborts)."""
    buffer = io.StringIO()
    output = Vt100_Output(buffer, lambda: Size(rows=60, columns=80))
    unseen: list[str] = []
    finished = threading.Event()

    def screen() -> str:
        return " ".join(ANSI.sub("", buffer.getvalue()).split())

    def wait_for(text: str, start: int) -> int:
        deadline = time.monotonic() + 10
        while (found := screen().find(text, start)) < 0 and not finished.is_set():
            if time.monotonic() > deadline:
                unseen.append(text)
                break
            time.sleep(0.002)
        return found

    def type_script() -> None:
        """Type, then end the input (only this thread closes the pipe)."""
        start = 0
        for step in script:
            if isinstance(step, str):
                pipe.send_text(step)
            elif (found := wait_for(step.text, start)) >= 0:
                start = found + len(step.text)
            else:
                break
        pipe.close()

    result, error = None, None
    with create_pipe_input() as pipe:
        typist = threading.Thread(target=type_script)
        typist.start()
        try:
            result = ask(given or {}, input=pipe, output=output, **where)
        except (Aborted, UsageError) as e:
            error = e
        finally:
            finished.set()
            typist.join()
    return Run(result, error, screen(), unseen[0] if unseen else None)


def select(choices: tuple[str, ...], current: str, wanted: str) -> list[str]:
    """The arrow keys that move a select list from `current` to `wanted`, then Enter."""
    steps = choices.index(wanted) - choices.index(current)
    return [DOWN if steps > 0 else UP] * abs(steps) + [ENTER]


def choices(name: str) -> tuple[str, ...]:
    return answers.question(name).choices


def all_but(*names: str, **values: Any) -> dict[str, Any]:
    """Every answer for `values` (the rest default) except `names`: those are left to ask."""
    resolved = answers.resolve(values)
    return {k: v for k, v in resolved.items() if k not in names}


CREATE = [ENTER]
"""In the summary, "Create the entry" is pre-selected."""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)


def test_enter_everywhere_gives_the_same_answers_as_no_input(tmp_path: Path) -> None:
    """Every question that applies is shown in order, with its help; Enter keeps suggestions."""
    expected = answers.resolve({"title": "Digits with a CNN"})
    script: list[str | See] = []
    for q in answers.questions():
        if q.name in expected and q.name != "created" and q.name not in answers.FOLLOW_THE_KIND:
            script += [See(q.prompt), See(" ".join(q.help.split()[:4]))]
            script += ["Digits with a CNN", ENTER] if q.name == "title" else [ENTER]
    run = drive([*script, See("Your new tutorial entry:"), *CREATE], cwd=tmp_path)
    assert run.unseen is None, run.screen
    assert run.answers == expected


def test_typed_answers_for_every_question(tmp_path: Path) -> None:
    """A person who types over every suggestion gets exactly what they typed or picked.

    Nothing is erased first: typing replaces a suggestion at every text question.
    """
    typed = {
        "title": "Attention is all you need",
        "slug": "attention",
        "description": "A transformer on tiny Shakespeare.",
        "tags": "text, transformer",
        "author_name": "Grace Hopper",
        "author_email": "grace@example.org",
        "expected_runtime": "an hour on a GPU",
        "references": "https://arxiv.org/abs/1706.03762",
        "julia_version": "1.11",
        "flux_version": "0.15",
    }
    picked = {
        "category": "text",
        "kind": "sequence_model",
        "difficulty": "advanced",
        "hardware": "gpu-required",
        "gpu_backend": "AMDGPU",
        "docs_flavor": "quarto",
    }
    keys: list[str] = []
    asked = [q for q in answers.questions() if q.name not in ("created", *answers.FOLLOW_THE_KIND)]
    assert {q.name for q in asked if not q.choices} == set(typed)  # every text question
    for q in asked:
        if q.name in picked:
            start = KINDS[picked["kind"]].hardware if q.name == "hardware" else q.choices[0]
            keys += select(q.choices, start, picked[q.name])
        else:
            keys += [See(q.prompt), typed[q.name], ENTER]
    run = drive(keys + CREATE, cwd=tmp_path)
    assert run.error is None, run.screen
    assert run.answers == answers.resolve({**typed, **picked, "created": run.answers["created"]})
    assert run.answers["tags"] == ["text", "transformer"]
    assert "A transformer on tiny Shakespeare." in run.screen


def test_kind_is_chosen_from_labels_with_descriptions(tmp_path: Path) -> None:
    """The list shows every kind's label, and under it the highlighted kind's summary."""
    script: list[str | See] = [See(KINDS[name].label) for name in choices("kind")]
    script += [See(KINDS[choices("kind")[0]].summary), UP, UP, ENTER, *CREATE]
    run = drive(script, all_but("kind"), cwd=tmp_path)
    assert run.unseen is None, run.screen
    assert run.answers is not None and run.answers["kind"] == choices("kind")[-2]


def test_questions_that_do_not_apply_are_not_asked(tmp_path: Path) -> None:
    """A kind without data asks no dataset question; cpu hardware asks no GPU backend."""
    given = all_but(
        "kind", "dataset_name", "dataset_source", "dataset_license", "hardware", "gpu_backend"
    )
    keys = [*select(choices("kind"), "image_classification", "custom_gradient"), ENTER]
    run = drive(keys + CREATE, given, cwd=tmp_path)
    assert run.answers is not None
    assert run.answers["hardware"] == "cpu" == KINDS["custom_gradient"].hardware
    for name in ("dataset_name", "dataset_source", "dataset_license", "gpu_backend"):
        assert name not in run.answers
        assert answers.question(name).prompt not in run.screen


def test_given_answers_are_not_asked(tmp_path: Path) -> None:
    given = {"title": "Given title", "kind": "blank", "difficulty": "advanced"}
    still = [q for q in answers.questions() if q.name not in given and q.name != "created"]
    resolved = answers.resolve(given)
    keys = [ENTER] * sum(q.name in resolved for q in still)
    run = drive(keys + CREATE, given, cwd=tmp_path)
    assert run.answers == answers.resolve(given)
    for name in given:
        assert answers.question(name).prompt not in run.screen
    assert "Already given: title, kind, difficulty." in run.screen


@pytest.mark.parametrize(
    ("given", "error"),
    [
        ({"slug": "Not A Slug"}, ValidationError),
        ({"colour": "red"}, UsageError),
    ],
)
def test_a_bad_given_answer_stops_before_any_question(given, error, tmp_path: Path) -> None:
    run = drive([], given, cwd=tmp_path)
    assert isinstance(run.error, error)
    assert answers.question("title").prompt not in run.screen


@pytest.mark.parametrize(
    ("name", "bad", "good", "message"),
    [
        ("title", "x" * 101, "Fine title", "at most 100 characters"),
        ("slug", "Has Spaces", "has_spaces", "lowercase letters, digits"),
        ("description", "one\u2028two", "One line.", "single line"),
        ("tags", "vision, Big Cats", "vision, cats", "'Big Cats': tags are lowercase"),
        ("author_email", "not-an-address", "ada@example.org", "an e-mail address like"),
        ("references", "ftp://example.org", "https://example.org", "http(s) URL"),
        ("julia_version", "1.6", "1.12", "1.10 or newer"),
        ("flux_version", "0.13", "0.16", "0.14 or newer"),
    ],
)
def test_a_bad_answer_is_refused_with_the_validators_message(
    name: str, bad: str, good: str, message: str, tmp_path: Path
) -> None:
    script = [CTRL_U, bad, ENTER, See(message), CTRL_U, good, ENTER, *CREATE]
    run = drive(script, all_but(name), cwd=tmp_path)
    assert run.unseen is None, run.screen
    assert run.answers is not None
    assert run.answers[name] == answers.validate(name, good)


def test_suggestions_for_required_answers_are_replaced_by_typing(tmp_path: Path) -> None:
    """The description's TODO suggestion does not have to be erased before typing."""
    run = drive(["Trains a CNN.", ENTER, *CREATE], all_but("description"), cwd=tmp_path)
    assert run.answers is not None and run.answers["description"] == "Trains a CNN."
    kept = drive([ENTER, *CREATE], all_but("description"), cwd=tmp_path)
    assert kept.answers is not None
    assert kept.answers["description"] == answers.resolve({})["description"]


@pytest.mark.parametrize("name", ["author_email", "tags", "references"])
def test_a_dash_answers_none_where_empty_is_allowed(name: str, tmp_path: Path) -> None:
    """Enter keeps a suggestion, so `-` is how an optional answer is left empty."""
    given = all_but(name, kind="image_classification")
    suggested = answers.resolve(given)[name]
    assert bool(suggested) == (name != "references")  # from git config, from the kind
    run = drive([See(answers.question(name).prompt), "-", ENTER, *CREATE], given, cwd=tmp_path)
    assert run.unseen is None, run.screen
    assert run.answers is not None and run.answers[name] == answers.validate(name, "")
    assert ("Type - for none." in run.screen) == bool(suggested)


def test_tab_puts_the_suggestion_in_the_line_to_edit(tmp_path: Path) -> None:
    suggested = answers.resolve({})["description"]
    keys = [See(answers.question("description").prompt), "\t", "\b" * 3, "!", ENTER, *CREATE]
    run = drive(keys, all_but("description"), cwd=tmp_path)
    assert run.answers is not None and run.answers["description"] == suggested[:-3] + "!"


def test_a_slug_whose_folder_exists_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out" / "taken").mkdir(parents=True)
    script = [
        "taken",
        See("the folder out/taken/ already exists; choose another slug"),
        ENTER,
        CTRL_U,
        "free",
        ENTER,
        See("It will be created in out/free/"),
        *CREATE,
    ]
    run = drive(script, all_but("slug"), cwd=tmp_path, output_dir=Path("out"))
    assert run.unseen is None, run.screen
    assert run.answers is not None and run.answers["slug"] == "free"


def test_in_a_zoo_a_slug_is_refused_in_every_category(tmp_path: Path) -> None:
    zoo = tmp_path / "zoo"
    for category in ("vision", "text"):
        (zoo / category).mkdir(parents=True)
    (zoo / "text" / "char_rnn").mkdir()
    script = [
        "char_rnn",
        See("zoo/text/char_rnn/ already exists"),
        ENTER,
        "2",
        ENTER,
        See("It will be created in zoo/vision/char_rnn2/"),
        *CREATE,
    ]
    run = drive(script, all_but("slug", category="vision"), cwd=tmp_path, zoo=zoo)
    assert run.unseen is None, run.screen
    assert run.answers is not None and run.answers["slug"] == "char_rnn2"


def test_a_given_slug_that_is_taken_is_asked_again(tmp_path: Path) -> None:
    (tmp_path / "taken").mkdir()
    given = all_but("slug") | {"slug": "taken"}
    run = drive([CTRL_U, "other", ENTER, *CREATE], given, cwd=tmp_path)
    assert run.answers is not None and run.answers["slug"] == "other"


@pytest.mark.parametrize("category", ["text", "contrib"])
def test_the_category_folder_you_are_in_is_preselected(category: str, tmp_path: Path) -> None:
    zoo = tmp_path / "model-zoo"
    for c in choices("category"):
        (zoo / c).mkdir(parents=True)
    here = zoo / category / "somewhere"
    here.mkdir()
    run = drive([ENTER, *CREATE], all_but("category"), cwd=here)
    assert run.answers is not None and run.answers["category"] == category
    outside = drive([ENTER, *CREATE], all_but("category"), cwd=tmp_path)
    assert outside.answers is not None and outside.answers["category"] == choices("category")[0]


# The summary: create, change one answer, cancel.

CHANGE = [DOWN, ENTER]
"""In the summary, move to "Change an answer"."""


def pick_answer(run_answers: list[str], name: str) -> list[str]:
    """Keys that pick `name` in the list of answers to change (which follow-the-kind ones leave)."""
    shown = [n for n in run_answers if n not in answers.FOLLOW_THE_KIND]
    return [DOWN] * shown.index(name) + [ENTER]


def test_changing_the_title_moves_an_accepted_slug_along(tmp_path: Path) -> None:
    given = all_but("title", "slug")
    order = ["title", "slug", *given]
    keys = [
        "First title",
        ENTER,
        ENTER,
        *CHANGE,
        *pick_answer(order, "title"),
        CTRL_U,
        "Second title",
        ENTER,
        *CREATE,
    ]
    run = drive(keys, given, cwd=tmp_path)
    assert run.answers is not None
    assert (run.answers["title"], run.answers["slug"]) == ("Second title", "second_title")
    assert run.screen.count("Your new tutorial entry:") == 2


def test_changing_the_title_keeps_a_typed_slug(tmp_path: Path) -> None:
    given = all_but("title", "slug")
    order = ["title", "slug", *given]
    keys = [
        "First title",
        ENTER,
        "my_slug",
        ENTER,
        *CHANGE,
        *pick_answer(order, "title"),
        CTRL_U,
        "Second title",
        ENTER,
        *CREATE,
    ]
    run = drive(keys, given, cwd=tmp_path)
    assert run.answers is not None
    assert (run.answers["title"], run.answers["slug"]) == ("Second title", "my_slug")


def test_changing_the_kind_redraws_what_depends_on_it(tmp_path: Path) -> None:
    """Accepted kind defaults follow the kind; answers that stop applying go."""
    names = ["kind", "tags", "hardware", "gpu_backend"]
    given = all_but(*names, *answers.FOLLOW_THE_KIND)
    first = [ENTER] * len(names)  # image_classification and all its suggestions
    order = list(answers.resolve(given))
    keys = [
        *first,
        *CHANGE,
        *pick_answer(order, "kind"),
        *select(choices("kind"), "image_classification", "custom_optimiser"),
        *CREATE,
    ]
    run = drive(keys, given, cwd=tmp_path)
    assert run.error is None, run.screen
    assert run.answers == answers.resolve(given | {"kind": "custom_optimiser"})
    assert "dataset_name" not in run.answers and "gpu_backend" not in run.answers


def test_a_question_that_starts_to_apply_is_asked(tmp_path: Path) -> None:
    given = all_but("hardware", "gpu_backend", kind="blank")  # blank runs on the cpu
    order = list(answers.resolve(given))
    keys = [
        ENTER,
        *CHANGE,
        *pick_answer(order, "hardware"),
        *select(choices("hardware"), "cpu", "gpu-required"),
        *select(choices("gpu_backend"), "CUDA", "Metal"),
        *CREATE,
    ]
    run = drive(keys, given, cwd=tmp_path)
    assert run.answers is not None
    assert (run.answers["hardware"], run.answers["gpu_backend"]) == ("gpu-required", "Metal")


def test_the_creation_date_is_not_asked_but_can_be_changed(tmp_path: Path) -> None:
    given = all_but("created")
    order = [*given, "created"]
    script = [
        *CHANGE,
        *pick_answer(order, "created"),
        See(answers.question("created").prompt),
        "2024-02-30",
        ENTER,
        See("a date as YYYY-MM-DD"),
        CTRL_U,
        "2024-02-29",
        ENTER,
        *CREATE,
    ]
    run = drive(script, given, cwd=tmp_path)
    assert run.unseen is None, run.screen
    assert run.answers is not None and run.answers["created"] == "2024-02-29"


def test_changing_nothing_goes_back_to_the_summary(tmp_path: Path) -> None:
    given = all_but()
    keys = [*CHANGE, UP, ENTER, *CREATE]  # the last entry: "(none: back to the summary)"
    run = drive(keys, given, cwd=tmp_path)
    assert run.answers == answers.resolve(given)
    assert run.screen.count("Your new tutorial entry:") == 2


FINISH = [ENTER] * 40
"""Enough Enters to answer everything and create the entry, had the keys before not stopped."""


@pytest.mark.parametrize(
    ("keys", "where"),
    [
        ([CTRL_C, *FINISH], "at the first question"),
        (["A title", ENTER, CTRL_C, *FINISH], "at a text question"),
        (["A title", ENTER, ENTER, ENTER, CTRL_C, *FINISH], "at the kind list"),
        (["A title", ENTER, ENTER, CTRL_D, *FINISH], "Ctrl-D at a select"),
        (["A title", CTRL_D, *FINISH], "Ctrl-D on typed text"),
        (["A title", ENTER, ENTER], "the input ends"),
    ],
)
def test_stopping_while_asking_aborts(keys: list[str], where: str, tmp_path: Path) -> None:
    run = drive(keys, cwd=tmp_path)
    assert isinstance(run.error, Aborted), where
    assert run.answers is None
    assert str(run.error) == "Aborted; nothing was written."
    assert run.error.exit_code == 130


@pytest.mark.parametrize(
    "keys",
    [
        [DOWN, DOWN, ENTER],  # Cancel
        [CTRL_C],
        [*CHANGE, CTRL_C],  # in the list of answers
        [*CHANGE, ENTER, CTRL_D],  # while changing the title
    ],
)
def test_stopping_at_the_summary_aborts(keys: list[str], tmp_path: Path) -> None:
    run = drive([*keys, *FINISH], all_but(), cwd=tmp_path)
    assert isinstance(run.error, Aborted)
    assert "Your new tutorial entry:" in run.screen
