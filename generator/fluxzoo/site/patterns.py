"""Which Flux-stack functions, types and macros each entry's code uses: the "patterns" pages.

A name counts when the code reaches it in a package of the stack: written qualified
(`Flux.withgradient`, `F.Losses.mse` after `import Flux as F`), brought in by name
(`using Flux: train!`), or exported by a package loaded whole (`using Flux` then `Dense`),
and not bound by the entry itself. Names are resolved by `julia_names` on the one parse the
shared `EntryContext` holds, and checked against the API table of `julia_api` (every release,
so an entry tested with an older Flux still finds the names it uses).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from fluxzoo import julia_api

if TYPE_CHECKING:
    from fluxzoo.checks.entry import EntryContext
    from fluxzoo.julia_names import FileNames

STACK = frozenset(
    {
        "Flux", "NNlib", "Zygote", "ZygoteRules", "Optimisers", "Functors", "MLUtils",
        "OneHotArrays", "MLDataDevices", "ChainRulesCore", "Metalhead", "MLDatasets", "Tracker",
    }
)  # fmt: skip
"""Packages of the Flux stack; Base, the standard libraries and unrelated packages are not."""


@dataclass(frozen=True, order=True)
class Use:
    """Where an entry first uses a name: file (relative to the entry) and line."""

    file: str
    line: int


def _in_stack(module: str) -> bool:
    return julia_api.package_of(module) in STACK


def _known(module: str, name: str) -> bool:
    return julia_api.info(module, name) is not None


def _exporter(modules: list[str], name: str) -> str | None:
    """The first module loaded whole (`using M`) that exports `name` in some release.

    Names Base exports (`reshape`, `randn`) are Base's even where an old Flux re-exported them.
    """
    if julia_api.ever_exported("Base", name) or julia_api.ever_exported("Core", name):
        return None
    for module in modules:
        if julia_api.ever_exported(module, name):
            return module
    return None


def file_uses(names: FileNames) -> dict[str, int]:
    """`Module.name` -> first line, for the Flux-stack names one Julia file uses."""
    found: dict[str, int] = {}

    def add(module: str, name: str, line: int) -> None:
        key = f"{module}.{name}"
        if line < found.get(key, line + 1):
            found[key] = line

    for q in names.qualified:
        if _in_stack(q.module) and _known(q.module, q.name):
            add(q.module, q.name, q.line)
    explicit = names.explicit()
    whole = [m for m in names.whole_modules if _in_stack(m)]
    for use in names.unqualified:
        if use.name in names.bound:
            continue
        module = explicit.get(use.name)
        if module is None:
            module = _exporter(whole, use.name)
        if module is not None and _in_stack(module) and _known(module, use.name):
            add(module, use.name, use.line)
    return found


def entry_uses(ctx: EntryContext) -> dict[str, Use]:
    """`Module.name` -> first use, over the entry's Julia code (its tests excluded)."""
    found: dict[str, Use] = {}
    for rel in ctx.source_files:
        names = ctx.names(rel)
        if names is None:
            continue
        for key, line in file_uses(names).items():
            use = Use(rel, line)
            if key not in found or use < found[key]:
                found[key] = use
    return dict(sorted(found.items()))


def package(name: str) -> str:
    """The package part of `Module.name` (`Flux.Losses.mse` -> `Flux`)."""
    return name.split(".", 1)[0]
