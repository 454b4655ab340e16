"""Julia source, read without Julia: syntax errors and the packages a file loads.

Both answers come from tree-sitter-julia's syntax tree. Tree-sitter reports positions in
UTF-8 bytes; everything here is converted to 1-based lines and 1-based *character* columns,
which is what editors and GitHub annotations show.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, cached_property
from typing import TYPE_CHECKING

from fluxzoo.julia_balance import Scan, scan

if TYPE_CHECKING:
    from tree_sitter import Language, Node, Parser, Tree

# Loading these needs no [deps] entry: they are part of every Julia session.
BUILTIN_MODULES = frozenset({"Base", "Core", "Main"})

MAX_BYTES = 1024 * 1024
"""A script this large is data, not a tutorial (the real zoo's largest is 14 KB)."""
MAX_LINE_CHARS = 20_000
"""A line this long is data; a long enough chain on one line nests the tree as deep as it is."""
MAX_DOTS = 100
"""`a.b.c...` nests the tree one level per dot; readers of the tree walk such paths recursively."""
# A dotted name from its first identifier (so the search stays linear), greedy to its end.
_DOTTED = re.compile(r"(?<!\w)(?:\w+\.)+\w+")

_SNIPPET_CHARS = 30


@dataclass(frozen=True)
class SyntaxIssue:
    """One place the parser could not make sense of; line and col are 1-based characters."""

    line: int
    col: int
    message: str


@cache
def _language() -> Language:
    import tree_sitter
    import tree_sitter_julia

    return tree_sitter.Language(tree_sitter_julia.language())


@cache
def _parser() -> Parser:
    # Built once per process: creating the language and parser dominates a small parse.
    import tree_sitter

    return tree_sitter.Parser(_language())


# The few kinds of node rules look up rather than walk to are found from their text: a
# regular expression finds where the words are, and the tree says which of those places are
# the node (so the patterns need no lookaround for word boundaries, which would make each
# scan several times slower). A tree-sitter query would find them in C too, but building one
# analyses the whole grammar (about 40 ms per process for tree-sitter-julia, whatever the
# pattern), more than every lookup of a zoo's files together.
_IMPORT_WORD = re.compile(rb"using|import")
_STATEMENTS = frozenset({"using_statement", "import_statement"})


@cache
def _words(names: frozenset[str]) -> re.Pattern[bytes]:
    """Where any of `names` (identifiers such as `train!`) is written, longest first."""
    ordered = sorted(names, key=len, reverse=True)
    return re.compile(b"|".join(re.escape(n.encode("utf-8")) for n in ordered))


def callee_text(call: Node) -> str:
    """The callee of a call as written: `Dense`, `Flux.train!`."""
    head = call.named_child(0)
    return head.text.decode("utf-8", "replace") if head is not None and head.text else ""


@dataclass(frozen=True)
class ParsedJulia:
    """One file's text and its syntax tree: parse once, ask every question of this."""

    source: str
    data: bytes
    tree: Tree
    scan: Scan
    """The lexical pairing of its brackets, quotes and blocks (`julia_balance`)."""
    refused: SyntaxIssue | None = None
    """Why the file was not parsed (too large, too deep); `tree` is then the empty file's."""

    @cached_property
    def imports(self) -> list[Node]:
        """Every `using`/`import` statement, at any depth, in document order."""
        root = self.tree.root_node
        found = []
        for m in _IMPORT_WORD.finditer(self.data):
            word = root.descendant_for_byte_range(m.start(), m.end())
            # The keyword itself, opening the statement (not a name, a string or a comment
            # that holds the word).
            if word is None or word.type != m.group().decode() or word.end_byte != m.end():
                continue
            statement = word.parent
            if statement is not None and statement.type in _STATEMENTS:
                found.append(statement)
        return found

    def calls(self, *callees: str) -> list[Node]:
        """Every call whose callee is written as one of `callees` (`Dense`, `Flux.train!`;
        compared with `callee_text`), in document order: the rules that look for particular
        calls ask this, not the whole tree."""
        wanted = frozenset(callees)
        root = self.tree.root_node
        found = []
        for m in _words(frozenset(c.rsplit(".", 1)[-1] for c in wanted)).finditer(self.data):
            head = root.descendant_for_byte_range(m.start(), m.end())
            # `Flux.train!`: the callee is the dotted name that ends with the word. (Asking a
            # node for its parent walks down from the root, so each is asked once.)
            call = head.parent if head is not None else None
            while call is not None and call.type == "field_expression" and call.end_byte == m.end():
                head, call = call, call.parent
            if (
                call is not None
                and call.type == "call_expression"
                and call.named_child(0) == head
                and callee_text(call) in wanted
            ):
                found.append(call)
        return found


def _refusal(source: str, data: bytes, found: Scan) -> SyntaxIssue | None:
    """Why `source` is too large or too deep to parse safely, or None; each test is linear."""
    if len(data) > MAX_BYTES:
        size = f"{len(data):,} bytes, over the {MAX_BYTES:,}"
        return SyntaxIssue(1, 1, f"not checked: the file is {size} this check parses")
    if found.imbalance is not None and found.imbalance.too_deep:
        line, col = _offset_position(source, found.imbalance.offset)
        return SyntaxIssue(line, col, f"not checked: {found.imbalance.message}")
    lines = source.splitlines()
    longest = max(map(len, lines), default=0)
    if longest > MAX_LINE_CHARS:
        line = next(i for i, text in enumerate(lines, 1) if len(text) == longest)
        size = f"{longest:,} characters long, over the {MAX_LINE_CHARS:,}"
        return SyntaxIssue(line, 1, f"not checked: the line is {size} this check parses")
    for chain in _DOTTED.finditer(source):
        if chain.group().count(".") > MAX_DOTS:
            line, col = _offset_position(source, chain.start())
            what = f"a name with more than {MAX_DOTS} dots (`a.b.c...`)"
            return SyntaxIssue(line, col, f"not checked: {what}; no real path is this long")
    return None


def parse(source: str) -> ParsedJulia:
    """Parse `source` (never raises: syntax errors are ERROR/MISSING nodes of the tree).

    Guarded so that no input costs more than linear time or crashes the parser: a file over
    `MAX_BYTES`, nested deeper than `julia_balance.MAX_DEPTH` or with a line over
    `MAX_LINE_CHARS` is not parsed; `refused` says why and the tree is the empty file's.
    """
    data = source.encode("utf-8")
    found = Scan(None, ()) if len(data) > MAX_BYTES else scan(source)
    refused = _refusal(source, data, found)
    tree = _parser().parse(b"" if refused else data)
    return ParsedJulia(source, data, tree, found, refused)


def parse_tree(source: str) -> Tree:
    """The tree-sitter syntax tree of `source`."""
    return parse(source).tree


def _parsed(source: str | ParsedJulia) -> ParsedJulia:
    return source if isinstance(source, ParsedJulia) else parse(source)


def _position(data: bytes, node: Node) -> tuple[int, int]:
    row, byte_col = node.start_point
    line_start = node.start_byte - byte_col
    col = len(data[line_start : node.start_byte].decode("utf-8", errors="replace"))
    return row + 1, col + 1


def _describe(node: Node, data: bytes) -> str:
    if node.is_missing:
        what = node.type if node.is_named else f"'{node.type}'"
        return f"missing {what}"
    text = data[node.start_byte : node.end_byte].decode("utf-8", errors="replace")
    first_line = text.strip().splitlines()[0] if text.strip() else ""
    if not first_line:
        return "unexpected syntax"
    if len(first_line) > _SNIPPET_CHARS:
        first_line = first_line[:_SNIPPET_CHARS] + "..."
    return f"unexpected {first_line!r}"


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    line_start = text.rfind("\n", 0, offset) + 1
    return text.count("\n", 0, offset) + 1, offset - line_start + 1


def _tree_issues(tree: Tree, data: bytes) -> list[SyntaxIssue]:
    """Every ERROR and MISSING node of the tree, in document order.

    An ERROR node nested in another ERROR is the same mistake seen twice and is not
    reported again; MISSING nodes are reported wherever they are.
    """
    issues = []
    stack = [(tree.root_node, False)]
    while stack:
        node, inside_error = stack.pop()
        if node.is_missing or (node.is_error and not inside_error):
            line, col = _position(data, node)
            issues.append(SyntaxIssue(line, col, _describe(node, data)))
        # Only subtrees that contain an error can hold one; skip the rest.
        inside = inside_error or node.is_error
        stack.extend((c, inside) for c in reversed(node.children) if c.has_error)
    return issues


def syntax_errors(source: str | ParsedJulia) -> list[SyntaxIssue]:
    """Where the file does not parse, in document order; empty when it parses.

    An unpaired bracket, quote or `end`-block is reported once, where it opens (see
    `julia_balance`): the tree's ERROR nodes then sit where the parser gave up, often far
    away, or nowhere (tree-sitter-julia reads a stray `end` as a name). Otherwise the tree's
    ERROR and MISSING nodes are the answer, once the spots where tree-sitter-julia rejects
    valid Julia have been neutralised and the text re-parsed.
    """
    parsed = _parsed(source)
    if parsed.refused is not None:
        return [parsed.refused]
    tree, data, text, found = parsed.tree, parsed.data, parsed.source, parsed.scan
    if not tree.root_node.has_error and (found.imbalance is None or not found.imbalance.stray):
        # A stray `end` is the one mistake tree-sitter-julia accepts (as a name).
        return []
    if found.imbalance is not None:
        line, col = _offset_position(text, found.imbalance.offset)
        return [SyntaxIssue(line, col, found.imbalance.message)]
    if found.gaps:
        chars = list(text)
        for offset, replacement in found.gaps:
            chars[offset : offset + len(replacement)] = replacement
        data = "".join(chars).encode("utf-8")
        tree = _parser().parse(data)
        if not tree.root_node.has_error:
            return []
    return _tree_issues(tree, data)


def _module_root(node: Node) -> Node | None:
    """The identifier of the top-level package named by one item of a `using`/`import` list.

    `A`, `A.B.C`, `A as X`, `A.B: f, g` all name `A`; relative paths (`.Local`, `..X`)
    name no package and give None.
    """
    while True:
        if node.type == "identifier":
            return node if node.text is not None else None
        if node.type == "import_path":  # only produced for paths that start with dots
            return None
        if node.type not in {"scoped_identifier", "import_alias", "selected_import"}:
            return None
        named = node.named_children
        if not named:
            return None
        node = named[0]


def package_positions(source: str | ParsedJulia) -> dict[str, tuple[int, int]]:
    """The packages a file loads with `using`/`import`, wherever the statement is, each with
    the line and column where a statement first names it."""
    parsed = _parsed(source)
    found: dict[str, tuple[int, int]] = {}
    for statement in parsed.imports:
        for item in statement.named_children:
            root = _module_root(item)
            if root is None:
                continue
            name = root.text.decode("utf-8")
            if name not in BUILTIN_MODULES and name not in found:
                found[name] = _position(parsed.data, root)
    return found


def imported_packages(source: str | ParsedJulia) -> set[str]:
    """Names of the packages a file loads with `using`/`import`, wherever the statement is."""
    return set(package_positions(source))
