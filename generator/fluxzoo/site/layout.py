"""Where each thing goes in the built site, and how one page links to another.

Every link is relative, so the site works from `file://` and under any sub-path (GitHub Pages
serves a project at `/<repo>/`); `--base-url` only adds canonical addresses. Folder links name
`index.html`, because `file://` shows no folder index.

    index.html                      the gallery
    entries/<id>/index.html         one entry's page, beside its downloads
    patterns/index.html             every Flux-stack name the entries use
    patterns/<name>.html            the entries using one name
    media/<zoo path>                figures the pages show, at their path in the zoo
    assets/                         style sheet, script, icon

An entry's id is its path in the zoo with `.` for `/` (`vision.conv_mnist`): the site holds
copies of entries' Julia files, and a folder path such as `vision/conv_mnist/` inside a zoo
checkout would make them look like entries to `fluxzoo check` when the site is built there.
"""

from __future__ import annotations

import posixpath
import re
from urllib.parse import quote

GALLERY = "index.html"
PATTERNS = "patterns/index.html"
ASSETS = "assets"
MARKER = ".fluxzoo-site"
"""A file in the site's root: `fluxzoo site` replaces only folders that hold it (or empty ones)."""

_UNSAFE_NAME_CHAR = re.compile(r"[^A-Za-z0-9_.!@-]")


def entry_id(zoo_path: str) -> str:
    return zoo_path.replace("/", ".")


def entry_page(zoo_path: str) -> str:
    return f"entries/{entry_id(zoo_path)}/index.html"


def entry_file(zoo_path: str, name: str) -> str:
    """A download beside the entry's page (`name` may have folders: `test/runtests.jl`)."""
    return f"entries/{entry_id(zoo_path)}/{name}"


def media(zoo_file: str) -> str:
    return f"media/{zoo_file}"


def pattern_page(name: str) -> str:
    """`Flux.withgradient` -> patterns/Flux.withgradient.html; other characters as `_xHH_`."""
    safe = _UNSAFE_NAME_CHAR.sub(lambda m: "".join(f"_x{b:02x}_" for b in m.group().encode()), name)
    return f"patterns/{safe}.html"


def href(page: str, target: str) -> str:
    """The relative link from the site file `page` to the site file `target`, URL-quoted."""
    rel = posixpath.relpath(target, posixpath.dirname(page) or ".")
    return quote(rel, safe="/._-~!@")


def url_path(page: str) -> str:
    """The page's path as a server names it: `entries/x/` for `entries/x/index.html`."""
    folder = page.removesuffix("index.html") if page.rsplit("/", 1)[-1] == "index.html" else page
    return quote(folder, safe="/._-~!@")


def root_of(page: str) -> str:
    """The prefix leading from `page` back to the site root ('' or '../../')."""
    return "../" * page.count("/")
