"""The rule registry: every check `fluxzoo check` runs, its code, name, severity and docs.

A rule is a small function over one entry, registered with `@rule(...)`. Its metadata lives in
one place (the decorator), its documentation in its docstring (`## What it does`,
`## Why is this bad?`, `## Example`), and `--list-rules`, `docs/check.md` and the JSON output are
all produced from here. Codes are never reused: a renamed code goes into `REDIRECTS`.

Selection follows ruff: `--select` and `--ignore` take codes or code prefixes (`FZ2`), and for
each rule the longest matching prefix decides; at equal length `--ignore` wins. Preview and
deprecated rules run only when selected by their full code.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from fluxzoo.errors import UsageError

if TYPE_CHECKING:
    from fluxzoo.checks.diagnostics import Finding
    from fluxzoo.checks.entry import EntryContext

CODE_RE = re.compile(r"^FZ\d{3}$")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
DOC_SECTIONS = ("## What it does", "## Why is this bad?", "## Example")

CheckFn = Callable[["EntryContext"], Iterable["Finding"]]
Edits = dict[str, "str | None"]
"""What a fix changes in one entry: relative path -> new text, or None to delete the file."""
FixFn = Callable[["EntryContext", list["Finding"]], Edits]


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


class Lifecycle(str, enum.Enum):
    STABLE = "stable"
    PREVIEW = "preview"
    """New and not yet on by default; runs when selected by its full code."""
    DEPRECATED = "deprecated"
    """Kept so configurations naming it still work; runs only when selected by its full code."""

    def __str__(self) -> str:
        return self.value


class Applies(str, enum.Enum):
    """Which entries a rule looks at."""

    STANDARD = "standard"
    """Entries with a tutorial.toml."""
    LEGACY = "legacy"
    """Only folders from before the standard (no tutorial.toml)."""
    ALL = "all"


class FixKind(str, enum.Enum):
    """Whether `fluxzoo check --fix` can repair a rule's findings, and how carefully."""

    SAFE = "safe"
    """Applied by `--fix`: the result has one right answer and keeps every line of code."""
    UNSAFE = "unsafe"
    """Applied only with `--unsafe-fixes`: mechanical, but it changes what the code says."""

    def __str__(self) -> str:
        return self.value


class ConflictScope(str, enum.Enum):
    """Which of a rule's findings an unresolved merge conflict (FZ303) makes noise."""

    FILE = "file"
    """Every finding in a file with a conflict block: a parser loses its place at a marker."""
    BLOCK = "block"
    """The findings on the lines of a block: they come from a side of the conflict."""

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class Rule:
    code: str
    name: str
    severity: Severity
    summary: str
    check: CheckFn = field(repr=False, compare=False)
    lifecycle: Lifecycle = Lifecycle.STABLE
    applies: Applies = Applies.STANDARD
    fix: FixKind | None = None
    """The kind of fix the rule has (None: its findings need a person)."""
    hidden_by_conflicts: ConflictScope | None = None
    """Findings not reported where FZ303 reports a merge conflict, which causes them."""

    def __str__(self) -> str:
        return self.code

    @property
    def doc(self) -> str:
        """The rule's explanation: its function's docstring, dedented."""
        import inspect

        return inspect.cleandoc(self.check.__doc__ or "")

    @classmethod
    def from_code(cls, code: str) -> Rule:
        """The rule a code names, following redirects of renamed codes."""
        return all_rules().get(code)

    def applies_to(self, legacy: bool) -> bool:
        if self.applies is Applies.ALL:
            return True
        return (self.applies is Applies.LEGACY) == legacy


class Registry:
    """Rules by code, plus the redirects of renamed codes."""

    def __init__(self, redirects: dict[str, str] | None = None) -> None:
        self._rules: dict[str, Rule] = {}
        self._fixers: dict[str, FixFn] = {}
        self.redirects: dict[str, str] = dict(redirects or {})

    def __iter__(self) -> Iterator[Rule]:
        return iter(sorted(self._rules.values(), key=lambda r: r.code))

    def __len__(self) -> int:
        return len(self._rules)

    def add(self, rule: Rule) -> Rule:
        if not CODE_RE.match(rule.code):
            raise ValueError(f"rule code {rule.code!r} does not match {CODE_RE.pattern}")
        if not NAME_RE.match(rule.name):
            raise ValueError(f"rule name {rule.name!r} is not kebab-case")
        if rule.code in self._rules or rule.code in self.redirects:
            raise ValueError(f"rule code {rule.code} is already taken")
        if any(r.name == rule.name for r in self._rules.values()):
            raise ValueError(f"rule name {rule.name} is already taken")
        self._rules[rule.code] = rule
        return rule

    def add_fixer(self, code: str, fixer: FixFn) -> None:
        rule = self._rules.get(code)
        if rule is None or rule.fix is None:
            raise ValueError(f"fixer for {code}: register the rule first, with fix=FixKind...")
        if code in self._fixers:
            raise ValueError(f"{code} already has a fixer")
        self._fixers[code] = fixer

    def fixer(self, rule: Rule) -> FixFn | None:
        """The function that repairs `rule`'s findings, if the rule has a fix."""
        return self._fixers.get(rule.code)

    def get(self, code: str) -> Rule:
        code = self.redirects.get(code, code)
        try:
            return self._rules[code]
        except KeyError:
            raise UsageError(
                f"unknown rule code {code!r}; 'fluxzoo check --list-rules' lists them"
            ) from None

    def select(self, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> list[Rule]:
        """The rules to run for `--select`/`--ignore` selectors (codes or prefixes)."""
        chosen = [self._selector(s, "--select") for s in select]
        dropped = [self._selector(s, "--ignore") for s in ignore]
        result = []
        for rule in self:
            best_on = max((len(s) for s in chosen if rule.code.startswith(s)), default=-1)
            best_off = max((len(s) for s in dropped if rule.code.startswith(s)), default=-1)
            if rule.lifecycle is not Lifecycle.STABLE:
                on = rule.code in chosen and best_on > best_off
            elif chosen:
                on = best_on > best_off
            else:
                on = best_off < 0
            if on:
                result.append(rule)
        return result

    def _selector(self, text: str, option: str) -> str:
        """A selector as given, normalised: redirected codes are replaced by their new code."""
        selector = text.strip().upper()
        selector = self.redirects.get(selector, selector)
        if not re.fullmatch(r"FZ\d{0,3}", selector):
            raise UsageError(
                f"{option} {text!r}: expected a rule code like FZ101 or a prefix like FZ1"
            )
        if not any(code.startswith(selector) for code in self._rules):
            raise UsageError(
                f"{option} {text!r}: no rule has this code or prefix; see --list-rules"
            )
        return selector


REDIRECTS: dict[str, str] = {}
"""Old code -> new code, for rules that were renumbered; old codes are never reused."""

REGISTRY = Registry(REDIRECTS)


def rule(
    *,
    code: str,
    name: str,
    severity: Severity,
    summary: str,
    applies: Applies = Applies.STANDARD,
    lifecycle: Lifecycle = Lifecycle.STABLE,
    fix: FixKind | None = None,
    hidden_by_conflicts: ConflictScope | None = None,
    registry: Registry = REGISTRY,
) -> Callable[[CheckFn], CheckFn]:
    """Register the decorated function as a rule; the function itself is returned unchanged."""

    def register(check: CheckFn) -> CheckFn:
        registry.add(
            Rule(
                code=code,
                name=name,
                severity=severity,
                summary=summary,
                check=check,
                lifecycle=lifecycle,
                applies=applies,
                fix=fix,
                hidden_by_conflicts=hidden_by_conflicts,
            )
        )
        return check

    return register


def fixer(code: str, *, registry: Registry = REGISTRY) -> Callable[[FixFn], FixFn]:
    """Register the decorated function as the fix of rule `code` (declared with `fix=`).

    A fixer gets the entry and the rule's findings on it and returns the edits, without
    writing anything: `checks.fixes` applies them to a staged copy, re-checks, and writes.
    """

    def register(fn: FixFn) -> FixFn:
        registry.add_fixer(code, fn)
        return fn

    return register


def all_rules() -> Registry:
    """The registry with every rule module loaded."""
    import fluxzoo.checks.rules  # noqa: F401  (registers the rules)

    return REGISTRY
