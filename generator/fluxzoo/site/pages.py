"""The site's HTML pages, rendered with jinja2 from `templates/`.

Autoescaping is on for every template and metadata only ever reaches them as values, never as
template text, so a title such as `<script>`, `"onload=` or `{{ 7*7 }}` shows as typed. The
only markup passed through unescaped is the docs page, already sanitized by `markdown.render`.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluxzoo import __version__
from fluxzoo.index import CATEGORY_TITLES
from fluxzoo.site import layout
from fluxzoo.site.collect import SiteEntry
from fluxzoo.site.patterns import package

if TYPE_CHECKING:
    from jinja2 import BytecodeCache, Environment

_URL = re.compile(r"https?://[^\s<>\"'()\[\]]+[^\s<>\"'()\[\].,;:!?]")
FILTERS = (
    ("category", "Category"),
    ("kind", "Kind"),
    ("tag", "Tag"),
    ("difficulty", "Difficulty"),
    ("hardware", "Hardware"),
)
_DIFFICULTY_ORDER = {"beginner": 0, "intermediate": 1, "advanced": 2}
_DOWNLOAD_WHAT = {".jl": "Julia script", ".ipynb": "Jupyter notebook", ".toml": "environment"}


_OPTIONS = {
    "autoescape": True,
    "trim_blocks": True,
    "lstrip_blocks": True,
    "keep_trailing_newline": True,
}


def template_cache_dir() -> Path:
    """Where jinja2 keeps the compiled templates: `$XDG_CACHE_HOME/fluxzoo/site-templates`,
    else `~/.cache/fluxzoo/site-templates`."""
    base = os.environ.get("XDG_CACHE_HOME")
    return (Path(base) if base else Path("~/.cache").expanduser()) / "fluxzoo" / "site-templates"


def _bytecode_cache() -> BytecodeCache:
    """jinja2's own bytecode cache, so each template is compiled once (a tenth of a second per
    build saved), not on every run. jinja2 checks each record against the template's source and
    the Python version; the key adds fluxzoo's version and the environment's options, which
    change the compiled code too. A cache that cannot be read or written is a miss."""
    from jinja2 import FileSystemBytecodeCache

    class Cache(FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return super().get_cache_key(
                f"{__version__}\0{sorted(_OPTIONS.items())}\0{name}", filename
            )

        def load_bytecode(self, bucket: Any) -> None:
            try:
                super().load_bytecode(bucket)
            except Exception:  # a truncated or foreign record: compile afresh
                bucket.reset()

        def dump_bytecode(self, bucket: Any) -> None:
            try:
                Path(self.directory).mkdir(mode=0o700, parents=True, exist_ok=True)
                super().dump_bytecode(bucket)
            except OSError:
                pass

    return Cache(str(template_cache_dir()))


@cache
def _env() -> Environment:
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(
        loader=FileSystemLoader(str(Path(__file__).resolve().parent / "templates")),
        undefined=StrictUndefined,
        bytecode_cache=_bytecode_cache(),
        **_OPTIONS,
    )


@dataclass(frozen=True)
class Context:
    """What every page needs besides its own data."""

    base_url: str | None

    def common(self, page: str) -> dict[str, Any]:
        canonical = None
        if self.base_url:
            canonical = f"{self.base_url}/{layout.url_path(page)}"
        return {"root": layout.root_of(page), "canonical": canonical, "version": __version__}


def canonical_pages(pages: dict[str, str]) -> list[str]:
    return sorted(p for p in pages if p.endswith(".html"))


def category_title(category: str) -> str:
    return CATEGORY_TITLES.get(category, category)


def prepare() -> None:
    """Load every page template (see `markdown.prepare`)."""
    env = _env()
    for template in env.list_templates(extensions=["html"]):
        env.get_template(template)


def _render(template: str, page: str, ctx: Context, **values: Any) -> str:
    return str(_env().get_template(template).render(**ctx.common(page), **values))


def _options(values: set[str], labels: dict[str, str], key: str) -> list[tuple[str, str]]:
    ranked = sorted(values, key=lambda v: (_DIFFICULTY_ORDER.get(v, 9), v.casefold(), v))
    ordered = (
        ranked
        if key == "difficulty"
        else sorted(values, key=lambda v: (labels.get(v, v).casefold(), v))
    )
    return [(v, labels.get(v, v)) for v in ordered]


def gallery(entries: list[SiteEntry], covers: dict[str, str | None], ctx: Context) -> str:
    page = layout.GALLERY
    seen: dict[str, set[str]] = {k: set() for k, _ in FILTERS}
    labels: dict[str, dict[str, str]] = {k: {} for k, _ in FILTERS}
    cards = []
    for e in entries:
        for key, value in (
            ("category", e.category),
            ("kind", e.kind),
            ("difficulty", e.difficulty),
            ("hardware", e.hardware),
        ):
            if value:
                seen[key].add(value)
        seen["tag"].update(e.tags)
        labels["category"][e.category] = category_title(e.category)
        if e.kind:
            labels["kind"][e.kind] = e.kind_label
        words = [e.title, e.description, e.kind_label, e.category, e.path, *e.tags]
        cover = covers.get(e.path)
        cards.append(
            {
                "entry": e,
                "href": layout.href(page, layout.entry_page(e.path)),
                "cover": layout.href(page, cover) if cover else None,
                "category_title": category_title(e.category),
                "search": " ".join(words).casefold(),
            }
        )
    filters = [
        {"name": key, "label": label, "options": _options(seen[key], labels[key], key)}
        for key, label in FILTERS
        if seen[key]
    ]
    return _render("gallery.html", page, ctx, cards=cards, filters=filters)


def _reference(text: str) -> dict[str, str | None]:
    m = _URL.search(text)
    return {"text": text, "url": m.group(0) if m else None}


def entry(e: SiteEntry, doc: str | None, figures: list[str], ctx: Context) -> str:
    page = layout.entry_page(e.path)
    downloads = [
        {
            "name": d,
            "href": layout.href(page, layout.entry_file(e.path, d)),
            "what": _DOWNLOAD_WHAT.get(Path(d).suffix, ""),
        }
        for d in e.downloads
    ]
    uses = [{"name": n, "href": layout.href(page, layout.pattern_page(n))} for n in e.uses]
    figure_links = [{"name": Path(f).name, "href": layout.href(page, f)} for f in figures]
    return _render(
        "entry.html",
        page,
        ctx,
        e=e,
        doc=_markup(doc) if doc is not None else None,
        downloads=downloads,
        uses=uses,
        figures=figure_links,
        references=[_reference(r) for r in e.references],
        category_title=category_title(e.category),
    )


def _markup(html: str) -> Any:
    from markupsafe import Markup

    return Markup(html)


def patterns(entries: list[SiteEntry], ctx: Context) -> dict[str, str]:
    """The patterns index and one page per name."""
    users: dict[str, list[SiteEntry]] = defaultdict(list)
    for e in entries:
        for name in e.uses:
            users[name].append(e)
    pages: dict[str, str] = {}
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for name in sorted(users, key=lambda n: (n.casefold(), n)):
        target = layout.pattern_page(name)
        groups[package(name)].append(
            {"name": name, "href": layout.href(layout.PATTERNS, target), "count": len(users[name])}
        )
        rows = [
            {
                "title": e.title,
                "href": layout.href(target, layout.entry_page(e.path)),
                "where": f"{e.path}/{e.uses[name].file}, line {e.uses[name].line}",
            }
            for e in users[name]
        ]
        pages[target] = _render(
            "pattern.html", target, ctx, name=name, package=package(name), users=rows
        )
    ordered = sorted(groups.items(), key=lambda kv: (kv[0] != "Flux", kv[0].casefold()))
    pages[layout.PATTERNS] = _render("patterns.html", layout.PATTERNS, ctx, groups=ordered)
    return pages
