"""What an adoption will do: the plan of files to write and the changes to show a person."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

TODO = "TODO(fluxzoo):"
"""Marks what adoption cannot know; `fluxzoo check` reports each one until a person fills it."""


@dataclass
class Change:
    """One file the adoption writes, and what a person reading the summary should know."""

    action: str
    """created, rewrote, renamed, updated or removed"""
    path: str
    note: str = ""


@dataclass
class Plan:
    """Everything adopt will do to one entry, computed before anything is written."""

    entry: Path
    slug: str
    category: str
    main_script: str
    kind: str = ""
    """The tutorial kind guessed for it."""
    files: dict[str, str] = field(default_factory=dict)
    """Relative path -> new text."""
    removed: list[str] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    """What was guessed; shown so a person can check it."""
