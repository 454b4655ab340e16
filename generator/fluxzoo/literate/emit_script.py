"""Chunks to a plain script, as `Literate.script` writes it."""

from __future__ import annotations

from fluxzoo.literate._julia import rstrip
from fluxzoo.literate.parse import Chunk, CodeChunk


def emit(chunks: list[Chunk], *, keep_comments: bool) -> str:
    out: list[str] = []
    for chunk in chunks:
        if isinstance(chunk, CodeChunk):
            lines = [f"{line}\n" for line in chunk.lines]
        elif keep_comments:
            lines = [rstrip(f"{indent}# {text}") + "\n" for indent, text in chunk.lines]
        else:
            continue
        if out:
            out.append("\n")
        out.extend(lines)
    return "".join(out)
