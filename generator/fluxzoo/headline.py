"""The title and one-line description an entry states twice: in tutorial.toml and atop its script.

The template writes both from the same answers: `tutorial.toml` has `title` and `description`,
and the Literate source opens with `# # <title>`, `#`, `# <description>` (each escaped by
`jinja_filters.markdown_text`). The script is the source (DESIGN.md: contributors edit it);
`tutorial.toml` is what the index and the site read. This module reads the script's header,
says where the two disagree (FZ407) and what each place should hold, so that nothing publishes
a `TODO(fluxzoo)` placeholder while the other place has the text.

The description is read from the script only for entries made by `fluxzoo new` (they record
their answers): in an adopted entry the line under the title is the old README's prose.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

TODO_MARKER = "TODO(fluxzoo)"
FIELDS = ("title", "description")
_TITLE = re.compile(r"^# # (?!#)(.*\S)\s*$")
_PARAGRAPH = re.compile(r"^# (?!#)(.*\S)\s*$")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")


def unescape(markdown: str) -> str:
    """The text a line of `markdown_text` output shows (CommonMark backslash escapes undone)."""
    return _ESCAPED.sub(r"\1", markdown)


def is_todo(value: object) -> bool:
    return isinstance(value, str) and value.strip().startswith(TODO_MARKER)


@dataclass(frozen=True)
class Stated:
    """What the script says for one field, and on which line (1-based)."""

    text: str
    line: int


def from_script(source: str, *, description: bool) -> dict[str, Stated]:
    """The title (line 1) and, if asked, the one-line description (line 3) the script states.

    A field is absent when the script does not have it in the template's layout: no
    `# # Title` first line, or no single-line paragraph right under it.
    """
    lines = source.split("\n")[:4]
    found: dict[str, Stated] = {}
    m = _TITLE.match(lines[0]) if lines else None
    if not m:
        return found
    found["title"] = Stated(unescape(m.group(1)), 1)
    if description and len(lines) >= 3 and lines[1].rstrip() == "#":
        d = _PARAGRAPH.match(lines[2])
        continues = len(lines) > 3 and _PARAGRAPH.match(lines[3])
        if d and not continues:
            found["description"] = Stated(unescape(d.group(1)), 3)
    return found


def reads_description(meta: Mapping[str, Any]) -> bool:
    """Whether the script's line 3 is the description: the entry was made by `fluxzoo new`."""
    table = meta.get("fluxzoo")
    return isinstance(table, Mapping) and isinstance(table.get("answers"), Mapping)


@dataclass(frozen=True)
class Disagreement:
    """One field the two places state differently, and which one is right."""

    field: str
    metadata: object
    script: Stated
    source_is_script: bool
    """True when `tutorial.toml` should take the script's text; False for the other way."""

    @property
    def right(self) -> str:
        return self.script.text if self.source_is_script else str(self.metadata)


def disagreements(meta: Mapping[str, Any], source: str) -> list[Disagreement]:
    """The fields whose metadata and script differ, one of them filled in.

    The filled one wins over a `TODO(fluxzoo)` placeholder (or a missing metadata value);
    when both are filled, the script does.
    """
    stated = from_script(source, description=reads_description(meta))
    out = []
    for name, said in stated.items():
        value = meta.get(name)
        if isinstance(value, str) and " ".join(value.split()) == said.text:
            continue
        script_todo, meta_todo = is_todo(said.text), is_todo(value) or not isinstance(value, str)
        if script_todo and meta_todo:
            continue
        out.append(Disagreement(name, value, said, source_is_script=not script_todo))
    return out


def published(meta: Mapping[str, Any], source: str | None) -> dict[str, str]:
    """The title and description to show for an entry: the metadata's, unless it is a
    placeholder (or missing) and the script states the text."""
    out = {name: meta.get(name) for name in FIELDS}
    if source is not None:
        for d in disagreements(meta, source):
            if d.source_is_script and (is_todo(d.metadata) or not isinstance(d.metadata, str)):
                out[d.field] = d.script.text
    return {k: v if isinstance(v, str) else "" for k, v in out.items()}


def read_script(entry_dir: Path, meta: Mapping[str, Any]) -> str | None:
    """The entry's `<slug>.jl`, or None when it cannot be read (`check` says why)."""
    from fluxzoo import answers, reading
    from fluxzoo.errors import FluxzooError

    slug = meta.get("slug")
    try:  # untrusted text names the file: a slug that is not one names none
        name = answers.validate("slug", slug if isinstance(slug, str) else entry_dir.name)
        return reading.read_text(entry_dir / f"{name}.jl", within=entry_dir)
    except FluxzooError:
        return None
