"""Writing an adoption: build the entry in a copy, check it there, then swap it in whole."""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from dataclasses import dataclass
from pathlib import Path

from fluxzoo.adopt.changes import TODO, Plan
from fluxzoo.adopt.plan import plan_adoption
from fluxzoo.errors import FluxzooError
from fluxzoo.transaction import Folder, inside, write_private


def _apply(plan: Plan, staged: Path) -> None:
    from fluxzoo.sync import derived_files

    for rel in plan.removed:
        inside(staged, rel).unlink()
    for rel, text in plan.files.items():
        write_private(staged, rel, text)
    for rel, text in derived_files(staged).items():
        write_private(staged, rel, text)


def _remaining(staged: Path, shown_as: Path) -> list[str]:
    """What `fluxzoo check` still reports on the adopted entry, as lines naming `shown_as`."""
    from fluxzoo.checks.registry import all_rules
    from fluxzoo.checks.runner import check_entry

    found = check_entry(staged, all_rules().select())
    prefix = staged.as_posix()
    return [
        f"{shown_as.as_posix()}{d.path[len(prefix) :]}"
        + (f":{d.line}" if d.line else "")
        + f": {d.code} {d.message}"
        for d in found
    ]


@dataclass
class Result:
    plan: Plan
    todos: list[str]
    gaps: list[str]


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
    return Result(
        plan,
        todos=[f for f in findings if TODO[:-1] in f],
        gaps=[f for f in findings if TODO[:-1] not in f],
    )


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
    if result.todos:
        lines.append(f"Left for a person ({TODO[:-1]} markers):")
        lines += [f"  {t}" for t in result.todos]
    if result.gaps:
        lines.append("What the legacy entry itself lacks (fluxzoo check):")
        lines += [f"  {g}" for g in result.gaps]
    if dry_run:
        lines.append("Nothing was written (--dry-run).")
    return "\n".join(lines) + "\n"


def run_adopt(args: argparse.Namespace) -> int:
    result = adopt(args.path, force=args.force, dry_run=args.dry_run)
    sys.stdout.write(report(result, args.path, args.dry_run))
    return 0
