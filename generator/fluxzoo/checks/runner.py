"""`fluxzoo check`: find the entries, run the selected rules on each, print, pick the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import partial
from pathlib import Path

from fluxzoo.checks.diagnostics import (
    FORMATTERS,
    Diagnostic,
    Finding,
    Summary,
    diagnostic,
    summary_line,
)
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import FixKind, Rule, Severity, all_rules
from fluxzoo.errors import UsageError

EXIT_CLEAN = 0
EXIT_ERRORS = 1


def check_entry(path: Path, rules: Iterable[Rule]) -> list[Diagnostic]:
    """Every finding of `rules` on the entry folder at `path`, sorted by place."""
    rules = list(rules)
    return _diagnostics(path, _findings(path, rules), rules)


def _findings(path: Path, rules: Sequence[Rule]) -> list[tuple[str, Finding]]:
    entry = EntryContext(path)
    return [
        (rule.code, finding)
        for rule in rules
        if rule.applies_to(entry.legacy)
        for finding in rule.check(entry)
        if not entry.caused_by_conflict(finding, rule.hidden_by_conflicts)
    ]


def _diagnostics(
    path: Path, found: Iterable[tuple[str, Finding]], rules: Sequence[Rule]
) -> list[Diagnostic]:
    by_code = {rule.code: rule for rule in rules}
    return sorted(
        (
            diagnostic(path, finding, code, by_code[code].name, by_code[code].severity)
            for code, finding in found
        ),
        key=Diagnostic.sort_key,
    )


def check(
    entries: Sequence[Path],
    rules: Sequence[Rule],
    *,
    strict: bool = False,
    label: str = "Checking",
    cached: bool = False,
) -> list[Diagnostic]:
    """Every finding of `rules` on each entry; `strict` makes warnings errors.

    With `cached`, an entry as last checked is answered from the result cache
    (`checks.cache`) and the others are recorded there. The rest run on every core
    (`workers`), with a progress bar on a terminal; looking the cache up first keeps a
    second run from forking for nothing.
    """
    from fluxzoo._console import progress
    from fluxzoo.checks import cache
    from fluxzoo.workers import ordered_map

    paths = list(entries)
    codes = [rule.code for rule in rules]
    keys = {path: cache.entry_key(path, codes) for path in paths} if cached else {}
    found = {path: cache.load(path, codes, key) for path, key in keys.items()}
    todo = [path for path in paths if found.get(path) is None]
    with ordered_map(partial(_findings, rules=rules), todo) as results:
        for path, rows in zip(todo, progress(results, label, len(todo)), strict=True):
            found[path] = rows
            if cached:
                cache.store(path, codes, keys[path], rows)
    diagnostics = [d for path in paths for d in _diagnostics(path, found[path] or (), rules)]
    if strict:
        diagnostics = [replace(d, severity=Severity.ERROR) for d in diagnostics]
    return diagnostics


def _selectors(text: str | None) -> list[str]:
    return [part for part in (text or "").split(",") if part.strip()]


def _rule_fields(r: Rule) -> dict[str, object]:
    return {
        "code": r.code,
        "name": r.name,
        "severity": r.severity.value,
        "lifecycle": r.lifecycle.value,
        "applies": r.applies.value,
        "fix": r.fix.value if r.fix else None,
        "summary": r.summary,
        "doc": r.doc,
    }


def rules_listing(rules: Iterable[Rule], fmt: str) -> str:
    """`--list-rules`: one line per rule (text), or every field and the full docs (json)."""
    rules = list(rules)
    if fmt == "json":
        return json.dumps([_rule_fields(r) for r in rules], indent=2) + "\n"
    width = max(len(r.name) for r in rules)
    lines = []
    for r in rules:
        note = (
            ""
            if r.lifecycle.value == "stable"
            else f" ({r.lifecycle.value}: runs only when selected by code)"
        )
        lines.append(
            f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {_fix_mark(r)}  {r.summary}{note}"
        )
    return "\n".join(lines) + "\n"


def _fix_mark(r: Rule) -> str:
    """`[*]` a safe fix (--fix), `[~]` an unsafe one (--unsafe-fixes), blank: none (as ruff)."""
    return {None: "   ", FixKind.SAFE: "[*]", FixKind.UNSAFE: "[~]"}[r.fix]


def _fix_sentence(r: Rule) -> str:
    if r.fix is FixKind.SAFE:
        return "fix: safe, applied by --fix"
    if r.fix is FixKind.UNSAFE:
        return "fix: unsafe, applied by --fix --unsafe-fixes"
    return "no fix: the findings need a person"


def explain(r: Rule, fmt: str) -> str:
    """`--explain CODE`: the rule's documentation, with its severity and fix kind."""
    if fmt == "json":
        return json.dumps(_rule_fields(r), indent=2) + "\n"
    runs_on = {"standard": "entries", "legacy": "legacy folders", "all": "entries and legacy"}
    return (
        f"# {r.code} {r.name}\n\n{r.summary}.\n\n"
        f"Severity: {r.severity.value}; runs on {runs_on[r.applies.value]}; {r.lifecycle.value}; "
        f"{_fix_sentence(r)}.\n\n{r.doc}\n"
    )


def statistics(diagnostics: Sequence[Diagnostic], fmt: str) -> str:
    """`--statistics`: findings per rule, most frequent first, marked as fixable (as ruff)."""
    counts = Counter(d.code for d in diagnostics)
    rules = [Rule.from_code(code) for code, _ in counts.most_common()]
    if fmt == "json":
        rows = [
            {"code": r.code, "name": r.name, "count": counts[r.code], "fix": _rule_fields(r)["fix"]}
            for r in rules
        ]
        return json.dumps(rows, indent=2) + "\n"
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{counts[r.code]:>{width}}  {r.code}  {_fix_mark(r)} {r.name}\n" for r in rules)


def _fixable_hint(diagnostics: Sequence[Diagnostic]) -> str:
    rules = {d.code: Rule.from_code(d.code) for d in diagnostics}
    safe = sum(1 for d in diagnostics if rules[d.code].fix is FixKind.SAFE)
    unsafe = sum(1 for d in diagnostics if rules[d.code].fix is FixKind.UNSAFE)
    if not safe and not unsafe:
        return ""
    parts = [f"[*] {safe} finding(s) have a safe fix: 'fluxzoo check --fix' applies them"]
    if unsafe:
        parts.append(f"[~] {unsafe} more with --unsafe-fixes (see them first with --diff)")
    return "\n".join(parts) + "\n"


def _fix(entries: Sequence[Path], rules: Sequence[Rule], args: argparse.Namespace) -> int | None:
    """`--fix`/`--diff`: an exit status when the run ends here (--diff), else None."""
    from fluxzoo._console import progress
    from fluxzoo.checks import fixes

    unsafe = args.unsafe_fixes
    outcomes = [fixes.plan_fixes(e, rules, unsafe=unsafe) for e in progress(list(entries), "Fix")]
    fixed = sum((o.fixed for o in outcomes), Counter())
    files = sum(len(o.changed) for o in outcomes)
    by_rule = ", ".join(f"{code} {n}" for code, n in sorted(fixed.items()))
    for o in outcomes:
        if o.skipped:
            print(f"{o.entry}: not fixed: {o.skipped}", file=sys.stderr)
    if args.diff:
        sys.stdout.write("".join(fixes.diff(o) for o in outcomes))
        print(
            f"Would fix {sum(fixed.values())} finding(s) in {files} file(s)"
            + (f" ({by_rule})" if by_rule else "")
            + "; nothing was written (--diff).",
            file=sys.stderr,
        )
        return EXIT_ERRORS if files else EXIT_CLEAN
    for o in outcomes:
        fixes.apply(o)
    print(
        f"Fixed {sum(fixed.values())} finding(s) in {files} file(s)"
        + (f" ({by_rule})" if by_rule else "")
        + ".",
        file=sys.stderr,
    )
    return None


def _write(text: str, fmt: str) -> None:
    from fluxzoo._console import write_highlighted

    if fmt == "text":
        write_highlighted(text)
    else:
        sys.stdout.write(text)


def run_check(args: argparse.Namespace) -> int:
    """The `check` subcommand: print the findings in `args.format`; exit 1 when any is an error."""
    registry = all_rules()
    if args.explain:
        _write(explain(registry.get(args.explain.strip().upper()), args.format), args.format)
        return EXIT_CLEAN
    if args.list_rules:
        _write(rules_listing(registry, args.format), args.format)
        return EXIT_CLEAN
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes goes with --fix (apply) or --diff (show)")
    from fluxzoo.entries import require_entries

    rules = registry.select(_selectors(args.select), _selectors(args.ignore))
    entries = require_entries(args.paths, include_legacy=True)
    if args.fix or args.diff:
        status = _fix(entries, rules, args)
        if status is not None:
            return status
    found = check(entries, rules, strict=args.strict, cached=not args.no_cache)
    summary = Summary.of(len(entries), found)
    if args.statistics:
        out = statistics(found, args.format)
        if args.format != "json":
            out += summary_line(summary) + "\n"
    else:
        out = FORMATTERS[args.format](found, summary)
    _write(out, args.format)
    if args.format == "text" and not args.fix:
        sys.stderr.write(_fixable_hint(found))
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in found) else EXIT_CLEAN
