"""Chunks to a markdown page, as `Literate.markdown(...; execute = false)` writes it."""

from __future__ import annotations

import re

from fluxzoo.literate._julia import ends_with_semicolon
from fluxzoo.literate.options import Flavor
from fluxzoo.literate.parse import Chunk, MDChunk

_EXAMPLE_FENCE = re.compile(r"^`{3,}@example")


def default_codefence(flavor: Flavor, execute: bool, name: str) -> tuple[str, str]:
    """Literate's `pick_codefence`: Documenter `@example` blocks unless executing, Quarto cells.

    `name` is the `@example` block name as given (the caller replaces whitespace in a name
    taken from the file name, as Literate does before calling it).
    """
    if flavor is Flavor.QUARTO:
        return ("```{julia}", "```")
    if flavor is Flavor.DOCUMENTER and not execute:
        return ("````@example " + name, "````")
    return ("````julia", "````")


def emit(chunks: list[Chunk], *, flavor: Flavor, codefence: tuple[str, str], execute: bool) -> str:
    documenter = flavor is Flavor.DOCUMENTER
    # Documenter runs @example blocks itself and hides `#hide` lines; otherwise drop them here.
    write_hide = documenter and not execute
    out: list[str] = []
    for chunk in chunks:
        if isinstance(chunk, MDChunk):
            out.extend(f"{text}\n" for _, text in chunk.lines)
        else:
            shown = [line for line in chunk.lines if write_hide or not line.endswith("#hide")]
            if shown:
                opening = codefence[0]
                if chunk.continued and documenter and _EXAMPLE_FENCE.match(opening):
                    opening += "; continued = true"
                out.append(opening + "\n")
                out.extend(f"{line}\n" for line in shown)
                if write_hide and ends_with_semicolon(chunk.lines[-1]):
                    out.append("nothing #hide\n")
                out.append(codefence[1] + "\n")
        out.append("\n")
    return "".join(out)
