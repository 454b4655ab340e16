"""`Project.toml` for a new entry: real registry UUIDs and a `[compat]` bound for everything.

An entry is a Julia project, not a package: it has no name, uuid or version, only the packages
its script loads (`[deps]`), the versions it is known to work with (`[compat]`, including
julia and Flux from the answers) and the packages only its tests load (`[extras]` and
`[targets]`), laid out as Pkg writes them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import tomli_w

from fluxzoo import registry
from fluxzoo.errors import FluxzooError
from fluxzoo.kinds import KINDS

FILENAME = "Project.toml"


def _uuid(name: str) -> str:
    found = registry.uuid(name)
    if found is None:
        raise FluxzooError(
            f"unknown Julia package {name!r}: no UUID in fluxzoo's copy of the General registry"
        )
    return found


def _compat(name: str, answers: dict[str, Any]) -> str:
    return answers["flux_version"] if name == "Flux" else registry.compat_bound(name)


def from_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The Project.toml document for the entry these answers describe."""
    kind = KINDS[answers["kind"]]
    deps = sorted(set(kind.deps))
    extras = sorted(set(kind.test_deps) - set(deps))
    project: dict[str, Any] = {"deps": {name: _uuid(name) for name in deps}}
    compat = {name: _compat(name, answers) for name in sorted(deps + extras)}
    project["compat"] = compat | {"julia": answers["julia_version"]}
    if extras:
        project["extras"] = {name: _uuid(name) for name in extras}
        project["targets"] = {"test": extras}
    return project


def write(entry_dir: Path, answers: dict[str, Any]) -> None:
    text = tomli_w.dumps(from_answers(answers))
    (entry_dir / FILENAME).write_text(text, encoding="utf-8", newline="\n")
