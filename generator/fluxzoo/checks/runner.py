"""`fluxzoo check`: find the entries, run the selected rules on each, print, pick the exit code."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from fluxzoo.checks.diagnostics import FORMATTERS, Diagnostic, Summary, diagnostic
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Rule, Severity, all_rules
from fluxzoo.errors import UsageError

EXIT_CLEAN = 0
EXIT_ERRORS = 1


def check_entry(path: Path, rules: Iterable[Rule]) -> list[Diagnostic]:
    """Every finding of `rules` on the entry folder at `path`, sorted by place."""
    entry = EntryContext(path)
    found = [
        diagnostic(path, finding, rule.code, rule.name, rule.severity)
        for rule in rules
        if rule.applies_to(entry.legacy)
        for finding in rule.check(entry)
    ]
    return sorted(found, key=Diagnostic.sort_key)


def check(
    entries: Sequence[Path], rules: Sequence[Rule], *, strict: bool = False, label: str = "Checking"
) -> list[Diagnostic]:
    """Check each entry in turn (a progress bar on a terminal); `strict` makes warnings errors."""
    from fluxzoo._console import progress

    found = [d for path in progress(list(entries), label) for d in check_entry(path, rules)]
    if strict:
        found = [replace(d, severity=Severity.ERROR) for d in found]
    return found


def _selectors(text: str | None) -> list[str]:
    return [part for part in (text or "").split(",") if part.strip()]


def rules_listing(rules: Iterable[Rule], fmt: str) -> str:
    """`--list-rules`: one line per rule (text), or every field and the full docs (json)."""
    rules = list(rules)
    if fmt == "json":
        return (
            json.dumps(
                [
                    {
                        "code": r.code,
                        "name": r.name,
                        "severity": r.severity.value,
                        "lifecycle": r.lifecycle.value,
                        "applies": r.applies.value,
                        "summary": r.summary,
                        "doc": r.doc,
                    }
                    for r in rules
                ],
                indent=2,
            )
            + "\n"
        )
    width = max(len(r.name) for r in rules)
    lines = []
    for r in rules:
        note = (
            ""
            if r.lifecycle.value == "stable"
            else f" ({r.lifecycle.value}: runs only when selected by code)"
        )
        lines.append(f"{r.code}  {r.name:<{width}}  {r.severity.value:<7}  {r.summary}{note}")
    return "\n".join(lines) + "\n"


def run_check(args: argparse.Namespace) -> int:
    """The `check` subcommand: print the findings in `args.format`; exit 1 when any is an error."""
    registry = all_rules()
    if args.list_rules:
        sys.stdout.write(rules_listing(registry, args.format))
        return EXIT_CLEAN
    from fluxzoo.entries import find_entries

    rules = registry.select(_selectors(args.select), _selectors(args.ignore))
    entries = find_entries(args.paths, include_legacy=True)
    if not entries:
        where = ", ".join(str(p) for p in args.paths) or "the current folder"
        raise UsageError(
            f"no entries in {where}: give an entry folder (with tutorial.toml), "
            "a category folder or a zoo checkout"
        )
    found = check(entries, rules, strict=args.strict)
    sys.stdout.write(FORMATTERS[args.format](found, Summary.of(len(entries), found)))
    return EXIT_ERRORS if any(d.severity is Severity.ERROR for d in found) else EXIT_CLEAN
