"""The questionnaire of `fluxzoo new`: the answers of `fluxzoo.answers`, asked one at a time.

Questions, order, defaults, help and validators all come from `fluxzoo.answers`; this module
decides only how they are shown and when they are asked (again):

- While a question is open its help text stands under it; once answered it collapses to one
  line, `? <question>  <answer>`, so the scrollback reads as a record of the answers.
- Every text question starts with an empty line showing its suggestion dim: Enter keeps
  the suggestion, typing replaces it, Tab puts it in the line to edit. Where empty is a valid
  answer, `-` alone answers "none" (the help says so where the suggestion is not empty: the
  kind's tags, the e-mail from git). An answer changed from the summary behaves the same, its
  current value being the suggestion.
- A bad answer is refused with the validator's own message and the question stays open. The
  slug is checked while typing, including whether its folder already exists.
- Answers given with `--set` or `--answers` are not asked. `created` (today) is not asked
  either; like every answer it can be changed from the summary.
- Nothing is written until the summary's "Create the entry": `ask` only returns answers.

Changing an answer from the summary walks the later questions again. An answer that still
holds the default it was offered *follows* that default: change the title and an accepted
slug becomes the new title's slug; change the kind and the accepted dataset, hardware and tags
become the new kind's (the summary shows the result). An answer the person typed, or gave on
the command line, is never changed behind their back. Questions that stop applying are
dropped and questions that start applying are asked (a GPU backend once the hardware is no
longer cpu).

Ctrl-C or Ctrl-D at any question, and "Cancel" in the summary, raise `Aborted`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import questionary
from prompt_toolkit import print_formatted_text
from prompt_toolkit.application import (
    Application,
    create_app_session,
    get_app,
    get_app_session,
)
from prompt_toolkit.filters import Condition, has_validation_error, to_filter
from prompt_toolkit.formatted_text import FormattedText
from prompt_toolkit.input import Input
from prompt_toolkit.key_binding import KeyBindings, merge_key_bindings
from prompt_toolkit.layout import BufferControl, ConditionalContainer, Window
from prompt_toolkit.output import Output
from prompt_toolkit.styles import Style

from fluxzoo.answers import (
    FOLLOW_THE_KIND,
    Answers,
    Question,
    question,
    questions,
    resolve,
    unset,
)
from fluxzoo.entries import category_at, find_zoo
from fluxzoo.errors import Aborted, ValidationError
from fluxzoo.kinds import KINDS
from fluxzoo.wrapping import lines

NONE = "-"
"""Typed alone at a question that may be left empty: the answer "none", whatever is suggested."""

QUIET = frozenset({"created"})
"""Answers right for nearly everyone: not asked, but shown in the summary and changeable there."""

STYLE = Style(
    [
        ("qmark", "fg:#5f819d bold"),
        ("question", "bold"),
        ("answer", "fg:#ff9d00 bold"),
        ("instruction", "fg:#8a8a8a"),
        ("placeholder", "fg:#8a8a8a italic"),
        ("validation-toolbar", "fg:#ff5f5f bold"),
        ("key", "fg:#5f819d"),
        ("none", "fg:#8a8a8a italic"),
    ]
)

_ABORT_KEYS = KeyBindings()


@_ABORT_KEYS.add("c-d", eager=True)
def _end_of_input(event: Any) -> None:
    """Ctrl-D stops at every question, as Ctrl-C does (prompt_toolkit stops only on empty text)."""
    event.app.exit(exception=EOFError, style="class:aborting")


def ask(
    given: Mapping[str, Any],
    *,
    zoo: Path | None = None,
    cwd: Path | None = None,
    output_dir: Path | None = None,
    input: Input | None = None,
    output: Output | None = None,
) -> Answers:
    """Ask every answer not in `given`, confirm them in a summary, return them resolved.

    `zoo` and `output_dir` are `fluxzoo new`'s options: they say where the entry will go, so a
    slug whose folder exists is refused. `input`/`output` default to the terminal; tests pass
    a pipe and a dummy output. Raises `Aborted` on Ctrl-C, Ctrl-D or "Cancel".
    """
    cwd = cwd or Path.cwd()
    place = _Place.find(zoo=zoo, cwd=cwd, output_dir=output_dir)
    with create_app_session(input=input, output=output):
        try:
            return _Questionnaire(given, place).run()
        except (KeyboardInterrupt, EOFError):
            raise Aborted() from None


@dataclass(frozen=True)
class _Place:
    """Where the entry will be created, and the category the working folder suggests."""

    cwd: Path
    zoo: Path | None
    output_dir: Path
    category: str | None

    @classmethod
    def find(cls, *, zoo: Path | None, cwd: Path, output_dir: Path | None) -> _Place:
        zoo = cwd / zoo if zoo is not None else None
        return cls(
            cwd=cwd,
            zoo=zoo,
            output_dir=cwd / output_dir if output_dir is not None else cwd,
            category=category_at(cwd, zoo or find_zoo(cwd)),
        )

    def destination(self, answers: Answers) -> Path:
        from fluxzoo.new import destination

        return destination(answers, zoo=self.zoo, output_dir=self.output_dir)

    def taken(self, slug: str) -> Path | None:
        """An existing folder the slug would clash with; in a zoo, in any category."""
        if self.zoo is not None:
            folders = [self.zoo / c / slug for c in question("category").choices]
        else:
            folders = [self.output_dir / slug]
        return next((f for f in folders if f.exists() or f.is_symlink()), None)

    def shown(self, path: Path) -> str:
        try:
            return str(path.relative_to(self.cwd))
        except ValueError:
            return str(path)


class _Questionnaire:
    def __init__(self, given: Mapping[str, Any], place: _Place):
        for name, value in given.items():  # refuse a bad --set before asking anything
            if not unset(name, value):
                question(name).validate(name, value)
        self.given = dict(given)
        self.place = place
        self.answers: Answers = {}
        self.following: set[str] = set()
        """Answers that hold the default they were offered, and so follow it."""

    def run(self) -> Answers:
        self._intro()
        self.complete()
        while True:
            self._print_summary()
            action = self._choose(
                "What now?",
                [
                    questionary.Choice("Create the entry", "create"),
                    questionary.Choice("Change an answer", "change"),
                    questionary.Choice("Cancel (nothing is written)", "cancel"),
                ],
            )
            if action == "create":
                return resolve(self.answers)
            if action == "cancel":
                raise Aborted()
            self.change()

    def complete(self) -> None:
        """Give every question that applies an answer, asking only where none is known."""
        done: Answers = {}
        for q in questions():
            if not q.when(done):
                continue
            if q.name in FOLLOW_THE_KIND:
                done[q.name] = q.default_for(done)
            elif q.name in self.answers and q.name not in self.following:
                done[q.name] = self.answers[q.name]
            elif q.name in self.given:
                value = self.given[q.name]
                value = q.default_for(done) if unset(q.name, value) else q.validate(q.name, value)
                done[q.name] = (
                    value if self._problem(q, value) is None else self._ask(q, done, value)
                )
            elif q.name in self.following or q.name in QUIET:
                value = q.validate(q.name, self._offered(q, done))
                done[q.name] = value if self._problem(q, value) is None else self._ask(q, done)
                if q.name in QUIET:
                    self.following.add(q.name)
            else:
                done[q.name] = self._ask(q, done)
        self.answers = done

    def change(self) -> None:
        """Pick one answer, ask it again (it is the person's own from now on), then walk on."""
        width = _line() - 3  # after questionary's pointer
        choices = [
            questionary.Choice(_clip(f"{name:<17} {_shown(name, value)}", width), name)
            for name, value in self.answers.items()
            if name not in FOLLOW_THE_KIND
        ]
        choices.append(questionary.Choice("(none: back to the summary)", ""))
        name = self._choose("Which answer do you want to change?", choices)
        if not name:
            return
        q = question(name)
        others = {k: v for k, v in self.answers.items() if k != name}
        self.answers[name] = self._ask(q, others, self.answers[name])
        self.following.discard(name)
        self.complete()

    def _offered(self, q: Question, done: Answers) -> Any:
        if q.name == "category" and self.place.category:
            return self.place.category
        return q.default_for(done)

    def _ask(self, q: Question, done: Answers, current: Any = None) -> Any:
        """Ask `q`, starting from `current` or else its default; returns the validated answer."""
        offered = q.validate(q.name, self._offered(q, done))
        start = offered if current is None else current
        value = self._select(q, start) if q.choices else self._text(q, start)
        if current is None and value == offered:
            self.following.add(q.name)
        else:
            self.following.discard(q.name)
        _print_answered(q, value)
        return value

    def _text(self, q: Question, start: Any) -> Any:
        text = ", ".join(start) if q.is_list else str(start)
        optional = not _required(q) and not unset(q.name, "")  # no runtime is the kind's

        def submitted(typed: str) -> str:
            if not typed.strip():
                return text
            return "" if optional and typed.strip() == NONE else typed

        keys = KeyBindings()

        @keys.add("tab", filter=Condition(lambda: not get_app().current_buffer.text))
        def _edit_the_suggestion(event: Any) -> None:
            event.current_buffer.insert_text(text)

        help = f"{q.help} Type {NONE} for none." if optional and text else q.help
        prompt = questionary.text(
            _message(q.prompt),
            placeholder=lambda: _placeholder(text),
            prompt_continuation=" " * len(_INPUT),
            instruction="\n" + _paragraph(help) + "\n" + _INPUT.rstrip(),
            validate=lambda typed: self._verdict(q, submitted(typed)),
            validate_while_typing=q.name == "slug",
            style=STYLE,
            erase_when_done=True,
            key_bindings=keys,
        )
        _message_under_input(prompt.application)
        return q.validate(q.name, submitted(_run(prompt)))

    def _select(self, q: Question, start: Any) -> Any:
        if q.name == "kind":
            choices = [
                questionary.Choice(KINDS[c].label, c, description=_described(KINDS[c].summary))
                for c in q.choices
            ]
        else:
            choices = [questionary.Choice(c, c) for c in q.choices]
        return self._choose(q.prompt, choices, default=start, help=q.help)

    def _choose(
        self, prompt: str, choices: list[questionary.Choice], *, default: Any = None, help: str = ""
    ) -> Any:
        question_ = questionary.select(
            _message(prompt),
            choices=choices,
            default=default,
            instruction="\n" + _paragraph(f"{help} Use the arrow keys, then Enter.".strip()),
            style=STYLE,
            erase_when_done=True,
        )
        return _run(question_)

    def _verdict(self, q: Question, typed: str) -> bool | str:
        """True, or the validator's message: what questionary shows under the input."""
        message: str | None
        try:
            value = q.validate(q.name, typed)
        except ValidationError as e:
            message = e.allowed if e.value == typed else f"{e.value!r}: {e.allowed}"
        else:
            message = self._problem(q, value)
        if message is None:
            return True
        return _paragraph(message)

    def _problem(self, q: Question, value: Any) -> str | None:
        if q.name == "slug" and (folder := self.place.taken(value)) is not None:
            return f"the folder {self.place.shown(folder)}/ already exists; choose another slug"
        return None

    def _intro(self) -> None:
        _print([("class:question", "Creating a new tutorial entry for the FluxML model zoo.")])
        _print(
            [
                (
                    "class:instruction",
                    "Press Enter to keep a suggestion, or type over it (Tab puts it in the "
                    "line to edit). Nothing is written until you confirm the summary; Ctrl-C "
                    "stops at any time.",
                )
            ],
            wrap=True,
        )
        if self.given:
            _print(
                [("class:instruction", "Already given: " + ", ".join(self.given) + ".")], wrap=True
            )
        _print([])

    def _print_summary(self) -> None:
        _print([])
        _print([("class:question", "Your new tutorial entry:")])
        for name, value in self.answers.items():
            style, text = _value(name, value)
            tokens = [("", "  "), ("class:key", f"{name:<17} ")]
            indent, shown = " " * 20, lines(text, _line() - 20)
            if max(map(len, shown)) > _line() - 20:  # a word too long for the column
                indent, shown = " " * 4, ["", *lines(text, _line() - 4)]
            for number, line in enumerate(shown):
                tokens += [("", "\n" + indent)] if number else []
                tokens += [(style, line)]
            _print(tokens)
        where = self.place.shown(self.place.destination(self.answers)) + "/"
        lead = "It will be created in"
        fits = len(lead) + 1 + len(where) <= _line()
        _print([("", lead + (" " if fits else "\n  ")), ("class:answer", where)])
        _print([])


def _run(prompt: questionary.Question) -> Any:
    """`unsafe_ask` with Ctrl-D added: Ctrl-C and Ctrl-D surface as exceptions, never as None."""
    app = prompt.application
    app.key_bindings = merge_key_bindings([app.key_bindings or KeyBindings(), _ABORT_KEYS])
    return prompt.unsafe_ask()


def _message_under_input(app: Application[Any]) -> None:
    """Show a validator's message whole, right under the input.

    prompt_toolkit lets the input window fill the screen, which pushes the message to the last
    row of the terminal, and draws the message in one row, cut at the edge. This keeps the
    input window to its text and lets the message window grow and wrap (as questionary does
    for its select prompts).
    """
    for container in app.layout.walk():
        if isinstance(container, Window) and isinstance(container.content, BufferControl):
            container.dont_extend_height = to_filter(True)
        elif (
            isinstance(container, ConditionalContainer) and container.filter is has_validation_error
        ):
            window = container.content
            if isinstance(window, Window):
                window.height = None
                window.wrap_lines = to_filter(True)


def _print_answered(q: Question, value: Any) -> None:
    """`? <question>  <answer>`: the record an answered question leaves, one line if it fits."""
    label = re.split(r" \(|, e\.g\. ", q.prompt)[0]  # the hints were for answering
    shown = lines(label, _line(), "? ", "  ")
    style, text = _value(q.name, value)
    tokens = [("class:qmark", "?"), ("class:question", "\n".join(shown)[1:])]
    if len(shown[-1]) + 2 + len(text) <= _line():
        tokens += [("", "  "), (style, text)]
    else:
        for line in lines(text, _line() - 2):
            tokens += [("", "\n  "), (style, line)]
    _print(tokens)


def _required(q: Question) -> bool:
    try:
        q.validate(q.name, "")
    except ValidationError:
        return True
    return False


def _described(summary: str) -> str:
    """A choice's description, wrapped to sit after questionary's "  Description: " label."""
    return "\n".join(lines(summary, _line() - 15, indent=" " * 15))


def _paragraph(text: str) -> str:
    """Help (or a validator's message) under a question: indented, wrapped to the terminal."""
    return "\n".join(lines(text, _line(), "  "))


def _message(prompt: str) -> str:
    """A question, wrapped after questionary's "? " and before the two spaces it adds."""
    return "\n".join(lines(prompt, _line() - 2, "? ", "  "))[2:]


_INPUT = "  > "
"""Where the answer is typed; lines of the answer that wrap are indented as far."""


def _placeholder(suggestion: str) -> FormattedText:
    """The suggestion, dim, wrapped at spaces: each line is padded to the end of the input
    line, so where the input window wraps (at a character) is between two words."""
    room = _width() - len(_INPUT)
    shown = lines(suggestion, room - 1)
    text = "".join(line.ljust(room) for line in shown[:-1]) + shown[-1]
    return FormattedText([("class:placeholder", text)])


def _width() -> int:
    return max(get_app_session().output.get_size().columns, 40)


def _line() -> int:
    """The longest line printed: the last column stays empty, so the terminal never wraps."""
    return _width() - 1


def _shown(name: str, value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(value)
    if name == "kind":
        return f"{value} ({KINDS[value].label})"
    return str(value)


def _value(name: str, value: Any) -> tuple[str, str]:
    """An answer as shown, with its style; an empty one as "(none)"."""
    text = _shown(name, value)
    return ("class:answer", text) if text else ("class:none", "(none)")


def _clip(text: str, width: int) -> str:
    """`text` cut to `width` at a space, with an ellipsis (inside a word only if it has none)."""
    if len(text) <= width:
        return text
    cut = text[: width - 1]
    space = cut.rstrip().rfind(" ")
    return (cut[:space] if space > 18 else cut).rstrip() + "…"  # 18: the name column


def _print(tokens: list[tuple[str, str]], *, wrap: bool = False) -> None:
    """One line to the questionnaire's output (the terminal, or a test's)."""
    if wrap:
        tokens = [(style, "\n".join(lines(text, _line()))) for style, text in tokens]
    print_formatted_text(FormattedText(tokens), style=STYLE)
