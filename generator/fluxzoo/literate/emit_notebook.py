"""Chunks to a Jupyter notebook, as `Literate.notebook(...; execute = false)` builds it.

Cell metadata comes from a first line `%% [name] [[type]] [{json}]` (jupytext's percent
format, as Literate parses it): the text before `[`/`{` becomes `"name"` (trailing space
included, as in Literate), `[markdown]`/`[code]` must agree with the chunk, and the JSON
object is merged in. `to_json` prints the notebook exactly as Literate's `JSON.print(io, nb, 1)`
does with the chosen JSON.jl (see `JSONVersion`).
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

from fluxzoo.errors import UsageError
from fluxzoo.literate._julia import JSONObject, dict_order, json_print
from fluxzoo.literate.options import JSONVersion
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


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON")


def _finite(text: str) -> float:
    """JSON.jl 1.x refuses to write a non-finite number (`infcheck`, src/write.jl)."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large for a Float64")
    return value


def parse_cell_meta(
    line: str, version: JSONVersion = JSONVersion.V1_5
) -> tuple[str | None, dict[str, Any]]:
    """The cell type (if given) and metadata of a `%% ` line.

    Literate merges `JSON.parse` of the object into a `Dict` (src/Literate.jl:735-737). JSON.jl
    1.x parses objects into an insertion-ordered `JSON.Object`, kept as a `JSONObject` here;
    JSON.jl 0.21 parses into `Dict`s, which iterate in hash order.
    """
    m = _NBMETA.match(line)
    if m is None:
        raise UsageError(f"cannot read the notebook cell metadata line {line!r}")
    meta: dict[str, Any] = {} if m[1] is None else {"name": m[1]}
    if m[3] is not None:
        try:
            parsed = json.loads(
                m[3],
                object_pairs_hook=JSONObject,
                parse_constant=_refuse_constant,
                parse_float=float if version is JSONVersion.V0_21 else _finite,
            )
        except (json.JSONDecodeError, ValueError) as e:
            reason = e.msg if isinstance(e, json.JSONDecodeError) else str(e)
            raise UsageError(
                f"notebook cell metadata is not valid JSON ({reason}): {m[3]}"
            ) from None
        if not isinstance(parsed, dict):
            raise UsageError(f"notebook cell metadata must be a JSON object: {m[3]}")
        meta.update(_julia_ordered(parsed) if version is JSONVersion.V0_21 else parsed)
    return m[2], meta


def build(
    chunks: list[Chunk], julia_version: str, version: JSONVersion = JSONVersion.V1_5
) -> dict[str, Any]:
    """The notebook as the nested dicts Literate passes to `postprocess`."""
    cells = []
    for chunk in chunks:
        cell_type = "markdown" if isinstance(chunk, MDChunk) else "code"
        lines = (
            [text for _, text in chunk.lines] if isinstance(chunk, MDChunk) else list(chunk.lines)
        )
        metadata: dict[str, Any] = {}
        if lines and lines[0].startswith("%% "):
            declared, metadata = parse_cell_meta(lines.pop(0), version)
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


def to_json(notebook: dict[str, Any], version: JSONVersion = JSONVersion.V1_5) -> str:
    return json_print(
        notebook,
        1,
        sort_dicts=version is JSONVersion.V1_5,
        final_newline=version is JSONVersion.V0_21,
    )
