"""FZ31x: the derived notebook: valid nbformat, a Julia kernel, and no run left in it."""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator
from typing import Any

from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Severity, rule

_CELL_KEY = re.compile(r'(?<!\\)"cell_type"\s*:')
_REGENERATE = "run 'fluxzoo sync' to regenerate it from the script"


def _cell_lines(text: str) -> list[int]:
    """The line each cell starts on, in order (JSON keeps no positions, the text does)."""
    return [text.count("\n", 0, m.start()) + 1 for m in _CELL_KEY.finditer(text)]


def _code_cells(entry: EntryContext) -> Iterator[tuple[int, dict[str, Any], int | None]]:
    """(number from 1, cell, line) for every code cell of a notebook that parses as JSON."""
    nb = entry.notebook_json
    cells = nb.get("cells") if nb else None
    if not isinstance(cells, list):
        return
    lines = _cell_lines(entry.text(entry.notebook_file) or "")
    if len(lines) != len(cells):
        lines = []
    for index, cell in enumerate(cells):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            yield index + 1, cell, lines[index] if lines else None


def _as_derived(entry: EntryContext, rel: str) -> bool:
    """Whether the notebook is the one `fluxzoo sync` writes for the script: valid by
    construction (tests/test_literate_notebook.py validates derived notebooks with nbformat),
    so the schema (and importing nbformat, the slowest part of a check) is skipped."""
    from fluxzoo.errors import FluxzooError

    try:
        derived = entry.derived()
    except FluxzooError:
        return False
    return derived.get(rel) == entry.text(rel)


@rule(
    code="FZ311",
    name="invalid-notebook",
    severity=Severity.ERROR,
    summary="the notebook is not valid JSON or fails nbformat validation",
)
def invalid_notebook(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Parses `<slug>.ipynb` as JSON and validates it against the nbformat schema, as Jupyter does
    when it opens the file.

    ## Why is this bad?
    Jupyter, GitHub's notebook viewer and the docs build refuse an invalid notebook.

    ## Example
    A hand-edited notebook where a cell's `outputs` is a string instead of a list.
    """
    nb = entry.notebook_json
    rel = entry.notebook_file
    if rel in entry.unparsable:
        yield entry.unparsable[rel]
    if nb is None:
        return
    major, minor = nb.get("nbformat"), nb.get("nbformat_minor")
    if type(major) is not int or major != 4 or type(minor) is not int or minor < 0:
        yield Finding(
            rel,
            f"not a notebook Jupyter reads: nbformat {major!r}, nbformat_minor {minor!r} "
            f"(expected 4 and a number); {_REGENERATE}",
        )
        return
    if _as_derived(entry, rel):
        return
    import nbformat

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            nbformat.validate(nbformat.from_dict(nb))
        except nbformat.ValidationError as e:
            where = list(getattr(e, "absolute_path", []))
            line = None
            if len(where) >= 2 and where[0] == "cells" and isinstance(where[1], int):
                cell_lines = _cell_lines(entry.text(rel) or "")
                line = cell_lines[where[1]] if where[1] < len(cell_lines) else None
            at = "/".join(str(p) for p in where)
            yield Finding(
                rel,
                f"not a valid notebook: {e.message}"
                + (f" (at {at})" if at else "")
                + f"; {_REGENERATE}",
                line,
                1 if line else None,
            )
            return
    from nbformat.warnings import DuplicateCellId, MissingIDFieldWarning

    problems = {
        MissingIDFieldWarning: "cells have no id, which nbformat 4.5 and newer require",
        DuplicateCellId: "two cells share an id",
    }
    for kind in dict.fromkeys(w.category for w in caught if w.category in problems):
        yield Finding(rel, f"not a valid notebook: {problems[kind]}; {_REGENERATE}")


@rule(
    code="FZ312",
    name="notebook-kernel",
    severity=Severity.ERROR,
    summary="the notebook does not declare a Julia kernel",
)
def notebook_kernel(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that the notebook's `metadata.kernelspec` names a Julia kernel (language `julia`, or
    a name starting with `julia`, as IJulia installs them).

    ## Why is this bad?
    Jupyter opens a notebook with the kernel its metadata names; without a Julia one it starts
    Python, or asks, and the first cell fails.

    ## Example
    `"kernelspec": {"name": "python3", "language": "python"}`: Literate.jl and `fluxzoo sync`
    write `{"name": "julia-1.10", "display_name": "Julia 1.10", "language": "julia"}`.
    """
    nb = entry.notebook_json
    if nb is None:
        return
    meta = nb.get("metadata")
    spec = meta.get("kernelspec") if isinstance(meta, dict) else None
    if not isinstance(spec, dict):
        yield Finding(
            entry.notebook_file,
            f"the notebook names no kernel (metadata.kernelspec); {_REGENERATE}",
        )
        return
    language, name = str(spec.get("language", "")), str(spec.get("name", ""))
    if language.lower() != "julia" and not name.lower().startswith("julia"):
        yield Finding(
            entry.notebook_file,
            f"the notebook's kernel is {name or language or 'unnamed'!r}, not Julia; {_REGENERATE}",
        )


@rule(
    code="FZ313",
    name="notebook-outputs",
    severity=Severity.ERROR,
    summary="a notebook cell has outputs saved in it",
)
def notebook_outputs(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports each code cell of the notebook that carries outputs.

    ## Why is this bad?
    The notebook is derived from the script and committed clean: outputs bloat the repository,
    go stale with every change, and hide whether the code still produces them.

    ## Example
    A notebook saved after running it in Jupyter: clear the outputs, or run `fluxzoo sync`.
    """
    for number, cell, line in _code_cells(entry):
        if cell.get("outputs"):
            yield Finding(
                entry.notebook_file,
                f"cell {number} has saved outputs; clear them or {_REGENERATE}",
                line,
                1 if line else None,
            )


@rule(
    code="FZ314",
    name="notebook-execution-count",
    severity=Severity.ERROR,
    summary="a notebook cell has an execution count",
)
def notebook_execution_count(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports each code cell whose `execution_count` is not `null`.

    ## Why is this bad?
    Execution counts record one person's session; they make every re-run a diff and tell a
    reader the cells ran in an order they may not have.

    ## Example
    `"execution_count": 3` on a code cell: it should be `null`, as `fluxzoo sync` writes it.
    """
    for number, cell, line in _code_cells(entry):
        if cell.get("execution_count") is not None:
            yield Finding(
                entry.notebook_file,
                f"cell {number} has execution count {cell['execution_count']!r}; "
                f"it must be null ({_REGENERATE})",
                line, 1 if line else None,
            )  # fmt: skip
