"""Which names a Julia file loads, defines and uses: name resolution without Julia.

`resolve(parsed)` reads one file's tree-sitter tree (parsed once, by `julia_syntax.parse`) and
returns a `FileNames`:

- `imports`: every `using`/`import` item in all its forms (`using A`, `using A: b, c`,
  `import A.b`, `import A as B`, `using A.B`, `import Zygote.@adjoint`), with its line;
- `defined`: what the file defines at any level (functions, macros as `@m`, types, consts,
  globals, modules) and `includes`, the files it `include`s with a literal path;
- `imported`: the names its `using`/`import` statements bind (`b` of `using A: b`, `A`);
- `bound`: every name the file's code binds anywhere: the definitions, assignments (destructuring
  included), arguments and keyword arguments, `let`, `for`, comprehension and generator
  variables, `do` arguments, `catch` variables, `where` parameters, struct (and `@kwdef`)
  fields, and bare identifiers given to macros that may define them (`@unpack a, b = x`,
  `@load "m.bson" model`);
- `qualified`: uses of `Module.name` (`Flux.params`, `F.Data.DataLoader` after
  `import Flux as F`, `Flux.@functor`), with the module resolved through aliases;
- `unqualified`: the other identifiers read as variables, with their lines;
- `dotted`: `a.b` whose `a` the file does not import: a variable's fields, or a module loaded
  by another file of the entry (`qualified_through` reads them with that file's aliases);
- `opaque`: why unqualified names cannot be trusted in this file (`eval`, `@eval`, `include`
  of a computed path): rules that judge undefined names say nothing then.

Each use records its `Scope` (global, function, `let`, struct, loop, comprehension, `catch`),
and `binds(use)` asks its chain. Within one scope order does not count (a use before the
assignment is not caught), and an assignment in a loop body binds in the enclosing function or
global scope: the readings that never call a correct program wrong.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tree_sitter import Node

    from fluxzoo.julia_syntax import ParsedJulia

ALWAYS_LOADED = ("Core", "Base")

# Macros known not to bind the bare identifiers they are given (checked against their docs).
_NON_BINDING_MACROS = frozenset(
    {
        "@show",
        "@info",
        "@warn",
        "@error",
        "@debug",
        "@test",
        "@test_throws",
        "@testset",
        "@time",
        "@elapsed",
        "@assert",
        "@inbounds",
        "@views",
        "@view",
        "@.",
        "@__dot__",
        "@printf",
        "@sprintf",
        "@functor",
        "@layer",
        "@epochs",
        "@kwdef",
        "@btime",
        "@benchmark",
        "@inferred",
        "@code_warntype",
        "@doc",
        "@inline",
        "@noinline",
        "@showprogress",
        "@progress",
        "@async",
        "@sync",
        "@spawn",
        "@threads",
        "@simd",
        "@adjoint",
        "@nograd",
        "@non_differentiable",
        "@opt_out",
        "@with_kw",
        "@timed",
        "@allocated",
        "@fastmath",
        "@static",
        "@assume_effects",
        "@ignore_derivatives",
        "@logmsg",
        "@thunk",
        "@not_implemented",
        "@scalar_rule",
        "@test_broken",
        "@test_logs",
        "@test_warn",
        "@test_nowarn",
        "@test_skip",
        "@tullio",
    }
)
_OPAQUE_CALLS = frozenset({"eval", "Core.eval", "Base.eval", "include_string", "evalfile"})
_BLOCK_WORDS = frozenset({"end", "begin"})
_TARGETS = frozenset(
    {
        "identifier",
        "typed_expression",
        "parenthesized_expression",
        "open_tuple",
        "tuple_expression",
        "bare_tuple",
        "index_expression",
        "field_expression",
        "splat_expression",
        "named_field",
        "operator",
        "prefixed_string_literal",
    }
)


@dataclass(frozen=True)
class Import:
    """One item of a `using`/`import` statement.

    `module` is the path as written ("Flux", "Flux.Optimise", ".Local"); `names` the names
    it brings in explicitly (None for the whole module: `using Flux`, `import Flux`);
    `alias` the `as` name of `import A as B`.
    """

    kind: str
    module: str
    names: tuple[str, ...] | None
    alias: str | None
    line: int
    col: int


@dataclass(frozen=True)
class QualifiedUse:
    """`module.name` as the code writes it: `written` is the text, `module` the real path."""

    module: str
    name: str
    written: str
    line: int
    col: int
    in_import: bool = False


def _qualified_use(
    module: str, parts: list[str] | tuple[str, ...], line: int, col: int, in_import: bool = False
) -> QualifiedUse:
    """`parts` (`Flux.Optimise.ADAM`) as a use of its longest known module path (`module`
    is what the first part stands for)."""
    from fluxzoo import julia_api

    rest = list(parts[1:])
    while len(rest) > 1 and julia_api.is_module(f"{module}.{rest[0]}"):
        module = f"{module}.{rest[0]}"
        rest = rest[1:]
    written = ".".join(parts[: len(parts) - len(rest) + 1])
    return QualifiedUse(module, rest[0], written, line, col, in_import)


@dataclass(eq=False)
class Scope:
    """One scope of the file: the global one, a function's (arguments, keyword arguments,
    `where` parameters, its assignments), a `let`'s, a struct's (fields, type parameters: a
    `@kwdef` default may use an earlier field), a loop's or comprehension's variables, a
    `catch` variable. A name bound anywhere in a scope counts as bound in all of it."""

    kind: str
    parent: Scope | None = None
    names: set[str] = field(default_factory=set)

    @property
    def hard(self) -> bool:
        """Whether assignments inside bind here (a loop body's assignments do not: they
        reach the enclosing function or the global scope, the conservative reading)."""
        return self.kind in {"global", "module", "function", "let", "struct"}

    def binds(self, name: str) -> bool:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.names:
                return True
            scope = scope.parent
        return False


@dataclass(frozen=True)
class NameUse:
    """An unqualified identifier read as a variable, function, type or macro (`@m`)."""

    name: str
    line: int
    col: int
    scope: Scope | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class DottedUse:
    """`a.b.c` whose first name the file neither imports as a module nor binds where it is read:
    a variable's fields, or a module that another file of the entry loads (an `include`d file
    writes `Flux.params` without `using Flux` of its own)."""

    parts: tuple[str, ...]
    line: int
    col: int
    scope: Scope | None = field(default=None, compare=False, repr=False)


@dataclass
class FileNames:
    imports: list[Import] = field(default_factory=list)
    defined: dict[str, int] = field(default_factory=dict)
    bound: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)
    """Names `using`/`import` statements bring in by name (`using A: b` -> b, `import A` -> A)."""
    includes: list[tuple[str, int]] = field(default_factory=list)
    qualified: list[QualifiedUse] = field(default_factory=list)
    unqualified: list[NameUse] = field(default_factory=list)
    dotted: list[DottedUse] = field(default_factory=list)
    aliases: dict[str, str] = field(default_factory=dict)
    """Names that stand for a module here (`Flux`, `F` after `import Flux as F`)."""
    opaque: list[tuple[str, int]] = field(default_factory=list)
    globals: Scope = field(default_factory=lambda: Scope("global"))
    """The file's global scope: what it defines and assigns at top level (and in loops and
    blocks there), and names given to macros that may define them."""

    def binds(self, use: NameUse) -> bool:
        """Whether the file's code binds `use.name` where it is used (imports not counted)."""
        return (use.scope or self.globals).binds(use.name)

    def qualified_through(self, aliases: dict[str, str]) -> list[QualifiedUse]:
        """The `dotted` uses whose first name is a module in `aliases` (what the entry's other
        files import) and is not bound where it is read, as qualified uses."""
        return [
            _qualified_use(aliases[use.parts[0]], use.parts, use.line, use.col)
            for use in self.dotted
            if use.parts[0] in aliases
            and use.parts[0] not in self.defined
            and not (use.scope or self.globals).binds(use.parts[0])
        ]

    @property
    def packages(self) -> set[str]:
        """Top-level packages the file loads (relative `.Local` modules excluded)."""
        return {
            i.module.split(".")[0]
            for i in self.imports
            if not i.module.startswith(".")
            and i.module.split(".")[0] not in ALWAYS_LOADED
            and i.module.split(".")[0] not in {"Main"}
        }

    @property
    def whole_modules(self) -> list[str]:
        """Modules loaded whole with `using M`: their exports are in scope."""
        return [i.module for i in self.imports if i.kind == "using" and i.names is None]

    def explicit(self) -> dict[str, str]:
        """Names brought in one by one (`using A: b`, `import A.b`) -> the module they come from."""
        found: dict[str, str] = {}
        for item in self.imports:
            if item.names:
                for name in item.names:
                    found.setdefault(name, item.module)
        return found


def _text(node: Node) -> str:
    return node.text.decode("utf-8", errors="replace") if node.text is not None else ""


def _pos(node: Node) -> tuple[int, int]:
    row, col = node.start_point
    return row + 1, col + 1


def _dotted(node: Node) -> list[str] | None:
    """`A.B.c` (identifiers only) as ["A", "B", "c"]; None for anything else."""
    if node.type == "identifier":
        return [_text(node)]
    if node.type in {"field_expression", "scoped_identifier"} and len(node.named_children) == 2:
        left = _dotted(node.named_children[0])
        right = node.named_children[1]
        if left is not None and right.type == "identifier":
            return [*left, _text(right)]
    return None


_ITEM = re.compile(r"^(?P<path>\.*[^\s:,]*)\s*(?::(?P<names>.*))?$", re.DOTALL)


def _clean(text: str) -> str:
    return " ".join(re.sub(r"#[^\n]*", "", text).split())


def _import_items(node: Node) -> list[Import]:
    """Items of one statement, read from its text: tree-sitter rejects some valid forms
    (`import Zygote.@adjoint`), and the text is unambiguous once comments are gone."""
    kind = "using" if node.type == "using_statement" else "import"
    line, col = _pos(node)
    body = _clean(_text(node))
    body = re.sub(r"^(using|import)\s+", "", body)
    if ":" in body.split(",")[0] or re.match(r"^[\w.@!]+\s*:", body):
        path, _, rest = body.partition(":")
        names = []
        for raw in rest.split(","):
            raw = raw.strip()
            if not raw:
                continue
            if " as " in raw:
                raw = raw.partition(" as ")[2].strip()
            names.append(raw)
        return [Import(kind, path.strip(), tuple(names), None, line, col)]
    items = []
    for raw in body.split(","):
        raw = raw.strip()
        if not raw:
            continue
        alias = None
        if " as " in raw:
            raw, _, alias = (p.strip() for p in raw.partition(" as "))
        parts = raw.split(".")
        last = parts[-1]
        dotted_import = kind == "import" and len(parts) > 1 and not raw.startswith(".")
        if dotted_import or last.startswith("@"):
            # `import A.b` brings `b`; `using A.@m` likewise.
            module = ".".join(parts[:-1]) or raw
            items.append(Import(kind, module, (alias or last,), None, line, col))
        else:
            items.append(Import(kind, raw, None, alias, line, col))
    return items


class _Walker:
    def __init__(self, result: FileNames) -> None:
        self.r = result
        self.scope = result.globals
        self.child_scope: Scope | None = None

    # Bindings ---------------------------------------------------------------------------

    def bind(self, name: str, scope: Scope | None = None) -> None:
        (scope or self.scope).names.add(name)
        self.r.bound.add(name)

    def assign_scope(self) -> Scope:
        """Where an assignment binds: the nearest function, `let`, struct or global scope."""
        scope = self.scope
        while not scope.hard and scope.parent is not None:
            scope = scope.parent
        return scope

    def bind_all(self, node: Node, scope: Scope | None = None) -> None:
        """Every identifier inside `node` is bound (argument lists, for/let bindings...)."""
        stack = [node]
        while stack:
            current = stack.pop()
            if current.type == "identifier":
                self.bind(_text(current), scope)
            elif current.type in {"field_expression", "quote_expression"}:
                continue
            stack.extend(current.named_children)

    def bind_target(self, node: Node, scope: Scope | None = None) -> None:
        """The names an assignment's left-hand side binds (destructuring included), in
        `scope` (by default where an assignment binds)."""
        scope = scope or self.assign_scope()
        kind = node.type
        if kind == "identifier":
            self.bind(_text(node), scope)
        elif kind in {"typed_expression", "parenthesized_expression"} and node.named_children:
            self.bind_target(node.named_children[0], scope)
        elif kind in {"open_tuple", "tuple_expression", "bare_tuple"}:
            for child in node.named_children:
                self.bind_target(child, scope)
        elif kind in {"named_field", "named_argument"} and node.named_children:
            self.bind_target(node.named_children[-1], scope)  # `(; a, b) = nt`
        elif kind == "splat_expression" and node.named_children:
            self.bind_target(node.named_children[0], scope)

    def define(self, name: str, node: Node) -> None:
        self.bind(name, self.assign_scope())
        self.r.defined.setdefault(name, _pos(node)[0])

    def new_scope(self, kind: str) -> Scope:
        """A scope inside the current one, for the children of the node being visited."""
        self.child_scope = Scope(kind, self.scope)
        return self.child_scope

    # Walking ----------------------------------------------------------------------------

    def walk(self, root: Node, scope: Scope | None = None) -> None:
        stack = [(root, scope or self.scope)]
        saved, saved_child = self.scope, self.child_scope
        handlers = _HANDLERS
        while stack:
            node, self.scope = stack.pop()
            kind = node.type
            if kind == "identifier":
                self.use(node)
                continue
            if kind in _INERT:
                continue
            self.child_scope = None
            handler = handlers.get(kind)
            push = node.named_children if handler is None else handler(self, node)
            if push:
                stack.extend(zip(reversed(push), repeat(self.child_scope or self.scope)))
        self.scope, self.child_scope = saved, saved_child

    # Each handler takes one node and returns the children still to visit (in `child_scope`
    # if it set one); a kind without a handler visits all its named children.

    def imports_statement(self, node: Node) -> list[Node]:
        self.imports(node)
        return []

    def literal(self, node: Node) -> list[Node]:
        return [c for c in node.named_children if c.type == "string_interpolation"]

    def assignment(self, node: Node) -> list[Node]:
        children = node.named_children
        if node.type == "assignment" and children and _is_signature(children[0]):
            return self.short_function(node)  # `f(x) = ...`: the signature binds, body uses
        if children and children[0].type not in _TARGETS:
            # Not a left-hand side Julia allows: tree-sitter took a keyword argument of
            # a macro (`@info "x" a && b k = v`) for an assignment. Bind what is there.
            self.bind_all(children[0], self.assign_scope())
        elif children:
            self.bind_target(children[0])
        return children

    def module(self, node: Node) -> list[Node]:
        name = node.child_by_field_name("name")
        if name is not None:
            self.define(_text(name), node)
        self.new_scope("module")
        return [c for c in node.named_children if c is not name]

    def arrow_function(self, node: Node) -> list[Node]:
        children = node.named_children
        if not children:
            return children
        self.bind_all(children[0], self.new_scope("function"))
        return children[1:]

    def do_clause(self, node: Node) -> list[Node]:
        children = node.named_children
        scope = self.new_scope("function")
        params = [c for c in children if c.type == "argument_list"]
        for p in params:
            self.bind_all(p, scope)
        return [c for c in children if c not in params]

    def let(self, node: Node) -> list[Node]:
        children = node.named_children
        scope = self.new_scope("let")
        for child in children:
            if child.type == "identifier" and child.next_named_sibling is not None:
                self.bind(_text(child), scope)  # `let a = 1, b`: `b` is a new local
        return [c for c in children if not (c.type == "identifier" and c.next_named_sibling)]

    def loop(self, node: Node) -> list[Node]:
        self.new_scope("loop")
        return node.named_children

    def maybe_generator(self, node: Node) -> list[Node]:
        children = node.named_children
        if any(c.type == "for_clause" for c in children):  # a generator: `sum(x for x in xs)`
            self.new_scope("loop")
        return children

    def binding(self, node: Node) -> list[Node]:
        children = node.named_children
        if not children:
            return children
        self.bind_target(children[0], self.scope)
        return children[1:]

    def catch(self, node: Node) -> list[Node]:
        children = node.named_children
        scope = self.new_scope("loop")
        first = children[0] if children else None
        if first is not None and first.type == "identifier":
            self.bind(_text(first), scope)
            return children[1:]
        return children

    def keyword(self, node: Node) -> list[Node]:
        return node.named_children[1:]  # `f(x; dims=1)`, `(a=1,)`: the key is not a variable

    def where(self, node: Node) -> list[Node]:
        children = node.named_children
        for child in children[1:]:
            self.bind_all(child)
        return children[:1]

    def call_expression(self, node: Node) -> list[Node]:
        self.call(node)
        return node.named_children

    def index(self, node: Node) -> list[Node]:
        children = node.named_children
        if len(children) > 1:
            return [children[0], *(_without_block_words(children[1:]))]
        return children

    def declaration(self, node: Node) -> list[Node]:
        """`const x = 1`, `local a, b = 1, 2`, `global n`: bind where each one says."""
        scope = {
            "const_statement": self.assign_scope(),
            "local_statement": self.scope,
            "global_statement": self.r.globals,
        }[node.type]
        rest = []
        for child in node.named_children:
            if child.type == "identifier":
                self.bind(_text(child), scope)
            elif child.type == "assignment" and child.named_children:
                target = child.named_children[0]
                if node.type == "const_statement" and target.type == "identifier":
                    self.define(_text(target), node)
                self.bind_target(target, scope)
                rest.extend(child.named_children[1:])
            else:
                rest.append(child)
        return rest

    def use(self, node: Node) -> None:
        line, col = _pos(node)
        name = _text(node)
        if name in _BLOCK_WORDS and not _inside_index(node):
            # A block keyword read as a name: tree-sitter lost the block structure (`:end`
            # closes a loop for it) without an ERROR node, so scopes here are guesses.
            self.r.opaque.append((f"stray `{name}`", line))
        self.use_name(name, line, col)

    def field(self, node: Node) -> list[Node]:
        parts = _dotted(node)
        if parts is None:
            children = node.named_children
            return children[:1]  # `f(x).field`: only the value is a use
        self.qualified(parts, node)
        return []

    def qualified(self, parts: list[str], node: Node, in_import: bool = False) -> None:
        root, *rest = parts
        line, col = _pos(node)
        if root not in self.r.aliases and root not in ALWAYS_LOADED and not in_import:
            self.use_name(root, line, col)  # a variable's fields, or a module another file loads
            if rest:
                self.r.dotted.append(DottedUse(tuple(parts), line, col, self.scope))
            return
        if rest:
            self.r.qualified.append(
                _qualified_use(self.r.aliases.get(root, root), parts, line, col, in_import)
            )

    def use_name(self, name: str, line: int, col: int) -> None:
        if name not in _BLOCK_WORDS and name != "_":
            self.r.unqualified.append(NameUse(name, line, col, self.scope))

    def macrocall(self, node: Node) -> list[Node]:
        children = node.named_children
        head_index = next((i for i, c in enumerate(children) if c.type == "macro_identifier"), None)
        if head_index is None:
            return children
        head = children[head_index]
        name = "@" + _text(head).lstrip("@")
        line, col = _pos(node)
        module, _, macro = name[1:].rpartition(".")
        if module and macro:  # `@Base.kwdef`
            self.qualified([*module.split("."), "@" + macro], node)
        elif head_index > 0:
            parts = _dotted(children[0])
            if parts is not None:
                self.qualified([*parts, name], node)
        elif name not in {"@__dot__"} and not name.startswith("@."):
            self.use_name(name, line, col)
        if name in {"@eval", "@everywhere"}:
            self.r.opaque.append((name, line))
        args = children[head_index + 1 :]
        if name not in _NON_BINDING_MACROS:
            for arg in args:
                for item in arg.named_children if arg.type == "macro_argument_list" else [arg]:
                    if item.type == "identifier":
                        self.bind(_text(item), self.r.globals)
        return args

    def function(self, node: Node) -> list[Node]:
        children = node.named_children
        signature = next((c for c in children if c.type == "signature"), None)
        if signature is None:
            ident = next((c for c in children if c.type == "identifier"), None)
            if ident is not None:  # `function f end`
                self.define(_text(ident), node)
            return [c for c in children if c is not ident]
        name = _defined_callee(signature)
        if name:
            self.define("@" + name if node.type == "macro_definition" else name, node)
        scope = self.new_scope("function")
        for part in signature.named_children:
            self.bind_signature(part, scope)
        return [c for c in children if c is not signature]

    def short_function(self, node: Node) -> list[Node]:
        """`f(x; k=1) = body` and `f(x)::T where T = body`: like `function`."""
        children = node.named_children
        name = _defined_callee(children[0])
        if name:
            self.define(name, node)
        scope = self.new_scope("function")
        self.bind_signature(children[0], scope, callee=True)
        return children[1:]

    def bind_signature(self, node: Node, scope: Scope, callee: bool = False) -> None:
        """Arguments, keyword arguments and `where` parameters bind in the function's `scope`;
        default values and extended functions (`Base.show`) are uses. With `callee`, `node`
        is a whole signature and its function name is skipped (the caller defined it)."""
        stack = [node]
        while stack:
            current = stack.pop()
            kind = current.type
            if kind == "identifier":
                self.bind(_text(current), scope)
            elif kind in {"named_argument", "optional_parameter", "assignment"}:
                if current.named_children:
                    self.bind_target(current.named_children[0], scope)
                    for value in current.named_children[1:]:
                        self.walk(value, scope)
            elif kind == "field_expression":
                self.walk(current)  # `Base.show(...)` extends, it defines nothing here
            elif kind == "call_expression":
                head = current.named_children[0] if current.named_children else None
                if head is not None and head.type == "field_expression":
                    self.walk(head)
                    stack.extend(current.named_children[1:])
                elif callee and head is not None and head.type == "identifier":
                    callee = False
                    stack.extend(current.named_children[1:])
                else:
                    stack.extend(current.named_children)
            else:
                stack.extend(current.named_children)

    def struct(self, node: Node) -> list[Node]:
        children = node.named_children
        head = next((c for c in children if c.type == "type_head"), None)
        supertype = None
        if head is not None:
            name = _type_name(head)
            if name:
                self.define(name, node)
            supertype = _supertype(head)
        scope = self.new_scope("struct")
        if head is not None:
            self.bind_all(_type_params(head), scope)
        todo: list[Node] = [supertype] if supertype is not None else []
        for child in children:
            if child is head:
                continue
            if child.type == "identifier":
                self.bind(_text(child), scope)  # a field
            elif child.type == "typed_expression" and child.named_children:
                self.bind_target(child.named_children[0], scope)
                todo.extend(child.named_children[1:])
            elif child.type == "assignment" and child.named_children:  # `@kwdef` default
                target = child.named_children[0]
                self.bind_target(target, scope)
                if target.type == "typed_expression":
                    todo.extend(target.named_children[1:])
                todo.extend(child.named_children[1:])
            else:
                todo.append(child)
        return todo

    def call(self, node: Node) -> None:
        head = node.named_children[0] if node.named_children else None
        if head is None:
            return
        text = _text(head)
        line = _pos(node)[0]
        if text in _OPAQUE_CALLS:
            self.r.opaque.append((text, line))
        if text == "include":
            target = _literal_argument(node)
            if target is None:
                self.r.opaque.append(("include", line))
            else:
                self.r.includes.append((target, line))

    def imports(self, node: Node) -> None:
        for item in _import_items(node):
            self.r.imports.append(item)
            if item.module.startswith("."):
                continue
            parts = item.module.split(".")
            if item.names is None:
                self.r.imported.add(item.alias or parts[-1])
                if len(parts) > 1:
                    self.qualified(parts, node, in_import=True)
                continue
            for name in item.names:
                self.r.imported.add(name)
                if not (len(parts) == 1 and name == parts[0]):
                    self.qualified([*parts, name], node, in_import=True)


_INERT = frozenset(
    {
        "export_statement",
        "public_statement",
        "quote_expression",
        "comment",
        "line_comment",
        "block_comment",
        "prefixed_string_literal",
        "prefixed_command_literal",
        "operator",
        "integer_literal",
        "float_literal",
        "boolean_literal",
        "character_literal",
    }
)
"""Kinds that hold no name to read: skipped with what is inside them."""

_HANDLERS = {
    "using_statement": _Walker.imports_statement,
    "import_statement": _Walker.imports_statement,
    "string_literal": _Walker.literal,
    "command_literal": _Walker.literal,
    "field_expression": _Walker.field,
    "macrocall_expression": _Walker.macrocall,
    "assignment": _Walker.assignment,
    "compound_assignment_expression": _Walker.assignment,
    "function_definition": _Walker.function,
    "macro_definition": _Walker.function,
    "struct_definition": _Walker.struct,
    "abstract_definition": _Walker.struct,
    "primitive_definition": _Walker.struct,
    "module_definition": _Walker.module,
    "const_statement": _Walker.declaration,
    "local_statement": _Walker.declaration,
    "global_statement": _Walker.declaration,
    "arrow_function_expression": _Walker.arrow_function,
    "do_clause": _Walker.do_clause,
    "let_statement": _Walker.let,
    "for_statement": _Walker.loop,
    "while_statement": _Walker.loop,
    "comprehension_expression": _Walker.loop,
    "argument_list": _Walker.maybe_generator,
    "parenthesized_expression": _Walker.maybe_generator,
    "tuple_expression": _Walker.maybe_generator,
    "for_binding": _Walker.binding,
    "let_binding": _Walker.binding,
    "catch_clause": _Walker.catch,
    "named_argument": _Walker.keyword,
    "named_field": _Walker.keyword,
    "where_expression": _Walker.where,
    "call_expression": _Walker.call_expression,
    "index_expression": _Walker.index,
}


def _is_module_name(path: str) -> bool:
    from fluxzoo import julia_api

    return julia_api.is_module(path)


def _without_block_words(nodes: list[Node]) -> list[Node]:
    return [n for n in nodes if not (n.type == "identifier" and _text(n) in _BLOCK_WORDS)]


def _inside_index(node: Node) -> bool:
    parent = node.parent
    while parent is not None:
        if parent.type == "index_expression":
            return True
        parent = parent.parent
    return False


def _is_signature(node: Node) -> bool:
    """Whether an assignment's left-hand side defines a method: `f(x)`, `(m::M)(x)`,
    `f(x)::T`, `f(x) where T` (a `typed_expression` only when it wraps a call)."""
    while node.type in {"where_expression", "typed_expression"} and node.named_children:
        node = node.named_children[0]
    return node.type == "call_expression"


def _defined_callee(node: Node) -> str | None:
    """The name a signature defines in this module (`f(x)`, `f(x) where T`, `f(x)::T`)."""
    while node.type in {"where_expression", "typed_expression", "signature"}:
        if not node.named_children:
            return None
        node = node.named_children[0]
    if node.type == "call_expression" and node.named_children:
        head = node.named_children[0]
        if head.type == "parametrized_type_expression" and head.named_children:
            head = head.named_children[0]
        return _text(head) if head.type == "identifier" else None
    return _text(node) if node.type == "identifier" else None


def _type_name(head: Node) -> str | None:
    node = head
    while node.type != "identifier":
        if not node.named_children:
            return None
        node = node.named_children[0]
    return _text(node)


def _type_params(head: Node) -> Node:
    node = head.named_children[0] if head.named_children else head
    if node.type == "binary_expression" and node.named_children:
        node = node.named_children[0]
    return node


def _supertype(head: Node) -> Node | None:
    node = head.named_children[0] if head.named_children else None
    if node is not None and node.type == "binary_expression" and len(node.named_children) >= 2:
        return node.named_children[-1]
    return None


def _string(node: Node) -> str | None:
    """The text of a string literal without interpolation, else None."""
    if node.type != "string_literal" or any(c.type != "content" for c in node.named_children):
        return None
    return "".join(_text(c) for c in node.named_children)


def _literal_argument(call: Node) -> str | None:
    """The path `include` is given, relative to the including file: a literal, or
    `joinpath(@__DIR__, "..", "x.jl")` with literal parts."""
    args = next((c for c in call.named_children if c.type == "argument_list"), None)
    if args is None or len(args.named_children) != 1:
        return None
    arg = args.named_children[0]
    if (
        arg.type == "call_expression"
        and arg.named_children
        and _text(arg.named_children[0]) == "joinpath"
    ):
        inner = next((c for c in arg.named_children if c.type == "argument_list"), None)
        parts = inner.named_children if inner is not None else []
        if not parts or _text(parts[0]) != "@__DIR__":
            return None
        texts = [_string(p) for p in parts[1:]]
        return "/".join(texts) if texts and all(t is not None for t in texts) else None  # type: ignore[misc]
    return _string(arg)


def resolve(parsed: ParsedJulia) -> FileNames:
    """Imports, definitions, bindings and uses of one parsed file (see the module doc)."""
    result = FileNames()
    # Imports first, wherever they are, so aliases are known before the uses are read; where
    # two bind one name, the first in the file counts.
    for node in parsed.imports:
        for item in _import_items(node):
            last = item.module.split(".")[-1]
            if item.names is None and not item.module.startswith("."):
                result.aliases.setdefault(item.alias or last, item.module)
            for name in item.names or ():
                if name == last:
                    result.aliases.setdefault(name, item.module)
                elif _is_module_name(f"{item.module}.{name}"):
                    result.aliases.setdefault(name, f"{item.module}.{name}")
    _Walker(result).walk(parsed.tree.root_node)
    return result
