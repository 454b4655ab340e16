"""FZ50x: the entry's code against the Julia API of its Flux stack, release by release.

The names come from `julia_names` (one parse of each file, through the `EntryContext`), their
fate from the API table (`julia_api`, built from the packages' sources), the releases from the
entry's Manifest, `[compat]` or `tested` (`checks.stack`). Messages have one shape, which tools
(`fluxzoo adopt`'s worklist) rely on: "`<name as written>` <what happened>; <what to write>".
"""

from __future__ import annotations

from collections.abc import Iterator
from weakref import WeakKeyDictionary

from fluxzoo.checks.api_refs import Ref, Verdict, references, verdict
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Applies, Severity, rule
from fluxzoo.checks.stack import Stack

_VERDICTS: WeakKeyDictionary[EntryContext, list[tuple[str, Ref, Verdict]]] = WeakKeyDictionary()


def verdicts(entry: EntryContext) -> list[tuple[str, Ref, Verdict]]:
    """(file, reference, verdict) for every reference with news, computed once per entry."""
    if entry in _VERDICTS:
        return _VERDICTS[entry]
    found = []
    for rel in entry.julia_files:
        names = entry.names(rel)
        if names is None:
            continue
        seen: set[tuple[int, str]] = set()
        for ref in references(names):
            news = verdict(ref, entry.stack)
            if news is None or (ref.line, news.subject) in seen:
                continue
            seen.add((ref.line, news.subject))
            found.append((rel, ref, news))
    _VERDICTS[entry] = found
    return found


def _message(news: Verdict, stack: Stack) -> str:
    uses = stack.label(news.package)
    since = news.since or "an earlier release"
    if " " not in since:
        since = f"{news.package} {since}"
    kind = news.change if news.kind == "legacy" else news.kind
    if news.kind == "unknown":
        text = f"`{news.subject}` is not defined in any release of {news.module}"
    elif news.kind == "legacy" and not news.change:
        text = f"`{news.subject}` is a superseded package"
    elif kind == "removed":
        text = f"`{news.subject}` was removed in {since}"
    elif kind == "unexported":
        text = f"`{news.subject}` is no longer exported since {since}"
    else:
        text = f"`{news.subject}` is deprecated since {since}"
    if news.kind == "legacy" and news.change:
        text += f", newer than the {uses} this entry uses"
    elif news.kind in {"removed", "unexported", "deprecated"}:
        text += f" (this entry uses {uses})"
    return f"{text}; {news.advice}" if news.advice else text


def _findings(entry: EntryContext, *kinds: str) -> Iterator[Finding]:
    stack = entry.stack
    for rel, ref, news in verdicts(entry):
        if news.kind in kinds:
            yield Finding(rel, _message(news, stack), ref.line, ref.col)


@rule(
    code="FZ501",
    name="removed-api",
    severity=Severity.ERROR,
    summary="the code uses a name its Flux stack no longer has",
    applies=Applies.ALL,
)
def removed_api(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds names the code uses (`Flux.Data.DataLoader`, `@epochs`, `using Flux: flip`) that an
    earlier release of their package had and the release this entry uses no longer has. The
    release comes from `Manifest.toml` when there is one, else the newest release `[compat]`
    admits, else `tested.flux` in `tutorial.toml`. The message names the release that removed
    it and what to write instead.

    It sees qualified names (`Flux.x`, through `import Flux as F` too), names imported by name
    (`using Flux: x`), and names a `using Flux` once exported that the code does not define.
    It does not see names built by macros or `eval`, nor packages missing from the API table.

    ## Why is this bad?
    The script stops with an `UndefVarError` at that line the first time a reader runs it.
    This is how model-zoo entries rot as Flux moves on.

    ## Example
    `using Flux.Data: DataLoader` with Flux 0.16: `Flux.Data` went away in Flux 0.14; write
    `Flux.DataLoader` (MLUtils' `DataLoader`, re-exported by Flux).
    """
    return _findings(entry, "removed", "unexported")


@rule(
    code="FZ502",
    name="deprecated-api",
    severity=Severity.WARNING,
    summary="the code uses a name its Flux stack deprecates",
    applies=Applies.ALL,
)
def deprecated_api(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds names the code uses that the release of their package this entry uses deprecates as
    a whole (`ADAM`, `Flux.params`, `Flux.reset!`, `Flux.Optimise`), and says what replaces
    them: the package's own `@deprecate` or `Base.depwarn` text, or the current idiom.

    A deprecation of one method only (`Dense(in, out)` positional sizes, implicit `gradient(f,
    ::Params)`) is left to the rules about those forms. Names re-exported by Flux are followed
    to their origin (`Flux.ADAM` is Optimisers' deprecated `ADAM` in Flux 0.16).

    ## Why is this bad?
    Deprecated names print warnings, and the next breaking release removes them: the entry
    stops working then.

    ## Example
    `opt = ADAM(1e-3)` with Flux 0.16: write `Adam(1e-3)`.
    """
    return _findings(entry, "deprecated")


@rule(
    code="FZ503",
    name="outdated-api",
    severity=Severity.WARNING,
    summary="the code works with its pinned releases only: newer ones removed or deprecated it",
    applies=Applies.ALL,
)
def outdated_api(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds names that are fine in the releases this entry pins (its Manifest or `[compat]`)
    but that the newest release of their package in the API table removed or deprecated, and
    code loading a package the stack superseded (Tracker, Flux's AD before 0.10). This is the
    entry's modernisation worklist: what to change when it moves to the current Flux.

    An entry already on the newest releases gets FZ501/FZ502 instead, never this.

    ## Why is this bad?
    The entry cannot move to a current Flux, nor run beside code that does, until these are
    rewritten; a reader copying it into a new project gets errors at these lines.

    ## Example
    `ps = Flux.params(model)` in an entry whose Manifest has Flux 0.14: `Flux.params` is
    deprecated since Flux 0.15; take the gradient explicitly:
    `Flux.withgradient(m -> loss(m, x, y), model)`.
    """
    return _findings(entry, "legacy")


@rule(
    code="FZ504",
    name="unknown-qualified-name",
    severity=Severity.ERROR,
    summary="`Module.name` names something no release of the module has",
    applies=Applies.ALL,
)
def unknown_qualified_name(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds `Module.name` (and `using Module: name`) where no release of the module in the API
    table ever had `name`, and suggests the nearest name it has (`Flux.withgradeint`: did you
    mean `withgradient`?).

    Only modules whose whole source the table read are judged: for Base, Core and the
    standard libraries it knows only the exports, so `Base.x` is never reported.

    ## Why is this bad?
    It is a typo or a name from another package, and fails with an `UndefVarError` when run.

    ## Example
    `loss, grads = Flux.withgradeint(m -> loss(m, x, y), model)`.
    """
    return _findings(entry, "unknown")


# Names every module has without an import (each module defines its own `eval` and `include`),
# and the words inside macro and constructor bodies that are not variables.
_BUILTIN = frozenset(
    {
        "include",
        "eval",
        "ccall",
        "cglobal",
        "new",
        "Base",
        "Core",
        "Main",
        "__source__",
        "__module__",
        "@__dot__",
        "@.",
        "llvmcall",
        "@ccall",
    }
)


def _joined(rel: str, target: str) -> str:
    import posixpath

    return posixpath.normpath(posixpath.join(posixpath.dirname(rel), target))


def _scope_view(entry: EntryContext) -> tuple[set[str], list[str]] | None:
    """(names bound at top level or imported in any of the entry's files, modules loaded
    whole), or None when some file's names cannot all be known: `eval`, `@eval`,
    `@everywhere`, an `include` of a computed or missing file, or `using` of a module the
    API table does not describe (a relative one included)."""
    from fluxzoo import julia_api

    bound: set[str] = set()
    modules: list[str] = []
    for rel in entry.julia_files:
        names = entry.names(rel)
        parsed = entry.julia(rel)
        if names is None or names.opaque or parsed is None or parsed.tree.root_node.has_error:
            return None  # with a syntax error, scopes are tree-sitter's guesses
        if any(not entry.exists(_joined(rel, target)) for target, _ in names.includes):
            return None
        for item in names.imports:
            known = julia_api.is_module(item.module) or item.module.startswith(("Base", "Core"))
            if not known and item.kind == "using" and item.names is None:
                return None
        bound |= names.globals.names | names.imported | set(names.defined)
        modules.extend(names.whole_modules)
    return bound, modules


def _exported_ever(modules: list[str]) -> set[str]:
    from fluxzoo import julia_api

    found: set[str] = set()
    for module in (*modules, "Base", "Core"):
        found |= julia_api.ever_exports(module)
    return found


@rule(
    code="FZ505",
    name="undefined-name",
    severity=Severity.ERROR,
    summary="a name is used that nothing defines or loads",
    applies=Applies.ALL,
)
def undefined_name(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds unqualified names the code uses that nothing gives it: not bound in the scope where
    they are used (arguments, keyword arguments, `let`, `for`, comprehensions, `do` blocks,
    destructuring, struct and `@kwdef` fields, `where` parameters, `local`/`global`), not
    defined at top level in any of the entry's Julia files, not imported, not exported by
    Base, Core or a module the code loads with `using` (in any release the API table knows).
    It suggests the nearest name that is there (`reluu`: did you mean `relu`?).

    Precision comes first, so it says nothing about an entry where a name could come from
    somewhere it cannot read: `eval` or `@eval`, `@everywhere`, an `include` of a computed
    path or of a missing file, `using` of a package the API table does not describe (CUDA,
    Plots, a local `.Module`), or a syntax error (FZ301) anywhere in the entry, which leaves
    scopes to the parser's guesses. It does not see a use before the assignment in the same scope,
    and macros other than well-known ones count as defining the bare names given to them.

    ## Why is this bad?
    The script stops with an `UndefVarError` when it reaches that line; often it is a typo.

    ## Example
    `Dense(32 => 10, reluu)`.
    """
    from fluxzoo import julia_api

    view = _scope_view(entry)
    if view is None:
        return
    bound, modules = view
    exported = _exported_ever(modules)
    for rel in entry.julia_files:
        names = entry.names(rel)
        if names is None:
            continue
        for use in names.unqualified:
            name = use.name
            if name in bound or name in exported or name in _BUILTIN or names.binds(use):
                continue
            scope_names = set()
            scope = use.scope
            while scope is not None:
                scope_names |= scope.names
                scope = scope.parent
            nearest = julia_api.nearest_of(name, scope_names | bound | exported)
            hint = f"; did you mean `{nearest}`?" if nearest else ""
            yield Finding(rel, f"`{name}` is not defined{hint}", use.line, use.col)
