"""The files adoption adds or extends: Project.toml with Test, test/runtests.jl, .gitignore."""

from __future__ import annotations

import re
from typing import Any

from fluxzoo.adopt.changes import Plan
from fluxzoo.adopt.read import read_text
from fluxzoo.entries import GITIGNORE

_TRAIN_FUNCTION = re.compile(r"^\s*function\s+train\s*\(|^\s*train\s*\([^)]*\)\s*=", re.MULTILINE)
_GUARD = re.compile(r"abspath\(\s*PROGRAM_FILE\s*\)\s*==\s*@__FILE__")


def project_with_test(
    project: dict[str, Any], imported: set[str], plan: Plan
) -> dict[str, Any] | None:
    """Project.toml with Test as a test-only dependency (or a new one); None when unchanged."""
    from fluxzoo import registry

    test_uuid = registry.uuid("Test")
    if not project:
        deps = {name: registry.uuid(name) for name in sorted(imported) if registry.uuid(name)}
        unknown = sorted(name for name in imported if not registry.uuid(name))
        project = {"deps": deps, "compat": {}}
        plan.notes.append(
            "Project.toml was missing: [deps] made from the packages the code loads"
            + (f" (not found in the registry: {', '.join(unknown)})" if unknown else "")
        )
    deps = project.get("deps", {})
    extras = dict(project.get("extras", {}))
    targets = dict(project.get("targets", {}))
    test_target = list(targets.get("test", []))
    compat = dict(project.get("compat", {}))
    if "Test" in deps or ("Test" in extras and "Test" in test_target and "Test" in compat):
        return None
    extras["Test"] = test_uuid
    if "Test" not in test_target:
        test_target.append("Test")
    compat.setdefault("Test", "1")
    updated = {k: v for k, v in project.items() if k not in ("compat", "extras", "targets")}
    updated["compat"] = dict(sorted(compat.items()))
    updated["extras"] = extras
    updated["targets"] = {**targets, "test": test_target}
    return updated


_TEST_GUARDED = """\
# Smoke test written by `fluxzoo adopt`: the script is included inside a module, where its
# `PROGRAM_FILE` guard keeps it from training.
# TODO(fluxzoo): train for a few steps on a tiny subset and check the output shapes, a finite
# loss and that it decreases, as the tests of entries made by `fluxzoo new` do.
# Run it with `julia --project=. test/runtests.jl` from the entry's folder.

using Test

module Tutorial
include(joinpath(@__DIR__, "..", "{slug}.jl"))
end

@testset "{slug}" begin
    @test Tutorial isa Module{train}
end
"""

_TEST_UNGUARDED = """\
# Smoke test written by `fluxzoo adopt`. The script trains as soon as it is included, so this
# test can only check that it parses.
# TODO(fluxzoo): put the training behind `if abspath(PROGRAM_FILE) == @__FILE__`, then include
# the script here and train for a few steps on a tiny subset, checking the output shapes, a
# finite loss and that it decreases.
# Run it with `julia --project=. test/runtests.jl` from the entry's folder.

using Test

@testset "{slug}" begin
    source = joinpath(@__DIR__, "..", "{slug}.jl")
    parsed = Meta.parseall(read(source, String); filename = source)
    @test !any(ex -> Meta.isexpr(ex, (:error, :incomplete)), parsed.args)
end
"""


def runtests(slug: str, script: str) -> str:
    """test/runtests.jl for an adopted script (the slug needs no escaping in a Julia string)."""
    if not _GUARD.search(script):
        return _TEST_UNGUARDED.format(slug=slug)
    train = "\n    @test isdefined(Tutorial, :train)" if _TRAIN_FUNCTION.search(script) else ""
    return _TEST_GUARDED.format(slug=slug, train=train)


def _standard_gitignore() -> list[str]:
    from fluxzoo import _paths

    path = _paths.template_dir() / _paths.ENTRY_FOLDER / GITIGNORE
    return read_text(path, path.parent).splitlines()


def gitignore(existing: str | None, files: list[str]) -> tuple[str | None, list[str]]:
    """The .gitignore with the standard's patterns added, and the patterns left out.

    A pattern that matches a committed file is left out (and reported): adding it would hide
    that file from git and from `fluxzoo check`.
    """
    import pathspec

    have = {line.strip() for line in (existing or "").splitlines()}
    groups: list[tuple[str, list[str]]] = []
    for line in _standard_gitignore():
        if line.startswith("#") or not groups:
            groups.append((line if line.startswith("#") else "", []))
        if line.strip() and not line.startswith("#"):
            groups[-1][1].append(line.strip())
    added: list[str] = []
    skipped: list[str] = []
    for comment, patterns in groups:
        new = [p for p in patterns if p not in have]
        hiding = [
            p
            for p in new
            if any(pathspec.GitIgnoreSpec.from_lines([p]).match_file(f) for f in files)
        ]
        skipped += hiding
        kept = [p for p in new if p not in hiding]
        if kept:
            added += ([comment] if comment else []) + kept
    if not added:
        return None, skipped
    prefix = existing.rstrip("\n") + "\n\n" if existing and existing.strip() else ""
    return prefix + "\n".join(added) + "\n", skipped
