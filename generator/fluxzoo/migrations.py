"""Bringing `tutorial.toml` written by an older template version up to the current schema.

As copier's migrations: each template version whose metadata differs from the one before it
registers one step, `@migration("1.1.0")`, a function that edits the parsed document in place
(tomlkit, so comments and key order stay) and returns notes for the person running
`fluxzoo update`. Migrating from version A runs, in order, every step after A up to the current
version; then `[fluxzoo] template_version` says the current version. A version with no change
to migrate registers a step that says so, so every released version is accounted for
(`tests/test_migrations.py` checks that against `template_history/`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import tomlkit

from fluxzoo.errors import FluxzooError

Step = Callable[[Any], list[str]]
"""Edits a tomlkit document of tutorial.toml in place; returns what a person should check."""

_VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")
STEPS: dict[tuple[int, int, int], Step] = {}


def parse(version: object) -> tuple[int, int, int]:
    """`"1.10.0"` as `(1, 10, 0)`, compared as numbers; a bad version is a user error."""
    m = _VERSION.match(version) if isinstance(version, str) else None
    if not m:
        raise FluxzooError(
            f"template_version {version!r} is not a version like 1.0.0; "
            "set [fluxzoo] template_version in tutorial.toml to the version that made the entry"
        )
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def migration(version: str) -> Callable[[Step], Step]:
    """Register the decorated function as the step that brings metadata up to `version`."""

    def register(step: Step) -> Step:
        key = parse(version)
        if key in STEPS:
            raise ValueError(f"template version {version} already has a migration")
        STEPS[key] = step
        return step

    return register


def migrate(text: str, since: str, to: str) -> tuple[str, list[str]]:
    """tutorial.toml `text` written by template `since`, migrated to `to`, and the notes."""
    start, end = parse(since), parse(to)
    if start > end:
        raise FluxzooError(
            f"made with template {since}, newer than this fluxzoo's {to}; "
            "update it with a newer fluxzoo (pip install -U fluxzoo)"
        )
    doc = tomlkit.parse(text)
    notes: list[str] = []
    for version in sorted(v for v in STEPS if start < v <= end):
        notes += STEPS[version](doc)
    fluxzoo = doc.get("fluxzoo")
    if not isinstance(fluxzoo, dict):
        doc["fluxzoo"] = fluxzoo = tomlkit.table()
    if fluxzoo.get("template_version") != to:
        fluxzoo["template_version"] = to
    return tomlkit.dumps(doc), notes


# The steps, oldest first -------------------------------------------------------------------

PLACEHOLDER_RUNTIME_1_0 = "about 5 minutes on a laptop CPU"
"""What template 1.0.0 wrote as the expected runtime of every kind, whatever it trained."""


@migration("1.1.0")
def runtime_of_the_kind(doc: Any) -> list[str]:
    """1.0.0 wrote one placeholder runtime for every kind, as if it were a figure; 1.1.0 writes
    a `TODO(fluxzoo)` marker carrying the kind's measured runtime.

    An entry still carrying the placeholder (the field, and the recorded answer of an entry
    made by `fluxzoo new`) gets that marker, as `fluxzoo new` writes it now, so `check`
    reports it until a person times a run. A runtime a person wrote is kept.
    """
    from fluxzoo.kinds import KINDS

    kind = KINDS.get(str(doc.get("kind", "")))
    if kind is None:
        return []
    changed = False
    recorded = doc.get("fluxzoo", {}).get("answers")
    for scope in (doc, recorded):
        if isinstance(scope, dict) and scope.get("expected_runtime") == PLACEHOLDER_RUNTIME_1_0:
            scope["expected_runtime"] = kind.runtime_marker
            changed = True
    if not changed:
        return []
    return [
        f"tutorial.toml: expected_runtime was template 1.0.0's placeholder; now a "
        f"TODO(fluxzoo) marker with the {doc['kind']} kind's {kind.expected_runtime!r}: "
        "check it against a real run"
    ]


@migration("1.2.0")
def about_block_only(doc: Any) -> list[str]:
    """1.2.0 writes the entry's facts into its script's "About this tutorial" block; what
    `tutorial.toml` holds is unchanged, so there is nothing to migrate."""
    return []
