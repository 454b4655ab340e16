"""FZ30x: the entry's code as text: it parses, nothing is left to fill in, no merge is left open."""

from __future__ import annotations

import re
from collections.abc import Iterator

from fluxzoo import metadata
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import TABLE_HEADER, EntryContext
from fluxzoo.checks.registry import Applies, ConflictScope, Severity, rule

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
    hidden_by_conflicts=ConflictScope.FILE,
)
def julia_syntax_error(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Parses each Julia file of the entry (the folder itself and `test/`) with tree-sitter-julia
    and reports every syntax error with its line and column. An unclosed `(`, `[`, `{`, string,
    `#=` comment or `begin`/`function`/`for`/`if`/`let`/`struct`/`module`/`do` block, or an
    `end` or closer too many, is reported once, where it opens (or where the extra one stands),
    not where the parser gave up. Valid Julia that tree-sitter-julia misreads (`import A.@m`,
    `x[begin+1]`) is not reported. A file with an unresolved merge conflict gets FZ303
    instead: the markers are what does not parse. A file over 1 MiB, nested more than 128
    deep, with a line over 20,000 characters or a name with over 100 dots is not parsed (that
    would cost minutes or crash); one finding says it was not checked.

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
            what = "" if parsed.refused else "syntax error: "  # a refusal says "not checked"
            for issue in syntax_errors(parsed):
                yield Finding(rel, f"{what}{issue.message}", issue.line, issue.col)


@rule(
    code="FZ302",
    name="todo-marker",
    severity=Severity.ERROR,
    summary="a TODO(fluxzoo) placeholder from the template is still there",
    hidden_by_conflicts=ConflictScope.BLOCK,
)
def todo_marker(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports every `TODO(fluxzoo)` marker left in the script, the tests and `tutorial.toml`,
    one finding per marker, at its line and column. The answers recorded under
    `[fluxzoo.answers]` are history (what the entry was generated from) and are not searched,
    nor are the lines of an unresolved merge conflict (FZ303 reports those).

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


@rule(
    code="FZ303",
    name="merge-conflict-marker",
    severity=Severity.ERROR,
    summary="a merge conflict is left unresolved (<<<<<<<, =======, >>>>>>> lines)",
    applies=Applies.ALL,
)
def merge_conflict_marker(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds the conflict markers that `git merge` and `fluxzoo update` write into a file when
    two changes touch the same lines: a block from `<<<<<<<` to `>>>>>>>`, with `=======`
    (and, in diff3 style, `|||||||`) between the sides. Every text file of the entry is
    searched; each block is reported once, at the line of its `<<<<<<<`, and so is a lone
    `<<<<<<<` or `>>>>>>>` left by a half-finished resolution. A bare `=======` outside a
    block is not reported (it underlines a Markdown heading).

    While a Julia file has a conflict, its syntax errors (FZ301) are not reported, and neither
    are `TODO(fluxzoo)` markers (FZ302) inside a block: both come from the markers and the
    template's side of the conflict, and go away when it is resolved.

    ## Why is this bad?
    The file holds both versions of the conflicting lines, so it is neither: Julia cannot load
    the script, TOML and JSON do not parse, and the derived notebook would show the markers.

    ## Example
    ```
    <<<<<<< tiny_mlp.jl (yours)
    epochs::Int = 80
    ||||||| tiny_mlp.jl (template 1.0.0)
    epochs::Int = 50
    =======
    epochs::Int = 40
    >>>>>>> tiny_mlp.jl (template 1.1.0)
    ```
    Keep the lines you want, delete the marker lines, then run `fluxzoo sync`.
    """
    for rel in entry.text_files:
        for block in entry.conflicts(rel):
            if block.problem:
                message = f"unresolved merge conflict: {block.problem}; remove the marker"
            else:
                message = (
                    f"unresolved merge conflict (lines {block.start}-{block.end}): keep the "
                    "lines you want and delete the <<<<<<<, =======, >>>>>>> lines"
                )
            yield Finding(rel, message, block.start, 1)
