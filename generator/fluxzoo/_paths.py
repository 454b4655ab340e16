"""Where the template and hooks live: the one place that knows the on-disk layout."""

from __future__ import annotations

import os
from pathlib import Path

_CHECKOUT = Path(__file__).resolve().parents[2]


def repo_root() -> Path:
    """The checkout holding `template/` and `hooks/` (fluxzoo installs from its checkout)."""
    override = os.environ.get("FLUXZOO_TEMPLATE_ROOT")
    return Path(override) if override else _CHECKOUT


def template_dir() -> Path:
    return repo_root() / "template"


def hooks_dir() -> Path:
    return repo_root() / "hooks"


def data_dir() -> Path:
    return Path(__file__).resolve().parent / "data"
