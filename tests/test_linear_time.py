"""Every regular expression in fluxzoo runs in linear time on hostile text.

A pattern that backtracks (`(.*?)(?:[ \\t]+#+)?[ \\t]*$` on a heading followed by 40,000
spaces and one other character) turns one long line of a pull request into minutes of `check`.
This collects every pattern the package compiles (module-level objects, and the literal
patterns of inline `re` calls), and runs each over long runs of the characters it names, after
a short text it matches, with and without a character that makes the match fail at the end.
A linear pattern scans such a text in tens of milliseconds, even matching at every character;
a quadratic one needs minutes, and the time limit (a hang guard, two hundred times what a
linear scan needs, so a loaded machine does not trip it) stops it.
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import re
import signal
import string
from pathlib import Path

import fluxzoo
import pytest

try:
    from re import _parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse

RUN = 100_000
LIMIT = 10.0
PACKAGE = Path(fluxzoo.__file__).parent
_CALLS = {"compile", "match", "search", "fullmatch", "findall", "finditer", "split", "sub", "subn"}
_FLAG_ARG = {"split": 3, "sub": 4, "subn": 4}


def _trees() -> list[ast.AST]:
    return [ast.parse(p.read_text(encoding="utf-8")) for p in sorted(PACKAGE.rglob("*.py"))]


def _uses() -> dict[str, set[str]]:
    """Pattern name -> the methods the package calls on it (`HEADING.match(...)`)."""
    uses: dict[str, set[str]] = {}
    for tree in TREES:
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr in _CALLS:
                owner = node.value
                name = getattr(owner, "id", None) or getattr(owner, "attr", None)
                if name:
                    uses.setdefault(name, set()).add(node.attr)
    return uses


def _module_patterns() -> dict[str, tuple[re.Pattern, set[str]]]:
    uses = _uses()
    found = {}
    for info in pkgutil.walk_packages(fluxzoo.__path__, "fluxzoo."):
        if info.name.endswith("__main__"):  # running it is the command line
            continue
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if isinstance(value, re.Pattern):
                found[f"{info.name}.{name}"] = (value, uses.get(name) or {"search"})
    return found


def _inline_patterns() -> dict[str, tuple[re.Pattern, set[str]]]:
    """The literal patterns of `re.sub(r"...", ...)` and its kind, where no object holds them."""
    found = {}
    for path, tree in zip(sorted(PACKAGE.rglob("*.py")), TREES, strict=True):
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "re"
                and node.func.attr in _CALLS - {"compile"}  # compiled ones are module objects
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                continue
            flags = next((k.value for k in node.keywords if k.arg == "flags"), None)
            position = _FLAG_ARG.get(node.func.attr, 2)
            if flags is None and len(node.args) > position:
                flags = node.args[position]
            value = eval(ast.unparse(flags), {"re": re}) if flags is not None else 0
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            found[where] = (re.compile(node.args[0].value, value), {node.func.attr})
    return found


TREES = _trees()
PATTERNS = {**_module_patterns(), **_inline_patterns()}


def _sample(items) -> str:
    """A short text the parsed pattern matches (or nearly: lookarounds are left out)."""
    out = []
    for op, av in items:
        name = str(op)
        if name == "LITERAL":
            out.append(chr(av))
        elif name == "NOT_LITERAL":
            out.append("a" if chr(av) != "a" else "b")
        elif name == "ANY":
            out.append("a")
        elif name == "IN":
            out.append(_member(av))
        elif name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, body = av
            out.append(_sample(body) * max(low, 1))
        elif name == "SUBPATTERN":
            out.append(_sample(av[-1]))
        elif name == "ATOMIC_GROUP":
            out.append(_sample(av))
        elif name == "BRANCH":
            out.append(_sample(av[1][0]))
        elif name == "GROUPREF_EXISTS":
            out.append(_sample(av[1]))
    return "".join(out)


def _member(av) -> str:
    for op, value in av:
        name = str(op)
        if name == "LITERAL":
            return chr(value)
        if name == "RANGE":
            return chr(value[0])
        if name == "CATEGORY":
            return {"CATEGORY_DIGIT": "1", "CATEGORY_SPACE": " "}.get(str(value), "a")
    return "a"  # a negated set: a letter is outside most of them


def _source(pattern: re.Pattern) -> str:
    """The pattern's text (a bytes pattern, which reads UTF-8, as its characters)."""
    text = pattern.pattern
    return text.decode("latin-1") if isinstance(text, bytes) else text


def _characters(pattern: re.Pattern) -> list[str]:
    """What to repeat: every punctuation mark the pattern names, and a few plain characters."""
    named = {c for c in _source(pattern) if c in string.punctuation}
    return sorted(named | {" ", "\t", "\n", "a", "1", "#", "`", "[", "(", "<", "\\"})


def _texts(pattern: re.Pattern):
    flags = pattern.flags & ~re.UNICODE
    start = _sample(sre_parse.parse(_source(pattern), flags))
    for char in _characters(pattern):
        for head in ("", start, start + "a"):
            for tail in ("", "\x00"):
                text = head + char * RUN + tail
                yield text.encode("utf-8") if isinstance(pattern.pattern, bytes) else text


class _TooSlow(Exception):
    pass


def _raise(signum, frame):
    raise _TooSlow


@pytest.mark.parametrize("where", sorted(PATTERNS))
def test_the_pattern_is_linear_on_long_runs(where):
    pattern, uses = PATTERNS[where]
    anchored = uses <= {"match", "fullmatch"}  # tried at the start only: one scan of the text
    previous = signal.signal(signal.SIGALRM, _raise)
    try:
        for text in _texts(pattern):
            signal.setitimer(signal.ITIMER_REAL, LIMIT)
            try:
                if anchored:
                    pattern.match(text)
                    pattern.fullmatch(text)
                else:
                    for _ in pattern.finditer(text):
                        pass
            except _TooSlow:
                pytest.fail(f"{where} /{pattern.pattern}/ backtracks on {text[:40]!r}...")
            finally:
                signal.setitimer(signal.ITIMER_REAL, 0)
    finally:
        signal.signal(signal.SIGALRM, previous)


def test_the_collection_sees_the_package_patterns():
    assert len(PATTERNS) > 100, sorted(PATTERNS)
    assert "fluxzoo.markdown_lines.FENCE" in PATTERNS and "adopt/readme.py:24" in PATTERNS
