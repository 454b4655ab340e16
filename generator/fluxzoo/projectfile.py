"""`Project.toml` for a new entry: real registry UUIDs and a `[compat]` bound for everything.

An entry is a Julia project, not a package: it has no name, uuid or version, only the packages
its script and tests load (`[deps]`), the versions it is known to work with (`[compat]`,
including julia and Flux from the answers), and its test target (`[targets] test`).

`Pkg.test()` refuses a project without a name, so an entry's tests run as
`julia --project=. test/runtests.jl`. That loads only `[deps]` and the standard libraries, so a
test-only registered package (ChainRulesTestUtils, FiniteDifferences) goes in `[deps]`; only
test-only standard libraries (Test) stay in `[extras]`. `[targets] test` names all of them.
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


def _compat(name: str, answers: dict[str, Any], packages: list[str]) -> str:
    if name == "Flux":
        return answers["flux_version"]
    return registry.compat_bound(
        name,
        deps=packages,
        bounds={"Flux": answers["flux_version"]},
        julia=answers["julia_version"],
    )


def from_answers(answers: dict[str, Any]) -> dict[str, Any]:
    """The Project.toml document for the entry these answers describe."""
    kind = KINDS[answers["kind"]]
    test_only = set(kind.test_deps) - set(kind.deps)
    extras = sorted(name for name in test_only if registry.is_stdlib(name))
    deps = sorted(set(kind.deps) | (test_only - set(extras)))
    project: dict[str, Any] = {"deps": {name: _uuid(name) for name in deps}}
    packages = sorted(deps + extras)
    compat = {name: _compat(name, answers, packages) for name in packages}
    project["compat"] = compat | {"julia": answers["julia_version"]}
    if extras:
        project["extras"] = {name: _uuid(name) for name in extras}
    if test_only:
        project["targets"] = {"test": sorted(test_only)}
    return project


def write(entry_dir: Path, answers: dict[str, Any]) -> None:
    text = tomli_w.dumps(from_answers(answers))
    (entry_dir / FILENAME).write_text(text, encoding="utf-8", newline="\n")
