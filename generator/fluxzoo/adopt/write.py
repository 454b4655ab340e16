"""Writing an adoption: build the entry in a copy, check it there, then swap it in whole.

`fluxzoo adopt PATH ...` takes legacy entries, or a category folder or a zoo, where it adopts
every legacy entry under it (those already in the standard are skipped) and prints one line
per entry with its modernisation worklist. One entry given by itself gets the full report.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fluxzoo.adopt.changes import TODO, Plan
from fluxzoo.adopt.plan import plan_adoption
from fluxzoo.errors import FluxzooError
from fluxzoo.transaction import Folder, inside, write_private

if TYPE_CHECKING:
    from fluxzoo.checks.diagnostics import Diagnostic

API_FAMILY = "FZ5"
"""The rules of the code against the Julia API (removed, deprecated, outdated, unknown names):
what a person changes to modernise an adopted entry, shown as its worklist."""


def _apply(plan: Plan, staged: Path) -> None:
    from fluxzoo.sync import derived_files

    for rel in plan.removed:
        inside(staged, rel).unlink()
    for rel, text in plan.files.items():
        write_private(staged, rel, text)
    for rel, text in derived_files(staged).items():
        write_private(staged, rel, text)


def _remaining(staged: Path, shown_as: Path) -> list[Diagnostic]:
    """What `fluxzoo check` reports on the adopted entry (and the API family, preview or not)."""
    from fluxzoo.checks.registry import Lifecycle, all_rules
    from fluxzoo.checks.runner import check_entry

    rules = [
        r
        for r in all_rules()
        if r.lifecycle is Lifecycle.STABLE
        or (r.code.startswith(API_FAMILY) and r.lifecycle is Lifecycle.PREVIEW)
    ]
    prefix = staged.as_posix()
    return [
        replace(d, path=f"{shown_as.as_posix()}{d.path[len(prefix) :]}")
        for d in check_entry(staged, rules)
    ]


def _line(d: Diagnostic) -> str:
    return d.path + (f":{d.line}" if d.line else "") + f": {d.code} {d.message}"


@dataclass
class Result:
    plan: Plan
    todos: list[str]
    gaps: list[str]
    worklist: list[Diagnostic] = field(default_factory=list)
    """The API family's findings: the code to modernise, in file and line order."""

    def worklist_by_rule(self) -> dict[tuple[str, str], list[Diagnostic]]:
        groups: dict[tuple[str, str], list[Diagnostic]] = {}
        for d in self.worklist:
            groups.setdefault((d.code, d.name), []).append(d)
        return dict(sorted(groups.items()))


def adopt(
    entry: Path, *, force: bool = False, dry_run: bool = False, today: dt.date | None = None
) -> Result:
    """Adopt `entry` (or, with `dry_run`, only work out what adopting it would do)."""
    plan = plan_adoption(entry, force=force, today=today)
    with Folder(plan.entry, prefix=".fluxzoo-adopt-", what=f"adopted {entry}", copy=True) as new:
        try:
            _apply(plan, new.path)
        except OSError as e:
            raise FluxzooError(f"cannot adopt: {e.strerror}", path=e.filename) from None
        findings = _remaining(new.path, entry)
        if not dry_run:
            new.commit()
    worklist = [d for d in findings if d.code.startswith(API_FAMILY)]
    others = [_line(d) for d in findings if not d.code.startswith(API_FAMILY)]
    return Result(
        plan,
        todos=[f for f in others if TODO[:-1] in f],
        gaps=[f for f in others if TODO[:-1] not in f],
        worklist=worklist,
    )


def _worklist(result: Result) -> list[str]:
    if not result.worklist:
        return []
    lines = [
        "Modernisation worklist (the code against its Flux stack; "
        "'fluxzoo check --explain CODE' says more):"
    ]
    for (code, name), found in result.worklist_by_rule().items():
        lines.append(f"  {code} {name} ({len(found)}):")
        lines += [f"    {_line(d)}" for d in found]
    return lines


def report(result: Result, entry: Path, dry_run: bool) -> str:
    plan = result.plan
    verb = "Would adopt" if dry_run else "Adopted"
    lines = [
        f"{verb} {entry} (slug {plan.slug}, category {plan.category}, "
        f"main script {plan.main_script}):"
    ]
    width = max(len(c.action) for c in plan.changes)
    for c in plan.changes:
        lines.append(f"  {c.action:<{width}}  {c.path}" + (f"  ({c.note})" if c.note else ""))
    if plan.notes:
        lines.append("Guessed or kept; check these:")
        lines += [f"  - {n}" for n in plan.notes]
    lines += _worklist(result)
    if result.todos:
        lines.append(f"Left for a person ({TODO[:-1]} markers):")
        lines += [f"  {t}" for t in result.todos]
    if result.gaps:
        lines.append("What the legacy entry itself lacks (fluxzoo check):")
        lines += [f"  {g}" for g in result.gaps]
    if dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines) + "\n"


def summary(result: Result, entry: Path, dry_run: bool) -> str:
    """One line for the entry, and its worklist as one line per rule with the lines."""
    plan = result.plan
    verb = "would adopt" if dry_run else "adopted"
    head = (
        f"{entry}: {verb} (main script {plan.main_script}, kind "
        f"{plan.kind}): {len(result.todos)} {TODO[:-1]} marker(s), "
        f"{len(result.gaps)} other finding(s), {len(result.worklist)} in the worklist"
    )
    lines = [head]
    for (code, name), found in result.worklist_by_rule().items():
        where = ", ".join(
            (d.path.rsplit("/", 1)[-1] + ":" if not d.path.endswith(f"/{plan.slug}.jl") else "")
            + str(d.line or "")
            for d in found
        )
        lines.append(f"  {code} {name} ({len(found)}): lines {where}")
    return "\n".join(lines) + "\n"


def _targets(paths: list[Path]) -> tuple[list[Path], bool]:
    """The folders to adopt, and whether they were found under a category or zoo folder."""
    from fluxzoo import entries

    found: list[Path] = []
    many = False
    for path in paths:
        if not path.is_dir() or entries.is_entry(path) or entries.is_legacy_entry(path):
            found.append(path)
            continue
        under = entries.find_entries([path], include_legacy=True)
        if under:
            found += under
            many = True
        else:
            found.append(path)  # plan_adoption says what is wrong with it
    return list(dict.fromkeys(found)), many or len(found) > 1


def run_adopt(args: argparse.Namespace) -> int:
    from fluxzoo import entries

    targets, many = _targets(list(args.paths))
    if not many:
        [entry] = targets
        result = adopt(entry, force=args.force, dry_run=args.dry_run)
        sys.stdout.write(report(result, entry, args.dry_run))
        return 0
    failed = False
    for entry in targets:
        if entries.is_entry(entry):
            print(f"{entry}: skipped: already in the standard; 'fluxzoo update' keeps it current")
            continue
        try:
            result = adopt(entry, force=args.force, dry_run=args.dry_run)
        except FluxzooError as e:
            failed = True
            print(f"{entry}: skipped: {e.message}")
            continue
        sys.stdout.write(summary(result, entry, args.dry_run))
    if args.dry_run:
        print("Nothing was written (--dry-run).")
    return 1 if failed else 0
