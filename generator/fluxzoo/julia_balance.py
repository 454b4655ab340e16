"""Julia's brackets, quotes and `end`-blocks, paired lexically: where an unclosed one opens.

A parser that meets an unclosed `(` or a `function` without `end` knows something is wrong
only where the file stops making sense, often far below (or, for tree-sitter, at 1:1). Pairing
the delimiters in one pass over the text finds the opener itself. The scan understands what
hides delimiters: comments (`#`, nested `#= =#`), strings (`"`, `\"\"\"`, prefixed raw ones such
as `r"..."`, interpolation `$(...)`), commands, character literals against the adjoint `'`,
`:end`-style symbols, `end`/`begin` as indices inside `[...]`, and `for`/`if` in generators.

It also lists where tree-sitter-julia rejects valid code (`import A.@m`, `x[begin+1]`), so the
caller can re-parse with those spots neutralised instead of blaming the user.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

BLOCK_OPENERS = frozenset(
    [
        "begin",
        "function",
        "for",
        "if",
        "let",
        "struct",
        "module",
        "baremodule",
        "macro",
        "quote",
        "while",
        "try",
        "do",
    ]
)
MAX_DEPTH = 128
"""Deeper than any script nests (the real zoo: 9), and shallow enough that readers of the tree
may recurse on it (Python's stack holds about 1,000 frames)."""
_CLOSERS = {")": "(", "]": "[", "}": "{"}
_OPENERS = {"(": ")", "[": "]", "{": "}"}
# After one of these a `'` is the adjoint operator, not a character literal.
_OPERAND_END = frozenset(")]}'_!.")
# Keywords that end an operand, so `end'` and `end for` read as they do in Julia.
_OPERAND_KEYWORDS = frozenset({"end", "true", "false", "nothing"})


@dataclass(frozen=True)
class Imbalance:
    """An opener without its closer (or a closer without opener), 0-based offset into the text."""

    offset: int
    message: str
    stray: bool = False
    """A closer or `end` with nothing open: wrong even where the parser accepts the file."""
    too_deep: bool = False
    """Nesting passed `MAX_DEPTH` here; the scan stopped (and the file is not parsed)."""


@dataclass(frozen=True)
class Scan:
    """What one pass found: the first imbalance, and spots tree-sitter misreads (offsets)."""

    imbalance: Imbalance | None
    gaps: tuple[tuple[int, str], ...]
    """(offset, replacement of the same length) for valid code tree-sitter-julia rejects."""


@dataclass
class _Frame:
    kind: str  # "(", "[", "{", a block keyword, '"', '"""', "`", "```", "$(" or "#="
    offset: int
    raw: bool = False  # a prefixed string: no interpolation


def _describe(frame: _Frame) -> str:
    if frame.kind in _OPENERS:
        return f"unclosed '{frame.kind}': no matching '{_OPENERS[frame.kind]}'"
    if frame.kind in ('"', '"""'):
        return f"unclosed string: no closing '{frame.kind}'"
    if frame.kind in ("`", "```"):
        return f"unclosed command: no closing '{frame.kind}'"
    if frame.kind == "$(":
        return "unclosed '$(' interpolation: no matching ')'"
    if frame.kind == "#=":
        return "unclosed '#=' comment: no matching '=#'"
    return f"'{frame.kind}' without a matching 'end'"


class _Scanner:
    """One left-to-right pass; `stack` holds every construct opened and not yet closed.

    The pass jumps from one token that can open or close something to the next with one
    regular expression search (no backtracking), so it stays linear and runs at C speed over
    the text between tokens.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.n = len(text)
        self.stack: list[_Frame] = []
        self.gaps: list[tuple[int, str]] = []
        self.multiline_string: _Frame | None = None
        self.misindented: tuple[_Frame, int] | None = None
        """The first block whose `end` is indented unlike its opener, with that `end`."""

    def in_index(self) -> bool:
        """Inside `[...]` with no block opened since: `end` and `begin` are indices there."""
        for frame in reversed(self.stack):
            if frame.kind == "[":
                return True
            if frame.kind in BLOCK_OPENERS:
                return False
        return False

    def operand_before(self, offset: int) -> bool:
        """Whether the last non-blank character before `offset` ends a value (`x`, `)`, `2`).

        Only asked inside brackets, where a line break does not end the expression.
        """
        i = offset - 1
        while i >= 0 and self.text[i] in " \t\r\n":
            i -= 1
        return i >= 0 and (self.text[i] in _OPERAND_END or _word_char(self.text[i]))

    def run(self) -> Imbalance | None:
        text, n, i = self.text, self.n, 0
        while i < n:
            if len(self.stack) > MAX_DEPTH:
                message = f"brackets and blocks nest more than {MAX_DEPTH} deep here"
                return Imbalance(self.stack[-1].offset, message, too_deep=True)
            top = self.stack[-1].kind if self.stack else ""
            if top in ('"', '"""', "`", "```"):
                i = self.string_body(i)
                continue
            if top == "#=":
                i = self.block_comment(i)
                continue
            m = _TOKEN.search(text, i)
            if m is None:
                break
            tok, start, i = m.group(), m.start(), m.end()
            c = tok[0]
            if c == "#":
                if tok == "#=":
                    self.stack.append(_Frame("#=", start))
            elif tok == "=#":
                continue
            elif c in '"`':
                raw = start > 0 and _word_char(text[start - 1])  # r"..", raw"..": no `$`
                self.stack.append(_Frame(tok, start, raw))
            elif c == "'":
                i = self.quote(start)
            elif c in _OPENERS:
                self.stack.append(_Frame(c, start))
            elif c in _CLOSERS:
                problem = self.close(c, start)
                if problem:
                    return problem
            else:
                problem = self.word(tok, start)
                if problem:
                    return problem
        if self.stack:
            return Imbalance(self.stack[-1].offset, _describe(self.stack[-1]))
        return None

    def word(self, word: str, start: int) -> Imbalance | None:
        if word == "end":
            return self.end(start)
        if word == "begin" and self.in_index():
            if self.text.startswith(("+", "-"), start + 5):
                self.gaps.append((start, "1    "))  # `x[begin+1]`: tree-sitter stops here
            return None
        in_brackets = self.stack and self.stack[-1].kind in _OPENERS
        if word in ("for", "if") and in_brackets and self.operand_before(start):
            return None  # `[x for x in xs if p(x)]`: a generator, not a block
        if word == "type":
            m = _TYPE_PREFIX.search(self.text, max(0, start - 40), start)
            if m:  # `abstract type T end`, `primitive type T 8 end`; else `type` is a name
                self.stack.append(_Frame(f"{m.group(1)} type", m.start(1)))
            return None
        self.stack.append(_Frame(word, start))
        return None

    def end(self, offset: int) -> Imbalance | None:
        top = self.stack[-1] if self.stack else None
        if top is not None and top.kind not in _OPENERS and top.kind != "$(":
            self.stack.pop()
            if self.misindented is None:
                end_indent = self.indent(offset)
                if end_indent == offset - self.line_start(offset) != self.indent(top.offset):
                    self.misindented = (top, offset)
            return None
        if self.in_index():
            return None
        if top is not None:  # `end` while a bracket is open: the bracket is what is unclosed
            return Imbalance(top.offset, _describe(top))
        return Imbalance(offset, "unexpected 'end': nothing is open to close", stray=True)

    def line_start(self, offset: int) -> int:
        return self.text.rfind("\n", 0, offset) + 1

    def indent(self, offset: int) -> int:
        """Width of the leading blanks of the line holding `offset`."""
        start = self.line_start(offset)
        line = self.text[start : start + 200]
        return len(line) - len(line.lstrip(" \t"))

    def close(self, c: str, offset: int) -> Imbalance | None:
        want = _CLOSERS[c]
        top = self.stack[-1] if self.stack else None
        if top is not None and (top.kind == want or (c == ")" and top.kind == "$(")):
            self.stack.pop()
            return None
        if any(f.kind == want or (c == ")" and f.kind == "$(") for f in self.stack):
            assert top is not None
            return Imbalance(top.offset, _describe(top))
        return Imbalance(offset, f"unexpected '{c}': nothing is open to close", stray=True)

    def quote(self, i: int) -> int:
        if i > 0 and (self.text[i - 1] in _OPERAND_END or _word_char(self.text[i - 1])):
            return i + 1  # adjoint: x', A[i]', f(x)'
        m = _CHAR.match(self.text, i)  # 'a', '\'', '\u00e9', '∀'
        return m.end() if m else i + 1

    def string_body(self, i: int) -> int:
        frame = self.stack[-1]
        delim = frame.kind
        pattern = _STRING_STOPS[delim]
        while True:
            m = pattern.search(self.text, i)
            if m is None:
                if len(delim) == 1 and self.multiline_string is None:
                    self.multiline_string = frame
                return self.n
            tok, i = m.group(), m.end()
            if tok == delim:
                self.stack.pop()
                return i
            if tok == "$(":
                if frame.raw:
                    continue
                self.stack.append(_Frame("$(", m.start()))
                return i
            if tok == "\n":
                if self.multiline_string is None:
                    self.multiline_string = frame
                continue

    def block_comment(self, i: int) -> int:
        m = _COMMENT_STOPS.search(self.text, i)
        if m is None:
            return self.n
        if m.group() == "#=":
            self.stack.append(_Frame("#=", m.start()))
        else:
            self.stack.pop()
        return m.end()


def _word_char(c: str) -> bool:
    return c.isalnum() or c in "_!"


_KEYWORDS = "|".join(sorted({*BLOCK_OPENERS, "end", "type"}, key=len, reverse=True))
# What can open or close something: comments, quotes, brackets and the block keywords (not
# after `.`, `@` or `:` and not inside a longer name: `x.end`, `@begin`, `:end`, `endpoint`).
_TOKEN = re.compile(
    r"#=|=#|#[^\n]*|\"\"\"|\"|```|`|'|[()\[\]{}]"
    rf"|(?<![\w!.@:])(?:{_KEYWORDS})(?![\w!])"
)
_TYPE_PREFIX = re.compile(r"(?<![\w!.])(abstract|primitive)[ \t]+\Z")
_CHAR = re.compile(r"'(?:\\.[^'\n]{0,9}|[^\\'\n])'")
_STRING_STOPS = {
    '"': re.compile(r'\\.|"|\$\(|\n', re.DOTALL),
    '"""': re.compile(r'\\.|"""|\$\(', re.DOTALL),
    "`": re.compile(r"\\.|`|\$\(|\n", re.DOTALL),
    "```": re.compile(r"\\.|```|\$\(", re.DOTALL),
}
_COMMENT_STOPS = re.compile(r"#=|=#")
_IMPORT_MACRO = re.compile(r"^[ \t]*(?:import|using)\b[^\n#;]*", re.MULTILINE)


def _import_macro_gaps(text: str) -> list[tuple[int, str]]:
    """`import A.@m` is valid Julia that tree-sitter-julia rejects; `A._m` parses the same."""
    gaps = []
    for m in _IMPORT_MACRO.finditer(text):
        line = m.group()
        at = line.find(".@")
        while at >= 0:
            gaps.append((m.start() + at + 1, "_"))
            at = line.find(".@", at + 2)
    return gaps


def _blame_indentation(scanner: _Scanner, problem: Imbalance) -> Imbalance:
    """A block error surfaces at the file's end or at an outer `end`; indentation says where.

    When an `end` that starts its line is indented unlike the block it closes, that pairing is
    the first wrong one: an `end` deeper than its opener is one too many, one shallower means
    the opener lacks its own.
    """
    if scanner.misindented is None:
        return problem
    opener, end = scanner.misindented
    if scanner.indent(end) > scanner.indent(opener.offset):
        return Imbalance(
            end, "unexpected 'end': the block it would close is already closed", stray=True
        )
    return Imbalance(opener.offset, _describe(opener))


def scan(text: str) -> Scan:
    """Pair every delimiter of `text`; report the first that has no partner."""
    scanner = _Scanner(text)
    problem = scanner.run()
    if problem is not None and problem.too_deep:
        return Scan(problem, ())
    if problem is not None and "'end'" in problem.message:
        problem = _blame_indentation(scanner, problem)
    if problem is not None and scanner.multiline_string is not None:
        # A `"` string running over lines is legal but rare; with a mismatch after it, its
        # missing closing quote is the likelier cause than what the mismatch points at.
        frame = scanner.multiline_string
        if frame.offset <= problem.offset:
            message = "string runs past the end of its line: no closing '\"'"
            problem = Imbalance(frame.offset, message)
    return Scan(problem, (*scanner.gaps, *_import_macro_gaps(text)))
