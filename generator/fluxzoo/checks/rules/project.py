"""FZ2xx: the entry's Julia environment: Project.toml, its UUIDs and bounds, and the Manifest."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import TEST_PROJECT, EntryContext
from fluxzoo.checks.registry import Applies, Edits, FixKind, Severity, fixer, rule
from fluxzoo.entries import MANIFEST, PROJECT
from fluxzoo.errors import FluxzooError

UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
PACKAGE_TABLES = ("deps", "extras")
FILEIO_BACKENDS = frozenset(
    {"ImageIO", "ImageMagick", "QuartzImageIO", "PNGFiles", "TiffImages", "Netpbm", "JpegTurbo"}
)
"""Loaded by FileIO on `load`/`save`, never by `using`; they only need to be in the environment."""


def _projects(entry: EntryContext) -> list[str]:
    return [rel for rel in (PROJECT, TEST_PROJECT) if entry.exists(rel)]


def _table(project: Mapping[str, Any] | None, name: str) -> dict[str, Any]:
    value = (project or {}).get(name)
    return dict(value) if isinstance(value, Mapping) else {}


def _packages(entry: EntryContext, rel: str) -> Iterator[tuple[str, str, str]]:
    """(table, name, uuid) for every well-formed package line of a project file."""
    project = entry.toml(rel)
    for table in PACKAGE_TABLES:
        for name, uuid in _table(project, table).items():
            if isinstance(uuid, str) and UUID_RE.fullmatch(uuid):
                yield table, name, uuid


def _at(entry: EntryContext, rel: str, table: str, key: str, message: str) -> Finding:
    line = entry.key_line(rel, table, key) or entry.table_line(rel, table)
    return Finding(rel, message, line, 1 if line else None)


@rule(
    code="FZ201",
    name="invalid-project",
    severity=Severity.ERROR,
    summary="Project.toml does not parse, or its tables are not what Pkg reads",
    applies=Applies.ALL,
)
def invalid_project(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Parses `Project.toml` (and `test/Project.toml`, if there is one) and checks the shape Pkg
    expects: `[deps]` and `[extras]` map package names to UUIDs, `[compat]` maps names to
    version specifiers given as strings, `[targets]` maps target names to lists of names.

    ## Why is this bad?
    Julia refuses to instantiate an environment whose project file it cannot read, so the
    tutorial does not run at all.

    ## Example
    `Flux = "587475ba"` (a truncated UUID): use the full UUID, as `] add Flux` writes it.
    """
    for rel in _projects(entry):
        project = entry.toml(rel)
        if rel in entry.unparsable:
            yield entry.unparsable[rel]
        if project is None:
            continue
        for table in ("deps", "extras", "compat", "targets"):
            if table in project and not isinstance(project[table], Mapping):
                yield _at(entry, rel, "", table, f"{table} must be a table ([{table}])")
        for table in PACKAGE_TABLES:
            for name, uuid in _table(project, table).items():
                if not (isinstance(uuid, str) and UUID_RE.fullmatch(uuid)):
                    yield _at(
                        entry,
                        rel,
                        table,
                        name,
                        f"[{table}] {name} = {uuid!r} is not a UUID; "
                        f"use the one `] add {name}` writes",
                    )
        for name, spec in _table(project, "compat").items():
            if not isinstance(spec, str) or not spec.strip():
                yield _at(
                    entry,
                    rel,
                    "compat",
                    name,
                    f'[compat] {name} must be a version specifier in a string, e.g. {name} = "1"',
                )
        for target, names in _table(project, "targets").items():
            if not (isinstance(names, list) and all(isinstance(n, str) for n in names)):
                yield _at(
                    entry,
                    rel,
                    "targets",
                    target,
                    f"[targets] {target} must be a list of package names",
                )


@rule(
    code="FZ202",
    name="wrong-uuid",
    severity=Severity.ERROR,
    summary="a package's UUID differs from the one in the General registry",
    applies=Applies.ALL,
)
def wrong_uuid(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Compares the UUID of each package in `[deps]` and `[extras]` with the one the General
    registry (or Julia, for standard libraries) gives that name.

    ## Why is this bad?
    Pkg identifies packages by UUID; a wrong one makes `Pkg.instantiate()` fail or, worse,
    resolve a different package with the same name.

    ## Example
    `Flux = "00000000-0000-0000-0000-000000000000"`: Flux is `587475ba-b771-5e3f-ad9e-33799f191a9c`.
    """
    from fluxzoo import registry

    for rel in _projects(entry):
        for table, name, uuid in _packages(entry, rel):
            expected = registry.uuid(name)
            if expected is not None and expected.lower() != uuid.lower():
                yield _at(
                    entry,
                    rel,
                    table,
                    name,
                    f"[{table}] {name} has UUID {uuid}, but {name} is {expected}; "
                    f'write {name} = "{expected}"',
                )


@rule(
    code="FZ203",
    name="unknown-package",
    severity=Severity.WARNING,
    summary="a package is not in fluxzoo's copy of the General registry",
    applies=Applies.ALL,
)
def unknown_package(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports packages in `[deps]` and `[extras]` whose name is neither in fluxzoo's copy of the
    General registry nor a standard library.

    ## Why is this bad?
    Readers can only install registered packages. The name may be misspelt (names are
    case-sensitive), unregistered, or newer than fluxzoo's table, hence a warning.

    ## Example
    `flux = "587475ba-b771-5e3f-ad9e-33799f191a9c"`: the package is called `Flux`.
    """
    from fluxzoo import registry

    for rel in _projects(entry):
        for table, name, _ in _packages(entry, rel):
            if not registry.known(name):
                yield _at(
                    entry,
                    rel,
                    table,
                    name,
                    f"[{table}] {name} is not a registered package or standard library; "
                    "check the spelling",
                )


@rule(
    code="FZ204",
    name="missing-compat",
    severity=Severity.ERROR,
    summary="julia or a package has no [compat] bound",
    applies=Applies.ALL,
    fix=FixKind.SAFE,
)
def missing_compat(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that `Project.toml` has a `[compat]` entry for `julia` and for every package in
    `[deps]` and `[extras]`. Standard libraries are exempt: they ship with Julia, whose own
    bound covers them.

    ## Why is this bad?
    Without bounds, a reader installs whatever is newest, and the tutorial breaks on the next
    breaking release of Flux or any other dependency (the zoo's rot, model-zoo #371).

    ## Example
    `[deps] Flux = "587475ba-..."` with no `[compat] Flux = "0.16"`.

    ## Fix (safe)
    Adds the missing bounds to `[compat]`, keeping the file's comments and order: each package
    gets the bound of fluxzoo's compat policy (`registry.compat_bound`, from the registry
    table), weighed against the entry's other packages and the bounds it already has; julia
    the Julia version the metadata says the entry is tested with (else the template's). A
    package the table does not know, or whose newest series works with none of the entry's
    bounds (a legacy entry held at an old Flux), keeps its finding: a person picks the bound.
    """
    from fluxzoo import registry

    project = entry.project
    if project is None:
        return
    compat = _table(project, "compat")
    if "julia" not in compat:
        yield _at(
            entry, PROJECT, "compat", "julia", 'no [compat] bound for julia; add julia = "1.10"'
        )
    for table in PACKAGE_TABLES:
        for name in _table(project, table):
            if name not in compat and not registry.is_stdlib(name):
                yield _at(
                    entry,
                    PROJECT,
                    table,
                    name,
                    f"no [compat] bound for {name}; add one, e.g. `] compat {name}`",
                )


def compat_policy(entry: EntryContext, name: str, also: Iterable[str] = ()) -> str | None:
    """The bound fluxzoo's one compat policy gives `name` in `entry`, or None when none works.

    The policy weighs the entry's other packages (`[deps]`, `[extras]` and `also`, those about
    to be added) and the bounds it already has, so the new bound works with them.
    """
    from fluxzoo import registry

    project = entry.project or {}
    deps = [n for table in PACKAGE_TABLES for n in _table(project, table)] + list(also)
    bounds = {k: v for k, v in _table(project, "compat").items() if isinstance(v, str)}
    try:
        return registry.compat_bound(name, deps=deps, bounds=bounds)
    except FluxzooError:
        return None


def _julia_bound(entry: EntryContext) -> str:
    from fluxzoo import answers

    tested = (entry.meta or {}).get("tested")
    version = tested.get("julia") if isinstance(tested, Mapping) else None
    try:
        return str(answers.validate("julia_version", version))
    except FluxzooError:
        return str(answers.template_config()["julia_version"])


@fixer("FZ204")
def add_missing_compat(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo import registry, tomledit

    text, project = entry.text(PROJECT), entry.project
    if text is None or project is None:
        return {}
    compat = _table(project, "compat")
    bounds = {} if "julia" in compat else {"julia": _julia_bound(entry)}
    for table in PACKAGE_TABLES:
        for name in sorted(_table(project, table)):
            if name in compat or registry.is_stdlib(name):
                continue
            bound = compat_policy(entry, name)
            if bound is not None:
                bounds[name] = bound
    return {PROJECT: tomledit.set_keys(text, "compat", bounds)} if bounds else {}


@rule(
    code="FZ205",
    name="undeclared-import",
    severity=Severity.ERROR,
    summary="a script or test loads a package the environment does not declare",
    applies=Applies.ALL,
    fix=FixKind.SAFE,
)
def undeclared_import(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks every `using` and `import` in the entry's Julia files: the script may load packages
    in `[deps]`; the tests may also load test-only packages (`[extras]` listed in
    `[targets] test`, or `test/Project.toml`). Standard libraries, `Base`, `Core` and relative
    modules (`using .Local`) are always allowed.

    ## Why is this bad?
    In a fresh environment, `using Plots` fails when Plots is not declared; it only works on the
    author's machine because Plots happens to be in their global environment.

    ## Example
    `using CUDA` in the script with no `CUDA` in `[deps]`: `] add CUDA`, or load it only in a
    `gpu` code path the reader opts into.

    ## Fix (safe)
    Adds each undeclared registered package to `[deps]` with its UUID from the General
    registry and to `[compat]` with the compat policy's bound (test-only packages too: an
    entry's tests run with `julia --project=.`, which loads `[deps]`). A name the registry does
    not know (a module the code defines itself, a typo) keeps its finding.
    """
    for rel, name, position in _undeclared(entry):
        where = (
            "[extras] and [targets] test (or to [deps] if the script needs it too)"
            if rel.startswith("test/")
            else f"[deps] (`] add {name}`)"
        )
        line, col = position
        yield Finding(
            rel, f"loads {name}, which Project.toml does not declare; add it to {where}", line, col
        )


def _undeclared(entry: EntryContext) -> Iterator[tuple[str, str, tuple[int, int]]]:
    """(file, package, position) of each `using`/`import` the environment does not declare."""
    from fluxzoo import registry

    project = entry.project
    if project is None:
        return
    deps = set(_table(project, "deps"))
    targets = _table(project, "targets").get("test")
    extras = set(_table(project, "extras")) & set(targets if isinstance(targets, list) else ())
    test_deps = deps | extras | set(_table(entry.toml(TEST_PROJECT), "deps"))
    for rel, names in entry.imports.items():
        allowed = test_deps if rel.startswith("test/") else deps
        for name, position in names.items():
            if name not in allowed and not registry.is_stdlib(name):
                yield rel, name, position


@fixer("FZ205")
def add_undeclared(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo import registry, tomledit

    text = entry.text(PROJECT)
    if text is None or entry.project is None:
        return {}
    deps, bounds = {}, {}
    added = sorted({name for _, name, _ in _undeclared(entry)})
    for name in added:
        uuid, bound = registry.uuid(name), compat_policy(entry, name, added)
        if uuid is not None and bound is not None and not registry.is_stdlib(name):
            deps[name], bounds[name] = uuid, bound
    if not deps:
        return {}
    text = tomledit.set_keys(text, "deps", deps)
    return {PROJECT: tomledit.set_keys(text, "compat", bounds)}


@rule(
    code="FZ206",
    name="unused-dependency",
    severity=Severity.WARNING,
    summary="a package in [deps] is loaded by no script or test",
    applies=Applies.ALL,
    fix=FixKind.SAFE,
)
def unused_dependency(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports packages in `[deps]` that no `using` or `import` in the entry's Julia files loads.
    Image backends that FileIO loads by itself (ImageIO, ImageMagick, ...) are not reported.

    ## Why is this bad?
    Every dependency costs the reader download and precompile time and constrains the resolver;
    one that is never loaded is usually left over from an earlier version of the script.

    ## Example
    `[deps] Plots = "..."` while the script no longer plots: `] rm Plots`.

    ## Fix (safe)
    Removes the package from `[deps]`, `[compat]` and `[targets]`, as `] rm` does. A package
    whose name still appears in any Julia file of the entry (a subfolder's script, a qualified
    `Name.f` call) is left for a person to decide.
    """
    project = entry.project
    if project is None:
        return
    used = {name for names in entry.imports.values() for name in names}
    for name in _table(project, "deps"):
        if name not in used and name not in FILEIO_BACKENDS:
            yield _at(
                entry,
                PROJECT,
                "deps",
                name,
                f"{name} is in [deps] but nothing loads it; remove it (`] rm {name}`) or use it",
            )


def _named_anywhere(entry: EntryContext, name: str) -> bool:
    word = re.compile(rf"(?<![\w.]){re.escape(name)}\b")
    return any(word.search(entry.text(rel) or "") for rel in entry.all_files if rel.endswith(".jl"))


@fixer("FZ206")
def remove_unused(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo import tomledit

    text, project = entry.text(PROJECT), entry.project
    if text is None or project is None:
        return {}
    used = {name for names in entry.imports.values() for name in names}
    unused = [
        name
        for name in _table(project, "deps")
        if name not in used and name not in FILEIO_BACKENDS and not _named_anywhere(entry, name)
    ]
    if not unused:
        return {}
    for table in ("deps", "compat"):
        text = tomledit.remove_keys(text, table, unused)
    return {PROJECT: tomledit.remove_from_lists(text, "targets", unused)}


@rule(
    code="FZ207",
    name="manifest-without-julia-version",
    severity=Severity.ERROR,
    summary="Manifest.toml does not record the Julia version that resolved it",
    applies=Applies.ALL,
)
def manifest_without_julia_version(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    When the entry has a `Manifest.toml`, checks that it parses and records `julia_version`
    (Julia 1.7 and newer write it).

    ## Why is this bad?
    A manifest pins exact versions that were resolved for one Julia release; without the
    version, readers cannot tell which Julia reproduces it, and manifests from Julia 1.6 or
    older do not load in current Julia at all.

    ## Example
    A manifest starting with `[[Flux]]` and no `julia_version = "1.10.4"` line: delete it, or
    regenerate it with `] resolve` on a current Julia.
    """
    if not entry.exists(MANIFEST):
        return
    manifest = entry.toml(MANIFEST)
    if MANIFEST in entry.unparsable:
        yield entry.unparsable[MANIFEST]
    elif manifest is not None and not isinstance(manifest.get("julia_version"), str):
        yield Finding(
            MANIFEST,
            "does not record julia_version (it predates Julia 1.7); regenerate it with `] resolve` "
            "on a current Julia, or delete it",
        )
