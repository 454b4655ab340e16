"""FZ30x: the entry's Julia code as text: it parses, and nothing is left to fill in."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fluxzoo import metadata
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import TABLE_HEADER, EntryContext
from fluxzoo.checks.registry import Applies, Severity, rule

TODO_MARKER = "TODO(fluxzoo)"
_TODO_RE = re.compile(rf"{re.escape(TODO_MARKER)}:?\s*((?:(?!{re.escape(TODO_MARKER)}).)*)")
_SNIPPET_CHARS = 60
RECORDED_ANSWERS = "fluxzoo.answers"


@rule(
    code="FZ301",
    name="julia-syntax-error",
    severity=Severity.ERROR,
    summary="Julia code does not parse",
    applies=Applies.ALL,
)
def julia_syntax_error(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Parses each Julia file of the entry (the folder itself and `test/`) with tree-sitter-julia
    and reports every syntax error with its line and column.

    ## Why is this bad?
    The script is the single source of the notebook, the docs page and the tests; if it does
    not parse, none of them work. This catches the mistake without installing Julia.

    ## Example
    `model = Chain(Dense(784 => 32, relu), Dense(32 => 10)` (a missing parenthesis).
    """
    from fluxzoo.julia_syntax import syntax_errors

    for rel in entry.julia_files:
        parsed = entry.julia(rel)
        if parsed is not None:
            for issue in syntax_errors(parsed):
                yield Finding(rel, f"syntax error: {issue.message}", issue.line, issue.col)


@rule(
    code="FZ302",
    name="todo-marker",
    severity=Severity.ERROR,
    summary="a TODO(fluxzoo) placeholder from the template is still there",
)
def todo_marker(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports every `TODO(fluxzoo)` marker left in the script, the tests and `tutorial.toml`,
    one finding per marker, at its line and column. The answers recorded under
    `[fluxzoo.answers]` are history (what the entry was generated from) and are not searched.

    ## Why is this bad?
    The template marks each place the contributor must fill in this way. A marker left over
    means a placeholder would be published as the tutorial's text, data or test. It is an
    error rather than a warning so that a pull request cannot be merged with one; it is how a
    reviewer knows the entry is finished.

    ## Example
    `description = "TODO(fluxzoo): say in one line what this tutorial teaches."`
    """
    for rel in (*entry.source_files, *entry.test_files, metadata.FILENAME):
        text = entry.text(rel)
        if text is None or TODO_MARKER not in text:
            continue
        table = ""
        for number, line in enumerate(text.splitlines(), start=1):
            header = TABLE_HEADER.match(line) if rel == metadata.FILENAME else None
            table = header.group(1) if header else table
            if table == RECORDED_ANSWERS:
                continue
            for m in _TODO_RE.finditer(line):
                what = m.group(1).strip().rstrip("\"',] ").strip() or "fill this in"
                if len(what) > _SNIPPET_CHARS:
                    what = what[:_SNIPPET_CHARS] + "..."
                yield Finding(rel, f"unfilled {TODO_MARKER}: {what}", number, m.start() + 1)
