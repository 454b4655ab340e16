"""Parse a filtered Literate source into markdown and code chunks.

The Literate format (Literate.jl 2.21), as this parser and `filters` implement it:

- A line is **markdown** when, after trailing whitespace is removed, it is `#` alone or starts
  with `# ` (both after optional horizontal indentation) and does not start with `##`. The
  indentation and the `# ` are dropped; what follows is the markdown text. Every other line,
  including blank lines and `#comment` without a space, is **code**.
- Consecutive lines of one kind form a **chunk**. A line starting with `#-` (after
  indentation; `#-----` too) ends the current chunk and starts a new one of the same kind.
- A line starting with `#+` starts a new code chunk and marks the last code chunk before it
  as *continued*: markdown output puts `; continued = true` on its Documenter `@example`
  fence, and notebooks (which cannot continue a cell) merge everything up to the next
  non-continued code chunk into one code cell, turning markdown back into `# ` comments.
- `## text` and a lone `##` in code become `# text` and `#` (a way to write comments that
  stay in the code). With the Quarto flavor `##| opt` becomes `#| opt` too (and `##: x`
  becomes `#: x`, as Literate's pattern `(:? |\\|)` also matches).
- Trailing whitespace of every line is removed. Chunks that are empty or hold only blank
  lines are dropped; leading and trailing blank lines of a chunk are dropped; blank lines
  inside a chunk are kept.
- In notebooks, a chunk whose first line starts with `%% ` carries cell metadata:
  `%% [name text] [[type]] [{json}]` (the jupytext percent format); see `emit_notebook`.

Before parsing, `filters.prepare` applies (in Literate's order): credit footer, `#= =#`
blocks and (with `mdstrings`) `md\"\"\" \"\"\"` strings to `# ` lines, CRLF to LF, removal of
`#src` lines, the `#md #nb #jl` and negated `#!md #!nb #!jl` line filters (leading
`#md ` prefix or trailing ` #md` suffix), notebook math and raw-HTML rewrites, `@__NAME__` and
the URL placeholders, and outside Documenter the removal of `@ref`/`@extref`/`@id` links and
the rewriting of `!!! type "title"` admonitions to block quotes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from fluxzoo.errors import UsageError
from fluxzoo.literate._julia import HSPACE, HSPACE_CHARS, eachline, rstrip
from fluxzoo.literate.options import Flavor


@dataclass
class MDChunk:
    """Markdown lines as (indentation, text) pairs; the text had its `# ` removed."""

    lines: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class CodeChunk:
    lines: list[str] = field(default_factory=list)
    continued: bool = False


Chunk = MDChunk | CodeChunk

_NEW_CHUNK = re.compile(rf"{HSPACE}*#-")
_CONTINUE = re.compile(rf"{HSPACE}*#\+")
_MD_EMPTY = re.compile(rf"{HSPACE}*#")
_MD_TEXT = re.compile(rf"{HSPACE}*# .*", re.DOTALL)
_DOUBLE_HASH = re.compile(rf"{HSPACE}*##")
_MD_PARTS = re.compile(rf"({HSPACE}*)#(?: (.*))?", re.DOTALL)
_CODE_COMMENT = re.compile(rf"^({HSPACE}*)#(# .*)$", re.DOTALL)
_QUARTO_CODE_COMMENT = re.compile(rf"^({HSPACE}*)#(#(:? |\|).*)$", re.DOTALL)
_LONE_DOUBLE_HASH = re.compile(rf"^({HSPACE}*#)#$")


def is_markdown_line(line: str) -> bool:
    return bool(
        (_MD_EMPTY.fullmatch(line) or _MD_TEXT.fullmatch(line)) and not _DOUBLE_HASH.match(line)
    )


def _code_line(line: str, flavor: Flavor) -> str:
    if "##" not in line:
        return line
    pattern = _QUARTO_CODE_COMMENT if flavor is Flavor.QUARTO else _CODE_COMMENT
    return _LONE_DOUBLE_HASH.sub(r"\1", pattern.sub(r"\1\2", line))


def _blank(line: str | tuple[str, str]) -> bool:
    return (line[1] if isinstance(line, tuple) else line) == ""


def parse(text: str, flavor: Flavor, *, allow_continued: bool = True) -> list[Chunk]:
    """The chunks of `text`, which `filters.prepare` has already filtered for one output."""
    lines = eachline(text)
    if not lines:
        # Literate reads `lines[1]` of the empty list (src/Literate.jl:57) and throws.
        raise UsageError(
            "nothing to convert: the source is empty once #src lines and filters are applied "
            "(Literate.jl fails on it too); add content or keep the credit footer"
        )
    chunks: list[Chunk] = [MDChunk() if is_markdown_line(rstrip(lines[0])) else CodeChunk()]
    for raw in lines:
        line = rstrip(raw)
        if not line.lstrip(HSPACE_CHARS).startswith("#"):
            # Not `#-`, `#+` nor markdown: each of those starts with `#` after \h (most lines).
            code = chunks[-1] if isinstance(chunks[-1], CodeChunk) else CodeChunk()
            if code is not chunks[-1]:
                chunks.append(code)
            code.lines.append(_code_line(line, flavor))
        elif _NEW_CHUNK.match(line):
            chunks.append(MDChunk() if isinstance(chunks[-1], MDChunk) else CodeChunk())
        elif _CONTINUE.match(line):
            for chunk in reversed(chunks):
                if isinstance(chunk, CodeChunk):
                    chunk.continued = True
                    break
            chunks.append(CodeChunk())
        elif is_markdown_line(line):
            md = chunks[-1] if isinstance(chunks[-1], MDChunk) else MDChunk()
            if md is not chunks[-1]:
                chunks.append(md)
            m = _MD_PARTS.fullmatch(line)
            assert m is not None
            md.lines.append((m[1], m[2] or ""))
        else:
            code = chunks[-1] if isinstance(chunks[-1], CodeChunk) else CodeChunk()
            if code is not chunks[-1]:
                chunks.append(code)
            code.lines.append(_code_line(line, flavor))

    chunks = [c for c in chunks if not all(_blank(x) for x in c.lines)]
    for chunk in chunks:
        while _blank(chunk.lines[0]):
            chunk.lines.pop(0)
        while _blank(chunk.lines[-1]):
            chunk.lines.pop()
    return chunks if allow_continued else _merge_continued(chunks)


def _merge_continued(chunks: list[Chunk]) -> list[Chunk]:
    """Fold everything after a continued code chunk into it, until a code chunk that is not."""
    merged: list[Chunk] = []
    continued = False
    for chunk in chunks:
        if continued:
            target = merged[-1]
            assert isinstance(target, CodeChunk)
            if isinstance(chunk, CodeChunk):
                target.lines.extend(chunk.lines)
            else:
                target.lines.extend(rstrip(f"{indent}# {text}") for indent, text in chunk.lines)
        else:
            merged.append(chunk)
        if isinstance(chunk, CodeChunk):
            continued = chunk.continued
    return merged
