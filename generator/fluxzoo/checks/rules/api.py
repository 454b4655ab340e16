"""FZ50x: the entry's code against the Julia API of its Flux stack, release by release.

The names come from `julia_names` (one parse of each file, through the `EntryContext`), their
fate from the API table (`julia_api`, built from the packages' sources), the releases from the
entry's Manifest, `[compat]` or `tested` (`checks.stack`). Messages have one shape, which tools
(`fluxzoo adopt`'s worklist) rely on: "`<name as written>` <what happened>; <what to write>".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from weakref import WeakKeyDictionary

from fluxzoo import julia_advice, julia_api
from fluxzoo.checks.api_refs import Ref, Siblings, Verdict, references, verdict
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Applies, Edits, FixKind, Severity, fixer, rule
from fluxzoo.checks.stack import Stack
from fluxzoo.julia_syntax import ParsedJulia, callee_text

_VERDICTS: WeakKeyDictionary[EntryContext, list[tuple[str, Ref, Verdict]]] = WeakKeyDictionary()


def verdicts(entry: EntryContext) -> list[tuple[str, Ref, Verdict]]:
    """(file, reference, verdict) for every reference with news, computed once per entry."""
    if entry in _VERDICTS:
        return _VERDICTS[entry]
    found = []
    every = [n for n in (entry.names(rel) for rel in entry.julia_files) if n is not None]
    siblings = Siblings.of(every)
    # A name another file of the entry defines or imports (`include`d files share them) is
    # not judged as an export of Flux.
    shared = set().union(*(n.imported | set(n.defined) for n in every))
    fates: dict[Ref, Verdict | None] = {}
    for rel in entry.julia_files:
        names = entry.names(rel)
        if names is None:
            continue
        seen: set[tuple[int, str]] = set()
        for ref in references(names, siblings):
            if ref.via_export and ref.name in shared:
                continue
            # The same name written the same way has the same fate wherever it is.
            key = replace(ref, line=0, col=0)
            if key not in fates:
                fates[key] = verdict(ref, entry.stack)
            news = fates[key]
            if (
                news is not None
                and ref.via_export
                and news.kind in {"removed", "unexported"}
                and (
                    any(
                        not julia_api.exports_known(m) and not m.startswith(".")
                        for m in names.whole_modules
                    )
                )
            ):
                continue  # a package the table does not describe may export it (`solve`)
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
    fix=FixKind.UNSAFE,
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

    ## Fix (unsafe)
    `Flux.Data.DataLoader` becomes `Flux.DataLoader` and `using Flux.Data: DataLoader`
    becomes `using Flux: DataLoader` (when the entry's Flux has `Flux.DataLoader`); the
    renames of FZ502 apply too. Anything else (`@epochs`, data sets) is left for a person.
    """
    return _findings(entry, "removed", "unexported")


@rule(
    code="FZ502",
    name="deprecated-api",
    severity=Severity.WARNING,
    summary="the code uses a name its Flux stack deprecates",
    applies=Applies.ALL,
    fix=FixKind.UNSAFE,
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

    ## Fix (unsafe)
    Pure renames with the same arguments (`ADAM` -> `Adam`, `ADAMW` -> `AdamW`, `NADAM` ->
    `NAdam`, `Flux.Optimiser` -> `OptimiserChain`, `ClipValue` -> `ClipGrad`, ...) when the new
    name exists in the entry's Flux; a `Flux.reset!(m)` call standing alone on its line is
    deleted (it does nothing since Flux 0.15), and `reset!` leaves `using Flux: ...` lists.
    No other code changes: `Flux.params` needs a person to rewrite the training loop.
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
    `@everywhere`, an `include` of a computed or missing file, `using` of a module whose
    exports the API table does not know in full (a relative one included), or a file too
    large to parse."""

    bound: set[str] = set()
    modules: list[str] = []
    for rel in entry.julia_files:
        names = entry.names(rel)
        parsed = entry.julia(rel)
        if names is None or names.opaque or parsed is None or parsed.tree.root_node.has_error:
            return None  # with a syntax error, scopes are tree-sitter's guesses
        if parsed.refused is not None:
            return None  # too large to parse (FZ301): what it defines is not known
        if any(not entry.exists(_joined(rel, target)) for target, _ in names.includes):
            return None
        for item in names.imports:
            known = julia_api.exports_known(item.module) or item.module.startswith(("Base", "Core"))
            if not known and item.kind == "using" and item.names is None:
                return None
        bound |= names.globals.names | names.imported | set(names.defined)
        modules.extend(names.whole_modules)
    return bound, modules


def _exported_ever(modules: list[str]) -> set[str]:

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
    It suggests the nearest name that is there (`reluu`: did you mean `relu`?). A file with
    more than 100 such uses gets the first 100 and one finding that counts the rest.

    Precision comes first, so it says nothing about an entry where a name could come from
    somewhere it cannot read: `eval` or `@eval`, `@everywhere`, an `include` of a computed
    path or of a missing file, `using` of a module whose exports the API table does not know
    in full (one it does not describe, a local `.Module`, or one such as Plots whose own
    macros write `export`s), a syntax error (FZ301) anywhere in the entry, which leaves
    scopes to the parser's guesses, or a file too large to parse (FZ301 says so). It does not
    see a use before the assignment in the same scope, and macros other than well-known ones
    count as defining the bare names given to them.

    ## Why is this bad?
    The script stops with an `UndefVarError` when it reaches that line; often it is a typo.

    ## Example
    `Dense(32 => 10, reluu)`.
    """

    view = _scope_view(entry)
    if view is None:
        return
    bound, modules = view
    exported = _exported_ever(modules)
    outside: julia_api.NameIndex | None = None  # built at the first undefined name
    best: dict[str, tuple[float, str] | None] = {}
    for rel in entry.julia_files:
        names = entry.names(rel)
        if names is None:
            continue
        undefined = [
            use
            for use in names.unqualified
            if not (
                use.name in bound
                or use.name in exported
                or use.name in _BUILTIN
                or names.binds(use)
            )
        ]
        for use in undefined[:UNDEFINED_PER_FILE]:
            if use.name not in best:
                outside = outside or julia_api.NameIndex(bound | exported)
                best[use.name] = outside.best(use.name)
            nearest = _nearest_in_scope(use, best[use.name])
            hint = f"; did you mean `{nearest}`?" if nearest else ""
            yield Finding(rel, f"`{use.name}` is not defined{hint}", use.line, use.col)
        if len(undefined) > UNDEFINED_PER_FILE:
            first = undefined[UNDEFINED_PER_FILE]
            yield Finding(
                rel,
                f"{len(undefined) - UNDEFINED_PER_FILE:,} more uses of names that are not "
                f"defined, from `{first.name}` on (only the first {UNDEFINED_PER_FILE} of a file "
                "are listed)",
                first.line,
                first.col,
            )


UNDEFINED_PER_FILE = 100
"""FZ505 lists this many undefined names of one file, then counts the rest: beyond it the file
is not one this rule can help with name by name, and each did-you-mean has a cost."""


def _nearest_in_scope(use, outside: tuple[float, str] | None) -> str | None:
    """The did-you-mean for `use`: the closest of the names its local scopes bind and of those
    bound or loaded at top level (whose closest, `outside`, is worked out once per name)."""
    local: set[str] = set()
    scope = use.scope
    while scope is not None:
        local |= scope.names
        scope = scope.parent
    found = max(filter(None, (julia_api.NameIndex(local).best(use.name), outside)), default=None)
    return found[1] if found else None


_PARAMS_CALLS = frozenset({"params", "Flux.params", "Params", "Zygote.Params", "Flux.Params"})
_TRAIN = frozenset({"train!", "Flux.train!", "Flux.Optimise.train!", "Optimise.train!"})
_UPDATE = frozenset({"update!", "Flux.update!", "Flux.Optimise.update!", "Optimise.update!"})
_GRADIENT = frozenset(
    f"{prefix}{name}"
    for prefix in ("", "Flux.", "Zygote.", "Tracker.", "Flux.Tracker.")
    for name in ("gradient", "withgradient", "pullback")
)
IMPLICIT_SINCE = "Flux 0.15"


def _positional(call) -> tuple[list, bool]:
    """A call's positional arguments, and whether it has a `do` block with no arguments."""
    args = next((c for c in call.named_children if c.type == "argument_list"), None)
    positional = [
        a
        for a in (args.named_children if args is not None else [])
        if a.type not in {"named_argument", "comment", "line_comment", "block_comment"}
    ]
    do = next((c for c in call.named_children if c.type == "do_clause"), None)
    bare_do = do is not None and not any(
        c.type == "argument_list" and c.named_children for c in do.named_children
    )
    return positional, bare_do


def implicit_calls(parsed: ParsedJulia) -> list[tuple[object, str]]:
    """(call node, what it is) for each implicit-style training call of the file."""
    params_vars: set[str] = set()
    for call in parsed.calls(*_PARAMS_CALLS):
        parent = call.parent  # `ps = Flux.params(model)`
        if parent is None or parent.type != "assignment" or len(parent.named_children) < 2:
            continue
        target, value = parent.named_children[0], parent.named_children[-1]
        if target.type == "identifier" and value == call:
            params_vars.add(target.text.decode("utf-8", "replace"))

    def params_like(node) -> bool:
        if node.type == "call_expression":
            return callee_text(node) in _PARAMS_CALLS
        return node.type == "identifier" and node.text.decode("utf-8", "replace") in params_vars

    found = []
    for call in parsed.calls(*_TRAIN, *_GRADIENT, *_UPDATE):
        head = callee_text(call)
        positional, bare_do = _positional(call)
        do = any(c.type == "do_clause" for c in call.named_children)
        if head in _TRAIN:
            if do:
                implicit = bool(positional) and params_like(positional[0])
            else:
                implicit = len(positional) == 3 or (
                    len(positional) >= 4 and params_like(positional[1])
                )
            if implicit:
                found.append((call, "train"))
        elif head in _GRADIENT:
            zero_arg = (
                bool(positional)
                and positional[0].type == "arrow_function_expression"
                and (
                    positional[0].named_children
                    and positional[0].named_children[0].type == "argument_list"
                    and not positional[0].named_children[0].named_children
                )
            )
            if (zero_arg and len(positional) >= 2) or (bare_do and len(positional) == 1):
                found.append((call, "gradient"))
        elif head in _UPDATE and len(positional) == 3 and params_like(positional[1]):
            found.append((call, "update"))
    return found


_IMPLICIT_MESSAGES = {
    "train": "is implicit-style training over `Params`",
    "gradient": "takes an implicit gradient over `Params`",
    "update": "updates implicit `Params`",
}
_IMPLICIT_ADVICE = {
    "train": julia_advice.EXPLICIT_TRAIN,
    "gradient": julia_advice.EXPLICIT_GRADIENT,
    "update": julia_advice.EXPLICIT_UPDATE,
}


@rule(
    code="FZ506",
    name="implicit-training",
    severity=Severity.WARNING,
    summary="training uses implicit `Params` (`train!(loss, ps, data, opt)`, "
    "`gradient(() -> ..., ps)`)",
    applies=Applies.ALL,
)
def implicit_training(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds the implicit style of training that Flux replaced with explicit gradients:
    `Flux.train!(loss, ps, data, opt)` (and the older `train!(loss, data, opt)`),
    `gradient(() -> loss(x, y), ps)` or `gradient(ps) do ... end`, and
    `update!(opt, ps, grads)`, where `ps` is `Flux.params(...)` or a variable assigned from
    it. It says what to write instead: `Flux.setup`, `Flux.withgradient(m -> ..., model)`,
    `Flux.update!(opt_state, model, grads[1])`.

    `Flux.params` itself is reported by FZ502/FZ503. Parameters gathered another way (a
    function returning `params(...)`) are not followed.

    ## Why is this bad?
    Implicit gradients are deprecated since Flux 0.15 and do not work with Optimisers.jl's
    rules; explicit gradients are the documented way and what the template teaches.

    ## Example
    `Flux.train!(loss, Flux.params(model), data, opt)`: write
    `opt_state = Flux.setup(Adam(), model)` and
    `Flux.train!((m, x, y) -> loss(m(x), y), model, data, opt_state)`.
    """
    for rel in entry.julia_files:
        parsed = entry.julia(rel)
        if parsed is None:
            continue
        for call, what in implicit_calls(parsed):
            head = callee_text(call)
            row, col = call.start_point
            yield Finding(
                rel,
                f"`{head}(...)` {_IMPLICIT_MESSAGES[what]} (deprecated since {IMPLICIT_SINCE}); "
                f"{_IMPLICIT_ADVICE[what]}",
                row + 1,
                col + 1,
            )


# Layers whose `(in, out)` positional sizes Flux 0.13 replaced by `in => out`: soft
# deprecations for these (Flux v0.16.11 src/deprecations.jl, "v0.13 deprecations")...
_SIZE_PAIR_DEPRECATED = ("Dense", "Embedding", "RNNCell", "LSTMCell", "GRUCell", "GRUv3Cell")
# ...and gone for these since Flux 0.15 (v0.15.2 src/layers/recurrent.jl: only
# `LSTM((in, out)::Pair; ...)`).
_SIZE_PAIR_REMOVED = ("RNN", "LSTM", "GRU", "GRUv3")


def _int_like(node) -> bool:
    return node.type == "integer_literal"


def _size_argument(node) -> bool:
    """A plausible layer size: an integer, a name, a field, or arithmetic on them."""
    return node.type in {
        "integer_literal",
        "identifier",
        "field_expression",
        "binary_expression",
        "parenthesized_expression",
        "call_expression",
    } and not (node.type == "binary_expression" and b"=>" in (node.text or b""))


def positional_sizes(
    parsed: ParsedJulia, defined: set[str]
) -> list[tuple[object, object, object, str]]:
    """(call, first size, second size, layer) for `Dense(2, 3)`-like calls: two positional
    sizes, at least one an integer literal (`Dense(W, b)` with a weight matrix is left)."""
    layers = [name for name in _SIZE_PAIR_DEPRECATED + _SIZE_PAIR_REMOVED if name not in defined]
    found = []
    for node in parsed.calls(*layers, *(f"Flux.{name}" for name in layers)):
        positional, _ = _positional(node)
        if len(positional) < 2:
            continue
        a, b = positional[0], positional[1]
        if _size_argument(a) and _size_argument(b) and (_int_like(a) or _int_like(b)):
            found.append((node, a, b, callee_text(node).removeprefix("Flux.")))
    return found


@rule(
    code="FZ507",
    name="positional-layer-sizes",
    severity=Severity.WARNING,
    summary="a layer's sizes are given as `Dense(in, out)`, not `Dense(in => out)`",
    applies=Applies.ALL,
    fix=FixKind.UNSAFE,
)
def positional_layer_sizes(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Finds `Dense(2, 3)`, `Embedding(100, 8)`, `LSTM(10, 20)` and the recurrent cells written
    with positional input and output sizes, where at least one size is an integer literal
    (so the first argument cannot be a weight matrix), in files that load Flux and do not
    define a layer of that name.

    ## Why is this bad?
    Flux 0.13 made `in => out` the form (the positional one is a deprecation kept for old
    code); for `RNN`, `LSTM`, `GRU` and `GRUv3` the positional form is gone since Flux 0.15.

    Files with a syntax error (FZ301) are skipped: their tree is the parser's guess.

    ## Example
    `Chain(Dense(784, 32, relu), Dense(32, 10))`: write
    `Chain(Dense(784 => 32, relu), Dense(32 => 10))`.

    ## Fix (unsafe)
    Rewrites the two sizes as a pair, `Dense(784 => 32, relu)`, and leaves every other
    argument as it was. Sizes that are both names (`Dense(n, m)`) are not reported, so
    never rewritten.
    """
    for rel in entry.julia_files:
        parsed, names = entry.julia(rel), entry.names(rel)
        if parsed is None or names is None or parsed.tree.root_node.has_error:
            continue  # a rewrite of a tree the parser had to guess at could break code
        if "Flux" not in names.packages:
            continue
        for call, a, b, layer in positional_sizes(parsed, set(names.defined)):
            row, col = call.start_point
            pair = f"{_node_text(a)} => {_node_text(b)}"
            gone = (
                " (the positional form is gone since Flux 0.15)"
                if (layer in _SIZE_PAIR_REMOVED)
                else ""
            )
            yield Finding(
                rel,
                f"`{callee_text(call)}({_node_text(a)}, {_node_text(b)}, ...)`: write the "
                f"sizes as a pair, `{callee_text(call)}({pair}, ...)`{gone}",
                row + 1,
                col + 1,
            )


def _node_text(node) -> str:
    return node.text.decode("utf-8", "replace") if node.text is not None else ""


@fixer("FZ507")
def fix_positional_layer_sizes(entry: EntryContext, findings: list[Finding]) -> Edits:
    """Rewrite `Layer(a, b, ...)` as `Layer(a => b, ...)` at each finding."""
    edits: Edits = {}
    wanted = {(f.path, f.line, f.col) for f in findings}
    for rel in entry.julia_files:
        parsed, names = entry.julia(rel), entry.names(rel)
        if parsed is None or names is None or parsed.tree.root_node.has_error:
            continue
        data = parsed.data
        changes = []
        for call, a, b, _ in positional_sizes(parsed, set(names.defined)):
            row, col = call.start_point
            if (rel, row + 1, col + 1) in wanted:
                pair = f"{_node_text(a)} => {_node_text(b)}".encode()
                changes.append((a.start_byte, b.end_byte, pair))
        if changes:
            for start, end, new in sorted(changes, reverse=True):
                data = data[:start] + new + data[end:]
            edits[rel] = data.decode("utf-8")
    return edits


_RESET_CALL = re.compile(r"^\s*(?:[\w.]+\.)?reset!\((?:[^()]|\([^()]*\))*\)\s*(?:#.*)?$")
_DATA_DATALOADER = re.compile(r"\b(\w+)\.Data\.DataLoader\b")
_USING_DATA_DATALOADER = re.compile(r"^(\s*(?:using|import)\s+)(\w+)\.Data:\s*DataLoader\s*$")


def _rename_line(line: str, col: int, old: str, new: str) -> str:
    """`line` with the first whole-word `old` at or after byte column `col` renamed."""
    start = len(line.encode("utf-8")[: col - 1].decode("utf-8", "ignore"))
    pattern = re.compile(rf"(?<![\w.!@]){re.escape(old)}(?![\w!])")
    m = pattern.search(line, start) or pattern.search(line)
    return line if m is None else line[: m.start()] + new + line[m.end() :]


def _without_item(line: str, item: str) -> str | None:
    """`using Flux: a, reset!, b` without `item`; None when nothing would be left."""
    head, sep, names = line.partition(":")
    kept = [n.strip() for n in names.split(",") if n.strip() and n.strip() != item]
    if not sep or not kept:
        return None
    return f"{head}: {', '.join(kept)}"


def _fixed_line(line: str, ref: Ref, news: Verdict, entry: EntryContext) -> str | bool | None:
    """The line rewritten for one finding: a new line, None to delete it, False to keep it."""

    version = entry.stack.version(news.package)
    if news.name == "reset!" and news.module == "Flux":
        if ref.in_import:
            return _without_item(line, "reset!") if ":" in line else False
        return None if _RESET_CALL.match(line) else False
    if (news.module == "Flux" and news.name == "Data") or news.module == "Flux.Data":
        if not julia_api.reachable("Flux", "DataLoader", version):
            return False
        if _USING_DATA_DATALOADER.match(line):
            return _USING_DATA_DATALOADER.sub(r"\1\2: DataLoader", line)
        renamed = _DATA_DATALOADER.sub(r"\1.DataLoader", line)
        return renamed if renamed != line else False
    new = julia_advice.RENAME.get((news.module, news.name))
    flux = entry.stack.version("Flux")
    if new is None or not (
        julia_api.reachable("Flux", new, flux) or julia_api.reachable(news.module, new, version)
    ):
        return False
    old = news.subject.rsplit(".", 1)[-1] if news.subject.endswith(news.name) else news.name
    renamed = _rename_line(line, ref.col, old, new)
    return renamed if renamed != line else False


def fix_api_names(entry: EntryContext, findings: list[Finding]) -> Edits:
    """Apply the mechanical replacements of FZ501/FZ502 findings (see their `## Fix`)."""
    wanted = {(f.path, f.line, f.col) for f in findings}
    by_file: dict[str, list[tuple[Ref, Verdict]]] = {}
    for rel, ref, news in verdicts(entry):
        if (rel, ref.line, ref.col) in wanted:
            by_file.setdefault(rel, []).append((ref, news))
    edits: Edits = {}
    for rel, items in by_file.items():
        text = entry.text(rel)
        if text is None:
            continue
        lines = text.splitlines(keepends=True)
        deleted: set[int] = set()
        for ref, news in sorted(items, key=lambda i: (i[0].line, -i[0].col), reverse=True):
            index = ref.line - 1
            if index in deleted or index >= len(lines):
                continue
            body = lines[index].rstrip("\r\n")
            ending = lines[index][len(body) :]
            result = _fixed_line(body, ref, news, entry)
            if result is None:
                deleted.add(index)
            elif result is not False:
                lines[index] = result + ending
        new_text = "".join(line for i, line in enumerate(lines) if i not in deleted)
        if new_text != text:
            edits[rel] = new_text
    return edits


fixer("FZ501")(fix_api_names)
fixer("FZ502")(fix_api_names)
