"""Chunks to a Jupyter notebook, as `Literate.notebook(...; execute = false)` builds it.

Cell metadata comes from a first line `%% [name] [[type]] [{json}]` (jupytext's percent
format, as Literate parses it): the text before `[`/`{` becomes `"name"` (trailing space
included, as in Literate), `[markdown]`/`[code]` must agree with the chunk, and the JSON
object is merged in. `to_json` prints the notebook exactly as Literate's JSON.jl 0.21 does.
"""

from __future__ import annotations

import json
import re
from typing import Any

from fluxzoo.errors import UsageError
from fluxzoo.literate._julia import dict_order, json_print
from fluxzoo.literate.parse import Chunk, MDChunk

NBFORMAT = (4, 3)
_NBMETA = re.compile(r"^%% ([^\[{]+)?\s*(?:\[(\w+)\])?\s*(\{.*)?$", re.DOTALL)


def _julia_ordered(value: Any) -> Any:
    """A parsed JSON value with each object's keys in the order a Julia `Dict` iterates them."""
    if isinstance(value, dict):
        return {k: _julia_ordered(value[k]) for k in dict_order(list(value))}
    if isinstance(value, list):
        return [_julia_ordered(v) for v in value]
    return value


def parse_cell_meta(line: str) -> tuple[str | None, dict[str, Any]]:
    """The cell type (if given) and metadata of a `%% ` line."""
    m = _NBMETA.match(line)
    if m is None:
        raise UsageError(f"cannot read the notebook cell metadata line {line!r}")
    meta: dict[str, Any] = {} if m[1] is None else {"name": m[1]}
    if m[3] is not None:
        try:
            parsed = json.loads(m[3])
        except json.JSONDecodeError as e:
            raise UsageError(
                f"notebook cell metadata is not valid JSON ({e.msg}): {m[3]}"
            ) from None
        meta.update(_julia_ordered(parsed))
    return m[2], meta


def build(chunks: list[Chunk], julia_version: str) -> dict[str, Any]:
    """The notebook as the nested dicts Literate passes to `postprocess`."""
    cells = []
    for chunk in chunks:
        cell_type = "markdown" if isinstance(chunk, MDChunk) else "code"
        lines = (
            [text for _, text in chunk.lines] if isinstance(chunk, MDChunk) else list(chunk.lines)
        )
        metadata: dict[str, Any] = {}
        if lines and lines[0].startswith("%% "):
            declared, metadata = parse_cell_meta(lines.pop(0))
            if declared is not None and declared != cell_type:
                raise UsageError(
                    f"cell metadata line declares a {declared} cell inside {cell_type}; "
                    "specifying a different cell type is not supported"
                )
        source = [line + "\n" for line in lines[:-1]] + lines[-1:]
        cell: dict[str, Any] = {"cell_type": cell_type, "metadata": metadata, "source": source}
        if cell_type == "code":
            cell["execution_count"] = None
            cell["outputs"] = []
        cells.append(cell)
    major_minor = ".".join(julia_version.split(".")[:2])
    return {
        "nbformat": NBFORMAT[0],
        "nbformat_minor": NBFORMAT[1],
        "cells": cells,
        "metadata": {
            "kernelspec": {
                "language": "julia",
                "name": f"julia-{major_minor}",
                "display_name": f"Julia {julia_version}",
            },
            "language_info": {
                "file_extension": ".jl",
                "mimetype": "application/julia",
                "name": "julia",
                "version": julia_version,
            },
        },
    }


def to_json(notebook: dict[str, Any]) -> str:
    return json_print(notebook, 1)
