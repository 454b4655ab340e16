#!/usr/bin/env python3
"""Build `generator/fluxzoo/data/julia_api.jsonl` from the Julia stack's real sources.

`check` judges an entry's calls (`Flux.params`, `ADAM`, `Flux.withgradeint`) without Julia, so
it needs, for every package of the zoo's stack and every minor release: the names a module
exports, marks `public`, and makes reachable as `Module.name` (what it defines, what it imports,
and the exports of every module it loads with `using`, which is how `Flux.relu` reaches
NNlib's), with the deprecations (`@deprecate old new`, functions whose body calls
`Base.depwarn`) and their replacement.

Each package is read from a bare git mirror (`<mirror>/<owner>+<name>/repo`, the layout the
fetch tool writes) at the newest patch tag of each minor release, starting from
`src/<Package>.jl` and following `include`s. A `using Dep` inside a package is resolved at the
newest minor of `Dep` that the package's `[compat]` allows at that tag. JuliaLang/julia is too
big to mirror whole: `--julia-dir` names a folder with its `base/exports.jl`, `base/boot.jl`
and `stdlib/<Name>/src/<Name>.jl` files (from any checkout or from GitHub's raw files), and
`--julia-commit` the commit they came from.

    python scripts/build_api_table.py --mirror /work/.mirror --julia-dir ~/julia \
        --julia-commit "$(git -C ~/julia rev-parse HEAD)"

To add or refresh a few packages without mirroring the whole stack, read only those and keep
the rest of the shipped table (a `using` of a package not read then is not followed, so names
that reach a module only through such a `using` are missing from it):

    python scripts/build_api_table.py --mirror /work/.mirror --only GraphNeuralNetworks \
        --only GNNGraphs --only GNNlib --base generator/fluxzoo/data/julia_api.jsonl

The output keeps one entry per name with version ranges ("0.6-0.14,0.16"), not one list per
version, and records the repository, tag and commit of every version read.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "generator"))

from fluxzoo import julia_api
from fluxzoo.julia_syntax import parse_tree

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on Python 3.10 only
    import tomli as tomllib

DEFAULT_OUT = Path(__file__).resolve().parents[1] / "generator/fluxzoo/data/julia_api.jsonl"

# (package, GitHub repository): the stack the kinds and the real zoo load.
PACKAGES = (
    ("Flux", "FluxML/Flux.jl"),
    ("Optimisers", "FluxML/Optimisers.jl"),
    ("Zygote", "FluxML/Zygote.jl"),
    ("ZygoteRules", "FluxML/ZygoteRules.jl"),
    ("NNlib", "FluxML/NNlib.jl"),
    ("Functors", "FluxML/Functors.jl"),
    ("OneHotArrays", "FluxML/OneHotArrays.jl"),
    ("Metalhead", "FluxML/Metalhead.jl"),
    ("Tracker", "FluxML/Tracker.jl"),
    ("MLUtils", "JuliaML/MLUtils.jl"),
    ("MLDatasets", "JuliaML/MLDatasets.jl"),
    ("MLDataDevices", "LuxDL/MLDataDevices.jl"),
    ("ChainRulesCore", "JuliaDiff/ChainRulesCore.jl"),
    ("ChainRulesTestUtils", "JuliaDiff/ChainRulesTestUtils.jl"),
    ("FiniteDifferences", "JuliaDiff/FiniteDifferences.jl"),
    ("HTTP", "JuliaWeb/HTTP.jl"),
    ("JSON", "JuliaIO/JSON.jl"),
    ("JLD2", "JuliaIO/JLD2.jl"),
    ("BSON", "JuliaIO/BSON.jl"),
    ("Statistics", "JuliaStats/Statistics.jl"),
    ("StatsBase", "JuliaStats/StatsBase.jl"),
    ("LinearAlgebra", "JuliaLang/LinearAlgebra.jl"),
    ("Downloads", "JuliaLang/Downloads.jl"),
    ("DelimitedFiles", "JuliaData/DelimitedFiles.jl"),
    ("BenchmarkTools", "JuliaCI/BenchmarkTools.jl"),
    ("Parameters", "mauro3/Parameters.jl"),
    ("ProgressMeter", "timholy/ProgressMeter.jl"),
    ("GraphNeuralNetworks", "JuliaGraphs/GraphNeuralNetworks.jl"),
    ("GNNGraphs", "JuliaGraphs/GraphNeuralNetworks.jl"),
    ("GNNlib", "JuliaGraphs/GraphNeuralNetworks.jl"),
    # What else the real zoo loads.
    ("CUDA", "JuliaGPU/CUDA.jl"),
    ("Plots", "JuliaPlots/Plots.jl"),
    ("Images", "JuliaImages/Images.jl"),
    ("ImageCore", "JuliaImages/ImageCore.jl"),
    ("Colors", "JuliaGraphics/Colors.jl"),
    ("DataFrames", "JuliaData/DataFrames.jl"),
    ("DataStructures", "JuliaCollections/DataStructures.jl"),
    ("Distributions", "JuliaStats/Distributions.jl"),
    ("DrWatson", "JuliaDynamics/DrWatson.jl"),
    ("TensorBoardLogger", "JuliaLogging/TensorBoardLogger.jl"),
    ("ColorTypes", "JuliaGraphics/ColorTypes.jl"),
    ("Missings", "JuliaData/Missings.jl"),
    ("InvertedIndices", "JuliaData/InvertedIndices.jl"),
    ("FixedPointNumbers", "JuliaMath/FixedPointNumbers.jl"),
    ("ImageInTerminal", "JuliaImages/ImageInTerminal.jl"),
    ("ImageMagick", "JuliaIO/ImageMagick.jl"),
    ("DataAugmentation", "FluxML/DataAugmentation.jl"),
    ("DifferentialEquations", "SciML/DifferentialEquations.jl"),
    ("Gumbo", "JuliaWeb/Gumbo.jl"),
    ("Cascadia", "Algocircle/Cascadia.jl"),
    ("Gym", "FluxML/Gym.jl"),
    ("Trebuchet", "FluxML/Trebuchet.jl"),
    ("MFCC", "JuliaDSP/MFCC.jl"),
    ("WAV", "dancasimiro/WAV.jl"),
    ("Literate", "fredrikekre/Literate.jl"),
    ("Pkg", "JuliaLang/Pkg.jl"),
)
# Standard libraries read from the julia checkout (`--julia-dir`), one version each.
JULIA_STDLIBS = ("Random", "Test", "Printf", "Logging")
JULIA_REPOSITORY = "JuliaLang/julia"

_TAG = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)$")
_DEPRECATE_MACROS = frozenset({"@deprecate", "@deprecate_binding"})
_DEPWARN = frozenset({"depwarn", "Base.depwarn"})
_DEFINING = frozenset(
    {
        "function_definition",
        "macro_definition",
        "struct_definition",
        "abstract_definition",
        "primitive_definition",
    }
)
_MAX_REPLACEMENT = 160


class BuildError(Exception):
    """A mirror or file cannot be read; the message says which and why."""


# Reading one module's source ---------------------------------------------------------------


@dataclass
class Module:
    """What one module's source says, before `using` is resolved across packages."""

    name: str
    exported: set[str] = field(default_factory=set)
    public: set[str] = field(default_factory=set)
    defined: set[str] = field(default_factory=set)
    imported: set[str] = field(default_factory=set)
    used: list[str] = field(default_factory=list)  # modules loaded whole with `using`
    reexported: list[str] = field(default_factory=list)  # `@reexport using M`
    deprecated: dict[str, str] = field(default_factory=dict)
    submodules: dict[str, Module] = field(default_factory=dict)
    symbol_lists: dict[str, list[str]] = field(default_factory=dict)  # `OPS = [:a, :b]`
    unread: list[str] = field(default_factory=list)
    """Why its export list may be longer than what was read (a macro that exports, an
    `include` of a computed path): such a module's exports are not known in full."""


def _text(node) -> str:
    return node.text.decode("utf-8", errors="replace") if node.text is not None else ""


def _name_of(node) -> str | None:
    """The plain name an identifier, macro name or `@m` export item stands for."""
    if node.type == "identifier":
        return _text(node)
    if node.type == "macro_identifier":
        return "@" + _text(node).lstrip("@")
    return None


def _callee(node) -> str | None:
    """The function name a definition's left-hand side defines in *this* module."""
    while node is not None and node.type in {"where_expression", "typed_expression", "signature"}:
        node = node.named_children[0] if node.named_children else None
    if node is None:
        return None
    if node.type == "call_expression":
        head = node.named_children[0] if node.named_children else None
        if head is None:
            return None
        if head.type == "parametrized_type_expression":
            head = head.named_children[0] if head.named_children else None
        return _text(head) if head is not None and head.type == "identifier" else None
    if node.type == "identifier":
        return _text(node)
    return None


def _type_name(head) -> str | None:
    node = head
    while node is not None and node.type not in {"identifier"}:
        if not node.named_children:
            return None
        node = node.named_children[0]
    return _text(node) if node is not None else None


def _import_items(stmt) -> list[tuple[str, list[str] | None]]:
    """(module path, names or None for the whole module) for each item of using/import."""
    text = re.sub(r"#[^\n]*", "", _text(stmt))
    text = re.sub(r"^\s*(using|import)\s+", "", text).replace("\n", " ")
    if ":" in text:
        mod, _, rest = text.partition(":")
        names = [_clean_item(n) for n in rest.split(",")]
        return [(mod.strip(), [n for n in names if n])]
    items = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        alias = None
        if " as " in part:
            part, _, alias = (p.strip() for p in part.partition(" as "))
        items.append((part, [alias] if alias else None))
    return items


def _clean_item(item: str) -> str:
    item = item.strip()
    if " as " in item:
        item = item.partition(" as ")[2].strip()
    return item


class SourceReader:
    """Reads `src/<Package>.jl` at one tag of a bare mirror, following includes."""

    def __init__(self, git_dir: Path, tag: str) -> None:
        self.git_dir = git_dir
        self.tag = tag
        self.seen: set[str] = set()

    def read(self, path: str) -> str | None:
        result = subprocess.run(
            ["git", "-C", str(self.git_dir), "show", f"{self.tag}:{path}"],
            capture_output=True,
        )
        if result.returncode != 0:
            return None
        return result.stdout.decode("utf-8", errors="replace")

    def module(self, name: str, path: str) -> Module | None:
        source = self.read(path)
        if source is None:
            return None
        tree = parse_tree(source)
        top = Module(name)
        for node in tree.root_node.named_children:
            if node.type == "module_definition":
                body_name = node.child_by_field_name("name")
                if body_name is not None and _text(body_name) == name:
                    self._walk(node, top, path)
                    return top
        self._walk(tree.root_node, top, path)  # a file that is the module's body
        return top

    def _walk(self, parent, mod: Module, path: str) -> None:
        children = parent.named_children
        if parent.type == "module_definition":
            children = children[1:]
        for node in children:
            self._statement(node, mod, path)

    def _statement(self, node, mod: Module, path: str, reexport: bool = False) -> None:
        kind = node.type
        if kind == "module_definition":
            name_node = node.child_by_field_name("name")
            if name_node is not None:
                sub = Module(_text(name_node))
                self._walk(node, sub, path)
                mod.submodules[sub.name] = sub
                mod.defined.add(sub.name)
        elif kind == "export_statement":
            mod.exported.update(n for c in node.named_children if (n := _name_of(c)))
            if any(c.type == "interpolation_expression" for c in node.named_children):
                mod.unread.append(f"{path}: `{_text(node)[:40]}`")
        elif kind == "public_statement":
            mod.public.update(n for c in node.named_children if (n := _name_of(c)))
        elif kind in {"using_statement", "import_statement"}:
            self._import(node, mod, reexport)
        elif kind == "macrocall_expression":
            self._macrocall(node, mod, path)
        elif kind in _DEFINING:
            self._definition(node, mod)
        elif kind == "const_statement":
            for child in node.named_children:
                self._statement(child, mod, path)
        elif kind == "assignment":
            self._assignment(node, mod)
        elif kind == "call_expression":
            self._include(node, mod, path)
        elif kind == "for_statement":
            self._eval_loop(node, mod)
        elif kind in {
            "if_statement",
            "elseif_clause",
            "else_clause",
            "compound_statement",
            "block",
        }:
            for child in node.named_children:
                self._statement(child, mod, path)

    def _import(self, node, mod: Module, reexport: bool) -> None:
        for target, names in _import_items(node):
            if names is not None:  # `using M: a, b` / `import M as X`
                mod.imported.update(names)
                if reexport:
                    mod.exported.update(names)
                continue
            last = target.split(".")[-1].lstrip("@") if target.split(".")[-1] else ""
            if target.startswith("@") or "@" in target.split(".")[-1]:
                mod.imported.add("@" + last)
                continue
            if last:
                mod.imported.add(last)
            if node.type == "using_statement":
                mod.used.append(target)
                if reexport:
                    mod.reexported.append(target)

    def _macrocall(self, node, mod: Module, path: str) -> None:
        head = next((c for c in node.named_children if c.type == "macro_identifier"), None)
        macro = "@" + _text(head).lstrip("@") if head is not None else ""
        args = [
            c for c in node.named_children if c.type in {"macro_argument_list", "argument_list"}
        ]
        items = args[0].named_children if args else []
        if macro == "@reexport":
            for item in items:
                self._statement(item, mod, path, reexport=True)
        elif macro == "@compat":
            # `@compat public a, b` and `@compat(public, (a, b))`: the names are public.
            text = _text(args[0]) if args else ""
            if re.match(r"^\(?\s*public\b", text):
                body = re.sub(r"#[^\n]*", "", text)
                body = re.sub(r"^\(?\s*public\s*,?", "", body)
                mod.public.update(re.findall(r"@?[^\W\d][\w!]*", body))
        elif macro in _DEPRECATE_MACROS and len(items) >= 2:
            old = _callee(items[0])
            if old:
                mod.defined.add(old)
                mod.deprecated[old] = _text(items[1])[:_MAX_REPLACEMENT]
                # Both macros export the old name unless told `false` (base/deprecated.jl).
                if not (len(items) > 2 and _text(items[2]) == "false"):
                    mod.exported.add(old)
        else:
            for item in items:  # `@inline f(x) = ...`, `@doc "..." f`, `@kwdef struct S`
                self._statement(item, mod, path)

    def _definition(self, node, mod: Module) -> None:
        if node.type in {"struct_definition", "abstract_definition", "primitive_definition"}:
            head = next((c for c in node.named_children if c.type == "type_head"), None)
            name = _type_name(head) if head is not None else None
            if name:
                mod.defined.add(name)
            return
        signature = next((c for c in node.named_children if c.type == "signature"), None)
        name = _callee(signature) if signature is not None else None
        if name is None and node.type == "function_definition":
            ident = next((c for c in node.named_children if c.type == "identifier"), None)
            name = _text(ident) if ident is not None else None  # `function f end`
        if not name:
            return
        mod.defined.add("@" + name if node.type == "macro_definition" else name)
        if node.type == "macro_definition" and re.search(r"\bexport\b", _text(node)):
            mod.unread.append(f"`@{name}` writes `export`s")
        message = _depwarn_message(node)
        if message is not None and node.type == "function_definition":
            mod.deprecated.setdefault(name, message)

    def _assignment(self, node, mod: Module) -> None:
        lhs = node.named_children[0] if node.named_children else None
        if lhs is None:
            return
        if lhs.type in {"call_expression", "where_expression", "typed_expression"}:
            name = _callee(lhs)
            if name:
                mod.defined.add(name)
                message = _depwarn_message(node)
                if message is not None:
                    mod.deprecated.setdefault(name, message)
        elif lhs.type == "identifier":
            mod.defined.add(_text(lhs))
            value = node.named_children[-1]
            if value.type in {"vector_expression", "tuple_expression"}:
                symbols = _quoted_symbols(value)
                if symbols:
                    mod.symbol_lists[_text(lhs)] = symbols
        elif lhs.type in {"open_tuple", "tuple_expression"}:
            mod.defined.update(_text(c) for c in lhs.named_children if c.type == "identifier")

    def _eval_loop(self, node, mod: Module) -> None:
        """`for f in (:a, :b) @eval export $f; @eval $f(x) = ... end`: names made by a loop."""
        binding = next((c for c in node.named_children if c.type == "for_binding"), None)
        if binding is None or len(binding.named_children) < 3:
            return
        iterable = binding.named_children[-1]
        if iterable.type == "identifier":
            names = mod.symbol_lists.get(_text(iterable), [])
        else:
            names = _quoted_symbols(iterable)
        body = " ".join(_text(c) for c in node.named_children if c is not binding)
        if "@eval" in body and re.search(r"\bexport\b", body) and not names:
            mod.unread.append("a loop of `@eval export` over names not written out")
        if not names or "@eval" not in body:
            return
        if re.search(r"export\s+\$", body):
            mod.exported.update(names)
        mod.defined.update(names)

    def _include(self, node, mod: Module, path: str) -> None:
        head = node.named_children[0] if node.named_children else None
        if head is None or _text(head) != "include":
            return
        args = node.named_children[1] if len(node.named_children) > 1 else None
        argument = args.named_children[0] if args is not None and args.named_children else None
        rel = _literal_path(argument) if argument is not None else None
        if rel is None:
            mod.unread.append(f"{path}: `{_text(node)[:40]}`")  # cannot know which file
            return
        target = str(PurePosixPath(path).parent / rel)
        target = _normalise(target)
        if target in self.seen:
            return
        self.seen.add(target)
        source = self.read(target)
        if source is None:
            mod.unread.append(f"{target}: not in the repository")
            return
        self._walk(parse_tree(source).root_node, mod, target)


def _literal_path(node) -> str | None:
    """The path an `include` argument names when it is written out: `"layers.jl"`,
    `joinpath("univariate", "normal.jl")`, `joinpath(@__DIR__, "x.jl")`; None otherwise."""
    if node.type == "string_literal":
        if any(c.type != "content" for c in node.named_children):
            return None  # interpolated
        return "".join(_text(c) for c in node.named_children)
    if node.type == "macrocall_expression" and _text(node) == "@__DIR__":
        return "."
    head = (
        node.named_children[0] if node.type == "call_expression" and node.named_children else None
    )
    if head is not None and _text(head) == "joinpath" and len(node.named_children) > 1:
        parts = [_literal_path(c) for c in node.named_children[1].named_children]
        if parts and all(part is not None for part in parts):
            return "/".join(p for p in parts if p is not None)
    return None


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in PurePosixPath(path).parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def _quoted_symbols(node) -> list[str]:
    """The `:name` symbols of a literal tuple or vector (nested tuples flattened)."""
    found = []
    stack = [node]
    while stack:
        current = stack.pop()
        if current.type == "quote_expression" and current.named_children:
            inner = current.named_children[0]
            if inner.type == "identifier":
                found.append(_text(inner))
        elif current.type in {"tuple_expression", "vector_expression", "open_tuple"}:
            stack.extend(reversed(current.named_children))
    return found


_WARNED = re.compile(r"deprecat|removed|no longer", re.IGNORECASE)


def _depwarn_message(node) -> str | None:
    """The message of the first `Base.depwarn("...", ...)` call in a definition's body, or of
    an `@warn "... deprecated ..."` there (Flux warns that way for `Flux.params`)."""
    stack = list(node.named_children)
    while stack:
        current = stack.pop()
        warns = current.named_children and _text(current.named_children[0]) == "@warn"
        if warns and current.type == "macrocall_expression":
            literal = next(
                (
                    c
                    for d in current.named_children[1:]
                    for c in d.named_children
                    if c.type == "string_literal"
                ),
                None,
            )
            text = _text(literal).strip('"') if literal is not None else ""
            if _WARNED.search(text):
                return " ".join(text.split())[:_MAX_REPLACEMENT]
        if current.type == "call_expression" and current.named_children:
            head = current.named_children[0]
            if _text(head) in _DEPWARN and len(current.named_children) > 1:
                args = current.named_children[1].named_children
                if args and args[0].type == "string_literal":
                    text = _text(args[0]).strip('"')
                    return " ".join(text.split())[:_MAX_REPLACEMENT]
                return ""
        stack.extend(current.named_children)
    return None


# Versions, tags and compat -----------------------------------------------------------------


def _git(git_dir: Path, *args: str) -> str:
    result = subprocess.run(["git", "-C", str(git_dir), *args], capture_output=True, text=True)
    if result.returncode != 0:
        raise BuildError(f"git {' '.join(args)} failed in {git_dir}: {result.stderr.strip()}")
    return result.stdout


def minor_releases(git_dir: Path, package: str) -> list[tuple[str, str, str]]:
    """(minor version "0.14" or "1.2", newest patch tag of it, folder of the package), oldest
    first. A package at the repository root is tagged `vX.Y.Z`; one of several packages in a
    repository is tagged `<Package>-vX.Y.Z` and lives in `<Package>/` (GraphNeuralNetworks.jl
    holds GraphNeuralNetworks, GNNGraphs and GNNlib); for the same release that tag wins."""
    own = re.compile(rf"^{re.escape(package)}-v(\d+)\.(\d+)\.(\d+)$")
    best: dict[tuple[int, int], tuple[tuple[int, int], str, str]] = {}
    for tag in _git(git_dir, "tag").split():
        m, folder, rank = _TAG.match(tag), "", 0
        if not m:
            m, folder, rank = own.match(tag), f"{package}/", 1
        if not m:
            continue
        major, minor, patch = (int(g) for g in m.groups())
        key = (major, minor)
        if key not in best or (patch, rank) > best[key][0]:
            best[key] = ((patch, rank), tag, folder)
    return [(f"{k[0]}.{k[1]}", best[k][1], best[k][2]) for k in sorted(best)]


def _untagged(git_dir: Path) -> list[tuple[str, str, str]]:
    """An upgradable standard library (LinearAlgebra.jl) ships with Julia and has no tags of
    its own: its newest commit, as the minor version its Project.toml names (empty when it
    names none)."""
    commit = _git(git_dir, "rev-parse", "HEAD").strip()
    project = SourceReader(git_dir, commit).read("Project.toml")
    try:
        version = tomllib.loads(project or "").get("version")
    except tomllib.TOMLDecodeError:
        version = None
    if not isinstance(version, str) or not _TAG.match(version):
        return []
    return [(".".join(version.split(".")[:2]), commit, "")]


def _minor_key(version: str) -> tuple[int, int]:
    major, minor = version.split(".")[:2]
    return int(major), int(minor)


def compat_allows(spec: str, version: str) -> bool:
    """Whether a Pkg `[compat]` spec admits some release of minor `version` ("0.14")."""
    major, minor = _minor_key(version)
    for part in spec.split(","):
        part = part.strip()
        if not part:
            continue
        if " - " in part:
            low, high = (p.strip() for p in part.split(" - ", 1))
            if _minor_key(low + ".0") <= (major, minor) <= _minor_key(high + ".0"):
                return True
            continue
        op = re.match(r"^(\^|~|>=|=)?\s*(\d+)(?:\.(\d+))?", part)
        if not op:
            continue
        kind, a, b = op.group(1) or "^", int(op.group(2)), int(op.group(3) or 0)
        if kind == ">=" and (major, minor) >= (a, b):
            return True
        if kind in {"~", "="} and (major, minor) == (a, b):
            return True
        if kind == "^":
            if a > 0 and major == a and minor >= b:
                return True
            if a == 0 and (major, minor) == (0, b):
                return True
    return False


# Building the table ----------------------------------------------------------------------


@dataclass
class Release:
    package: str
    version: str
    tag: str
    commit: str
    modules: dict[str, Module]  # by dotted path: "Flux", "Flux.Optimise"
    compat: dict[str, str]
    complete: bool = True  # False: only the export lists were read (Base, Core, stdlibs)


def _flatten(mod: Module, prefix: str, out: dict[str, Module]) -> None:
    path = f"{prefix}.{mod.name}" if prefix else mod.name
    out[path] = mod
    for sub in mod.submodules.values():
        _flatten(sub, path, out)


def read_release(
    package: str, git_dir: Path, version: str, tag: str, folder: str = ""
) -> Release | None:
    reader = SourceReader(git_dir, tag)
    top = reader.module(package, f"{folder}src/{package}.jl")
    if top is None:
        return None
    modules: dict[str, Module] = {}
    _flatten(top, "", modules)
    compat: dict[str, str] = {}
    project = reader.read(f"{folder}Project.toml")
    if project:
        try:
            compat = {k: str(v) for k, v in tomllib.loads(project).get("compat", {}).items()}
        except tomllib.TOMLDecodeError:
            compat = {}
    commit = _git(git_dir, "rev-list", "-n", "1", tag).strip()
    # An untagged read (`_untagged`) names its commit; the record then has no tag.
    return Release(package, version, "" if tag == commit else tag, commit, modules, compat)


def read_julia(julia_dir: Path, commit: str) -> list[Release]:
    """Base, Core and the stdlibs kept in the julia repository, as one version each."""
    version_file = julia_dir / "VERSION"
    version = version_file.read_text().strip() if version_file.is_file() else "1"
    version = ".".join(version.split(".")[:2])
    releases = []

    def from_files(name: str, paths: list[Path]) -> Module:
        mod = Module(name)
        reader = SourceReader(julia_dir, "")
        for path in paths:
            if path.is_file():
                tree = parse_tree(path.read_text(encoding="utf-8"))
                for node in tree.root_node.named_children:
                    target = node
                    if node.type == "module_definition":
                        reader._walk(node, mod, str(path))
                        continue
                    reader._statement(target, mod, str(path))
        return mod

    base = from_files("Base", [julia_dir / "base/exports.jl"])
    core = from_files("Core", [julia_dir / "base/boot.jl"])
    core.defined |= core.exported
    base.defined |= base.exported | base.public
    releases.append(Release("Base", version, "", commit, {"Base": base}, {}, complete=False))
    releases.append(Release("Core", version, "", commit, {"Core": core}, {}, complete=False))
    for name in JULIA_STDLIBS:
        mod = from_files(name, [julia_dir / f"stdlib/{name}/src/{name}.jl"])
        mod.defined |= mod.exported
        releases.append(Release(name, version, "", commit, {name: mod}, {}, complete=False))
    return releases


class Resolver:
    """Exports and reachable names of module M at release R, with `using` resolved."""

    def __init__(self, releases: dict[str, list[Release]]) -> None:
        self.releases = releases
        self._exports: dict[tuple[str, str], set[str]] = {}

    def release_for(self, package: str, compat: str | None) -> Release | None:
        candidates = self.releases.get(package, [])
        if compat:
            allowed = [r for r in candidates if compat_allows(compat, r.version)]
            candidates = allowed or candidates
        return candidates[-1] if candidates else None

    def _target(self, release: Release, path: str, target: str) -> tuple[Release, str] | None:
        """The release and module path a `using target` inside module `path` loads."""
        if target.startswith("."):
            dots = len(target) - len(target.lstrip("."))
            base = path.split(".")[: max(1, len(path.split(".")) - (dots - 1))]
            rest = [p for p in target.lstrip(".").split(".") if p]
            full = ".".join(base + rest)
            return (release, full) if full in release.modules else None
        root = target.split(".")[0]
        if root == release.package:
            return (release, target) if target in release.modules else None
        dep = self.release_for(root, release.compat.get(root))
        if dep is None or target not in dep.modules:
            return None
        return dep, target

    def exports(self, release: Release, path: str, depth: int = 0) -> set[str]:
        key = (f"{release.package}@{release.version}", path)
        if key in self._exports:
            return self._exports[key]
        self._exports[key] = set()  # cycles give nothing more
        mod = release.modules[path]
        names = set(mod.exported)
        if depth < 8:
            for target in mod.reexported:
                found = self._target(release, path, target)
                if found is not None:
                    names |= self.exports(*found, depth + 1)
                    names.add(target.split(".")[-1])
        self._exports[key] = names
        return names

    def exports_known(self, release: Release, path: str, depth: int = 0) -> bool:
        """Whether the module's whole export list was read: its own, and each re-exported
        module's (one of a package not read now is not known)."""
        mod = release.modules[path]
        if mod.unread or depth > 8:
            return False
        for target in mod.reexported:
            found = self._target(release, path, target)
            if found is None or not self.exports_known(*found, depth + 1):
                return False
        return True

    def reachable_known(self, release: Release, path: str) -> bool:
        """Whether every name reachable as `Module.name` was read: the exports, and those
        of every module it loads with `using`."""
        if not self.exports_known(release, path):
            return False
        for target in release.modules[path].used:
            found = self._target(release, path, target)
            if found is None or not self.exports_known(*found):
                return False
        return True

    def reachable(self, release: Release, path: str) -> set[str]:
        mod = release.modules[path]
        names = mod.defined | mod.imported | mod.exported | set(mod.deprecated)
        for target in mod.used:
            found = self._target(release, path, target)
            if found is not None:
                names |= self.exports(*found)
        return names


def _ranges(indices: list[int], labels: list[str]) -> str:
    """Version indices as "0.6-0.14,0.16" over the package's ordered minor versions."""
    out = []
    start = prev = None
    for i in indices:
        if start is None:
            start = prev = i
        elif i == prev + 1:
            prev = i
        else:
            out.append((start, prev))
            start = prev = i
    if start is not None:
        out.append((start, prev))
    return ",".join(labels[a] if a == b else f"{labels[a]}-{labels[b]}" for a, b in out)


def build_table(releases: dict[str, list[Release]], repositories: dict[str, str]) -> dict:
    resolver = Resolver(releases)
    packages: dict[str, dict] = {}
    modules: dict[str, dict] = {}
    for package, rels in releases.items():
        labels = [r.version for r in rels]
        packages[package] = {
            "repository": repositories[package],
            "versions": [{"version": r.version, "tag": r.tag, "commit": r.commit} for r in rels],
        }
        per_module: dict[str, dict[str, dict[str, list[int]]]] = {}
        deprecations: dict[str, dict[str, tuple[list[int], str]]] = {}
        for index, release in enumerate(rels):
            for path, mod in release.modules.items():
                names = per_module.setdefault(path, {})
                kinds = {
                    "r": resolver.reachable(release, path),
                    "e": resolver.exports(release, path),
                    "p": mod.public,
                }
                for kind, found in kinds.items():
                    for name in found:
                        names.setdefault(name, {}).setdefault(kind, []).append(index)
                for name, replacement in mod.deprecated.items():
                    slot = deprecations.setdefault(path, {}).setdefault(name, ([], replacement))
                    slot[0].append(index)
        for path, names in per_module.items():
            newest = next(r for r in reversed(rels) if path in r.modules)
            # Base, Core and the stdlibs: only the export lists were read, whole.
            exports_known = not newest.complete or resolver.exports_known(newest, path)
            complete = newest.complete and resolver.reachable_known(newest, path)
            entry: dict = {"package": package, "complete": complete, "names": {}}
            if not exports_known:
                entry["exports_known"] = False
            for name in sorted(names):
                entry["names"][name] = {
                    k: _ranges(v, labels) for k, v in sorted(names[name].items())
                }
            deps = deprecations.get(path, {})
            if deps:
                entry["deprecated"] = {
                    name: {"versions": _ranges(idx, labels), "use": text}
                    for name, (idx, text) in sorted(deps.items())
                }
            modules[path] = entry
    return {
        "format": julia_api.FORMAT,
        "generated_by": "scripts/build_api_table.py",
        "packages": dict(sorted(packages.items())),
        "modules": dict(sorted(modules.items())),
    }


def merge(base: dict, new: dict) -> dict:
    """`base` with every package of `new` (and all its modules) replaced or added."""
    rebuilt = set(new["packages"])
    packages = {k: v for k, v in base["packages"].items() if k not in rebuilt}
    modules = {k: v for k, v in base["modules"].items() if v["package"] not in rebuilt}
    packages.update(new["packages"])
    modules.update(new["modules"])
    return {
        **new,
        "packages": dict(sorted(packages.items())),
        "modules": dict(sorted(modules.items())),
    }


def read_packages(mirror: Path, selected: tuple[tuple[str, str], ...]) -> dict[str, list[Release]]:
    releases: dict[str, list[Release]] = {}
    for package, repository in selected:
        git_dir = mirror / repository.replace("/", "+") / "repo"
        if not git_dir.is_dir():
            print(f"skipped {package}: no mirror at {git_dir}", file=sys.stderr)
            continue
        rels = []
        for version, tag, folder in minor_releases(git_dir, package) or _untagged(git_dir):
            release = read_release(package, git_dir, version, tag, folder)
            if release is not None:
                rels.append(release)
        if rels:
            releases[package] = rels
        print(f"{package}: {len(rels)} minor versions", file=sys.stderr)
    return releases


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--mirror",
        type=Path,
        required=True,
        help="folder of bare mirrors named <owner>+<name>/repo",
    )
    parser.add_argument(
        "--julia-dir", type=Path, help="folder with julia's base/exports.jl, base/boot.jl, stdlib/*"
    )
    parser.add_argument("--julia-commit", default="", help="commit the julia files came from")
    parser.add_argument("--only", action="append", default=[], help="build only these packages")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument(
        "--base",
        type=Path,
        help="a table (e.g. the shipped one) to keep, replacing only the packages read now",
    )
    args = parser.parse_args(argv)
    selected = tuple(p for p in PACKAGES if not args.only or p[0] in args.only)
    repositories = dict(selected)
    try:
        releases = read_packages(args.mirror, selected)
        if args.julia_dir is not None:
            for release in read_julia(args.julia_dir, args.julia_commit):
                releases[release.package] = [release]
                repositories[release.package] = JULIA_REPOSITORY
    except BuildError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    if not releases:
        print("error: no package could be read; check --mirror", file=sys.stderr)
        return 1
    table = build_table(releases, repositories)
    if args.base is not None:
        table = merge(julia_api.loads(args.base.read_text(encoding="utf-8")), table)
    text = julia_api.dumps(table)
    tmp = args.out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(args.out)
    print(
        f"wrote {args.out} ({len(text) // 1024} KiB, {len(table['modules'])} modules)",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
