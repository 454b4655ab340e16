"""What the standard owns in an adopted entry, brought up to the current template.

An adopted entry (`fluxzoo adopt`) was not rendered from the template, so there is no base to
merge with: its code is its own. `fluxzoo update` still keeps what the standard owns current:
the metadata schema (`tutorial.toml`, through `fluxzoo.migrations`), the test scaffolding
(`Test` as a test-only dependency in Project.toml, and `test/runtests.jl` when there is none),
the standard `.gitignore` patterns (those that hide no committed file), and the derived files,
which `fluxzoo.update` derives again afterwards. The Julia code, an existing
`test/runtests.jl` included, is never changed.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fluxzoo import metadata
from fluxzoo.entries import GITIGNORE, PROJECT, RUNTESTS


def _read(entry: Path, rel: str) -> str | None:
    from fluxzoo.sync import read_source

    return read_source(entry / rel) if (entry / rel).is_file() else None


def _files(entry: Path) -> list[str]:
    from fluxzoo.adopt.read import files_in

    return files_in(entry)


def project_with_test(text: str) -> str | None:
    """Project.toml `text` with Test as a test-only dependency; None when it has it already."""
    from fluxzoo import registry, tomledit

    project = metadata.tomllib.loads(text)

    def table(name: str) -> Mapping[str, Any]:
        value = project.get(name)
        return value if isinstance(value, Mapping) else {}

    target = table("targets").get("test")
    target = list(target) if isinstance(target, list) else []
    if "Test" in table("deps") or ("Test" in table("extras") and "Test" in target):
        return None
    text = tomledit.set_keys(text, "extras", {"Test": registry.uuid("Test")})
    text = tomledit.set_keys(text, "targets", {"test": [*target, "Test"]}, replace=True)
    return tomledit.set_keys(text, "compat", {"Test": "1"})


def standard_files(
    entry: Path, meta_text: str, since: str, to: str
) -> tuple[dict[str, str], list[str]]:
    """The files of `entry` the standard owns that change (path -> text), and notes."""
    from fluxzoo import migrations
    from fluxzoo.adopt import additions

    files: dict[str, str] = {}
    migrated, notes = migrations.migrate(meta_text, since, to)
    if migrated != meta_text:
        files[metadata.FILENAME] = migrated
    slug = metadata.tomllib.loads(migrated).get("slug")
    project = _read(entry, PROJECT)
    if project is not None:
        with_test = project_with_test(project)
        if with_test is not None:
            files[PROJECT] = with_test
    script = _read(entry, f"{slug}.jl") if isinstance(slug, str) and slug else None
    if not (entry / RUNTESTS).exists() and script is not None:
        files[RUNTESTS] = additions.runtests(slug, script)
        notes.append(f"{RUNTESTS}: a smoke test was added; make it train a few steps")
    ignore, hidden = additions.gitignore(_read(entry, GITIGNORE), _files(entry))
    if ignore is not None:
        files[GITIGNORE] = ignore
    if hidden:
        notes.append(f"{GITIGNORE}: left out {', '.join(hidden)}, which would hide committed files")
    return files, notes
