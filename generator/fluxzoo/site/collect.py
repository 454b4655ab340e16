"""What the site shows of each entry, read once from its folder.

A standard entry is described by its `tutorial.toml`; a legacy one (no `tutorial.toml`, see
`fluxzoo.entries`) by what its README says (title, first sentence) and the files it has, and is
marked as not yet in the standard. Metadata is data from contributors: values are coerced to
text, and `TODO(fluxzoo)` placeholders left by `adopt` read as unknown rather than as facts.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxzoo import entries, headline
from fluxzoo.checks.entry import EntryContext
from fluxzoo.kinds import KINDS
from fluxzoo.site.patterns import Use, entry_uses

IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})
_TODO = "TODO(fluxzoo)"
_DOCS_IMAGE = re.compile(r"""(?:\./)?(docs/[^\s)"'<>]+)""")


@dataclass
class SiteEntry:
    """One card and one page."""

    path: str
    """The entry folder relative to the zoo, with `/`: also its identity in the site."""
    folder: Path
    legacy: bool
    title: str
    description: str
    category: str
    slug: str
    kind: str = ""
    kind_label: str = ""
    kind_guessed: bool = False
    """A legacy entry's kind is the one `fluxzoo adopt` would give it, not a fact of its own."""
    tags: tuple[str, ...] = ()
    difficulty: str = ""
    hardware: str = ""
    gpu_backend: str = ""
    runtime: str = ""
    authors: tuple[str, ...] = ()
    created: str = ""
    updated: str = ""
    julia: str = ""
    flux: str = ""
    dataset: dict[str, str] = field(default_factory=dict)
    references: tuple[str, ...] = ()
    downloads: tuple[str, ...] = ()
    """Files offered for download, relative to the entry folder."""
    figures: tuple[str, ...] = ()
    """Images in `docs/`, relative to the entry folder."""
    cover: str | None = None
    readme: str | None = None
    uses: dict[str, Use] = field(default_factory=dict)
    problem: str = ""
    """Why the metadata could not be read, for an entry whose tutorial.toml is broken."""


def text(value: object) -> str:
    """A metadata value as one line of text; unfilled placeholders as ''."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    out = " ".join(str(value).split())
    return "" if out.startswith(_TODO) else out


def texts(value: object) -> tuple[str, ...]:
    items = value if isinstance(value, list) else [value] if value else []
    return tuple(t for t in (text(v) for v in items) if t)


def _table(meta: dict[str, Any], key: str) -> dict[str, Any]:
    value = meta.get(key)
    return value if isinstance(value, dict) else {}


def _figures(ctx: EntryContext) -> tuple[str, ...]:
    return tuple(
        f for f in ctx.files if f.startswith("docs/") and Path(f).suffix.lower() in IMAGE_SUFFIXES
    )


def _cover(figures: tuple[str, ...], readme: str | None) -> str | None:
    """`docs/cover.*` if there is one, else the first docs figure the README shows, else the
    first docs figure by name."""
    if not figures:
        return None
    for f in figures:
        if Path(f).stem.lower() == "cover":
            return f
    shown = set(figures)
    for m in _DOCS_IMAGE.finditer(readme or ""):
        if m.group(1) in shown:
            return m.group(1)
    return figures[0]


def _downloads(ctx: EntryContext) -> tuple[str, ...]:
    if not ctx.legacy:
        wanted = (ctx.script, ctx.notebook_file, entries.PROJECT)
        return tuple(f for f in wanted if ctx.exists(f))
    return tuple(
        f
        for f in ctx.files
        if "/" not in f and (f.endswith((".jl", ".ipynb")) or f == entries.PROJECT)
    )


def _guessed_kind(ctx: EntryContext, slug: str, category: str) -> str:
    """The kind `fluxzoo adopt` would write for this legacy folder, from the same code: its
    Julia files beside the README, in name order."""
    from fluxzoo.adopt.guess import guess_kind

    sources = (ctx.text(f) for f in sorted(ctx.source_files))
    return guess_kind(slug, category, "\n".join(t for t in sources if t is not None))


def read_entry(zoo: Path, folder: Path) -> SiteEntry:
    ctx = EntryContext(folder)
    rel = folder.resolve().relative_to(zoo.resolve()).as_posix()
    readme = ctx.text(entries.README)
    figures = _figures(ctx)
    common = {
        "path": rel,
        "folder": folder,
        "legacy": ctx.legacy,
        "slug": ctx.slug,
        "readme": readme,
        "figures": figures,
        "cover": _cover(figures, readme),
        "downloads": _downloads(ctx),
        "uses": entry_uses(ctx),
    }
    meta = ctx.meta
    if meta is None:
        from fluxzoo.adopt.readme import parse_readme

        about = parse_readme(readme or "")
        category = rel.split("/")[0]
        kind = _guessed_kind(ctx, folder.name, category) if ctx.legacy else ""
        return SiteEntry(
            title=about.title or folder.name,
            description=about.description,
            category=category,
            kind=kind,
            kind_label=KINDS[kind].label if kind else "",
            kind_guessed=bool(kind),
            references=tuple(about.references),
            problem="" if ctx.legacy else "its tutorial.toml could not be read",
            **common,  # type: ignore[arg-type]
        )
    shown = headline.published(meta, ctx.text(ctx.script))
    kind = text(meta.get("kind"))
    tested = _table(meta, "tested")
    dataset = {k: text(v) for k, v in _table(meta, "dataset").items() if text(v)}
    return SiteEntry(
        title=text(shown["title"]) or folder.name,
        description=text(shown["description"]),
        category=text(meta.get("category")) or rel.split("/")[0],
        kind=kind,
        kind_label=KINDS[kind].label if kind in KINDS else kind,
        tags=texts(meta.get("tags")),
        difficulty=text(meta.get("difficulty")),
        hardware=text(meta.get("hardware")),
        gpu_backend=text(meta.get("gpu_backend")),
        runtime=text(meta.get("expected_runtime")),
        authors=texts(meta.get("authors")),
        created=text(meta.get("created")),
        updated=text(meta.get("updated")),
        julia=text(tested.get("julia")),
        flux=text(tested.get("flux")),
        dataset=dataset,
        references=texts(meta.get("references")),
        **common,  # type: ignore[arg-type]
    )


def _order(entry: SiteEntry) -> tuple[int, str, str, str]:
    ranks = {c: i for i, c in enumerate(entries.CATEGORIES)}
    return (
        ranks.get(entry.category, len(ranks)),
        entry.category,
        entry.title.casefold(),
        entry.path,
    )


def in_gallery_order(site_entries: Iterable[SiteEntry]) -> list[SiteEntry]:
    """By category in the zoo's order, then by title."""
    return sorted(site_entries, key=_order)
