"""`tutorial.toml`: an entry's metadata, and the answers and template version that made it.

Layout (every key is written; lists may be empty):

    title, slug, category, kind, description, tags, difficulty, authors,
    created, updated, hardware, gpu_backend (absent for cpu), expected_runtime, references,
    docs_flavor
    [tested]   julia = "1.10", flux = "0.16"       versions it was last tested with
    [dataset]  name, source, license               absent for kinds without data
    [fluxzoo]  template_version, answers = {...}   what `fluxzoo update` re-renders from
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import tomli_w

from fluxzoo.errors import FluxzooError

# `tomllib` is re-exported: every module reads TOML through `metadata.tomllib`.
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib  # noqa: F401

FILENAME = "tutorial.toml"


def author_entry(name: str, email: str) -> str:
    """`Name <email>`, as Julia's Project.toml writes authors."""
    return f"{name} <{email}>" if email else name


def from_answers(answers: dict[str, Any], template_version: str) -> dict[str, Any]:
    """The metadata document for a freshly rendered entry."""
    meta: dict[str, Any] = {
        "title": answers["title"],
        "slug": answers["slug"],
        "category": answers["category"],
        "kind": answers["kind"],
        "description": answers["description"],
        "tags": list(answers["tags"]),
        "difficulty": answers["difficulty"],
        "authors": [author_entry(answers["author_name"], answers["author_email"])],
        "created": answers["created"],
        "updated": answers["created"],
        "hardware": answers["hardware"],
    }
    if "gpu_backend" in answers:
        meta["gpu_backend"] = answers["gpu_backend"]
    meta |= {
        "expected_runtime": answers["expected_runtime"],
        "references": list(answers["references"]),
        "docs_flavor": answers["docs_flavor"],
        "tested": {"julia": answers["julia_version"], "flux": answers["flux_version"]},
    }
    if "dataset_name" in answers:
        meta["dataset"] = {
            "name": answers["dataset_name"],
            "source": answers["dataset_source"],
            "license": answers["dataset_license"],
        }
    meta["fluxzoo"] = {"template_version": template_version, "answers": dict(answers)}
    return meta


def dumps(meta: dict[str, Any]) -> str:
    return tomli_w.dumps(meta)


def write(entry_dir: Path, meta: dict[str, Any]) -> None:
    (entry_dir / FILENAME).write_text(dumps(meta), encoding="utf-8", newline="\n")


def read(entry_dir: Path) -> dict[str, Any]:
    """The metadata of an entry; a missing or malformed file is a user error naming it."""
    from fluxzoo import reading

    path = entry_dir / FILENAME
    if not path.exists() and not path.is_symlink():
        raise FluxzooError(
            "no tutorial.toml: not a fluxzoo entry (run 'fluxzoo adopt' on it)", path=path
        )
    return reading.parse_toml(reading.read_text(path, within=entry_dir), path)
