"""Where the template and hooks live: the one place that knows the on-disk layout."""

from __future__ import annotations

import os
from pathlib import Path

_RESOURCES = Path(__file__).resolve().parent / "_resources"


def repo_root() -> Path:
    """The folder holding `template/` and `hooks/`, laid out as a cookiecutter repository.

    In a checkout, `_resources/` links to the checkout's own `template/` and `hooks/`; a built
    wheel carries copies of them, so an installed fluxzoo finds its template the same way.
    """
    override = os.environ.get("FLUXZOO_TEMPLATE_ROOT")
    return Path(override) if override else _RESOURCES


ENTRY_FOLDER = "{{entry_folder(cookiecutter)}}"
"""The template's folder for the entry; its name checks the answers (`jinja_filters`)."""


def template_dir() -> Path:
    return repo_root() / "template"


def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"


def checkout() -> Path | None:
    """fluxzoo's own source checkout when it runs from one (an editable install), else None.

    Entries do not belong there: `fluxzoo new` run inside it puts them beside it instead.
    """
    root = (_RESOURCES / "template").resolve().parent
    return root if (root / "generator" / "fluxzoo").is_dir() else None
