"""Links and images in an entry's docs page, pointed at what the site holds.

A README links to files by their path in the zoo (`docs/plot.png`, `../conv_mnist/`,
`/vision`). In the site those become: the entry's page (for an entry folder or its README),
a download beside a page, a copy of an image under `media/`, or the gallery (for a category
folder). A link to anything else in the zoo, or out of it, would be broken in the site, so it
loses its target and stays as text. Web addresses are kept; other schemes are dropped.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable, Iterable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from fluxzoo import entries
from fluxzoo.site import layout
from fluxzoo.site.collect import IMAGE_SUFFIXES, SiteEntry

WEB_SCHEMES = frozenset({"http", "https", "mailto"})

Resolver = Callable[[str], "str | None"]


def is_web(url: str) -> bool:
    return urlsplit(url.strip()).scheme.lower() in WEB_SCHEMES or url.strip().startswith("//")


class Links:
    """The site's map from zoo paths to site files, and the images it must copy."""

    def __init__(self, zoo: Path, site_entries: Iterable[SiteEntry]) -> None:
        self.zoo = zoo.resolve()
        self.pages: dict[str, str] = {}
        self.files: dict[str, str] = {}
        for e in site_entries:
            self.pages[e.path] = layout.entry_page(e.path)
            self.pages[f"{e.path}/{entries.README}"] = layout.entry_page(e.path)
            for d in e.downloads:
                self.files[f"{e.path}/{d}"] = layout.entry_file(e.path, d)
        self.media: dict[str, Path] = {}
        """Site path -> the zoo file to copy there, for the images found since `take_media`."""

    def take_media(self) -> dict[str, Path]:
        """The images to copy that were found since the last call (each rendering process
        keeps its own `Links`, so the builder gathers them per entry)."""
        media, self.media = self.media, {}
        return media

    def image(self, zoo_file: str) -> str | None:
        """The site path of a copy of the zoo's image file, or None if it is not one."""
        if Path(zoo_file).suffix.lower() not in IMAGE_SUFFIXES:
            return None
        source = self.zoo / zoo_file
        try:
            real = source.resolve(strict=True)
        except (OSError, RuntimeError):
            return None
        if not real.is_file() or not real.is_relative_to(self.zoo):
            return None
        target = layout.media(zoo_file)
        self.media[target] = real
        return target

    def _target(self, zoo_path: str) -> str | None:
        if zoo_path in self.files:
            return self.files[zoo_path]
        if zoo_path in self.pages:
            return self.pages[zoo_path]
        if zoo_path in ("", *entries.CATEGORIES):
            return layout.GALLERY
        return self.image(zoo_path)

    def resolver(self, entry: SiteEntry, page: str) -> Resolver:
        """Rewrites one URL written in `entry`'s README for use on the site file `page`."""

        def resolve(url: str) -> str | None:
            url = url.strip()
            if not url:
                return None
            if url.startswith("#"):
                return url
            parts = urlsplit(url)
            if parts.scheme or url.startswith("//"):
                return url if is_web(url) else None
            path = unquote(parts.path)
            base = "" if path.startswith("/") else entry.path
            joined = posixpath.normpath(posixpath.join(base, path.lstrip("/")))
            if joined == ".":
                joined = ""
            if joined.startswith("../") or joined == "..":
                return None
            target = self._target(joined.rstrip("/"))
            if target is None:
                return None
            fragment = f"#{parts.fragment}" if parts.fragment else ""
            return layout.href(page, target) + fragment

        return resolve
