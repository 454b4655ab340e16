"""`fluxzoo site`: read the zoo, render every page, write the site in one step."""

from __future__ import annotations

import argparse
import sys
from functools import partial
from pathlib import Path
from urllib.parse import urlsplit

from fluxzoo.errors import UsageError
from fluxzoo.site import collect, layout, markdown, output, pages
from fluxzoo.site.collect import SiteEntry
from fluxzoo.site.links import Links

_ASSETS = Path(__file__).resolve().parent / "assets"


def _base_url(value: str | None) -> str | None:
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.query or parts.fragment:
        raise UsageError(
            f"--base-url {value!r}: give the site's address, e.g. https://fluxml.ai/model-zoo/"
        )
    return value.rstrip("/")


def render_site(
    zoo: Path, folders: list[Path], *, base_url: str | None = None
) -> dict[str, str | bytes | Path]:
    """Every file of the site of the entries in `folders`: its path -> text, bytes, or a zoo
    file to copy. Entries are read, then their pages rendered, on every core (`workers`)."""
    from fluxzoo.workers import ordered_map

    with ordered_map(partial(collect.read_entry, zoo), folders) as read:
        # While the workers read: what rendering needs is then loaded once, in this process,
        # and the workers forked to render start with it.
        markdown.prepare()
        pages.prepare()
        site_entries = collect.in_gallery_order(read)
    links = Links(zoo, site_entries)
    ctx = pages.Context(base_url)
    files: dict[str, str | bytes | Path] = {}
    covers: dict[str, str | None] = {}
    with ordered_map(partial(_entry_files, links=links, ctx=ctx), site_entries) as rendered:
        for e, (entry_files, cover) in zip(site_entries, rendered, strict=True):
            files.update(entry_files)
            covers[e.path] = cover
    files[layout.GALLERY] = pages.gallery(site_entries, covers, ctx)
    files.update(pages.patterns(site_entries, ctx))
    for asset in sorted(_ASSETS.iterdir()):
        files[f"{layout.ASSETS}/{asset.name}"] = asset
    files[f"{layout.ASSETS}/code.css"] = markdown.code_css() + "\n"
    if base_url:
        files["sitemap.xml"] = _sitemap(base_url, files)
    files[layout.MARKER] = "Built by `fluxzoo site`; it replaces this folder when run again.\n"
    return files


def _entry_files(
    e: SiteEntry, links: Links, ctx: pages.Context
) -> tuple[dict[str, str | bytes | Path], str | None]:
    """An entry's page, downloads and images, and its cover's site path."""
    page = layout.entry_page(e.path)
    doc = markdown.render(e.readme, links.resolver(e, page)) if e.readme is not None else None
    figures = [f for f in (links.image(f"{e.path}/{f}") for f in e.figures) if f]
    cover = links.image(f"{e.path}/{e.cover}") if e.cover else None
    files: dict[str, str | bytes | Path] = {page: pages.entry(e, doc, figures, ctx)}
    for d in e.downloads:
        files[layout.entry_file(e.path, d)] = e.folder / d
    files.update(links.take_media())
    return files, cover


def _sitemap(base_url: str, files: dict[str, str | bytes | Path]) -> str:
    from xml.sax.saxutils import escape

    ctx = pages.Context(base_url)
    urls = [ctx.common(p)["canonical"] for p in sorted(files) if p.endswith(".html")]
    body = "".join(f"  <url><loc>{escape(u)}</loc></url>\n" for u in urls)
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
        f"{body}</urlset>\n"
    )


def run_site(args: argparse.Namespace) -> int:
    zoo: Path = args.zoo
    if not zoo.is_dir():
        raise UsageError(f"--zoo {zoo}: not a folder; pass the zoo checkout with --zoo DIR")
    base_url = _base_url(args.base_url)
    from fluxzoo import entries

    found = entries.find_entries([zoo], include_legacy=True)
    target = output.check_output(args.output, zoo, found)
    found = [f for f in found if not f.resolve().is_relative_to(target)]
    files = render_site(zoo, found, base_url=base_url)
    output.write(target, files)
    count = sum(1 for p in files if p.startswith("entries/") and p.endswith("/index.html"))
    print(
        f"wrote the site of {count} entries to {args.output} (open {args.output / layout.GALLERY})",
        file=sys.stderr,
    )
    return 0
