"""`fluxzoo check --fix`: repair what has one right answer, in a staged copy, then write it.

Each fixable rule declares its kind in the registry (`fix=FixKind.SAFE` or `UNSAFE`) and has a
fixer (`@fixer(code)`): a pure function from the entry and the rule's findings to edits
(relative path -> new text, or None to delete). Fixers never write. Here the entry is copied
into a temporary folder (under a parent of the same name, so category rules see the same
place), every selected fixer runs on the copy, the rules are run again on the result, and that
repeats until nothing changes (a fix may uncover another: an added package needs a bound).
Only then are the files that differ written to the entry, each atomically, so an interrupted
run leaves every file either as it was or as fixed. A second run finds nothing to fix and
changes no byte. An entry with an unresolved merge conflict (FZ303) is not fixed: its files
hold two versions at once, and what is derived from them would carry the markers.
"""

from __future__ import annotations

import shutil
import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import FixFn, FixKind, Rule, all_rules

MAX_PASSES = 4
"""Fixes converge in two passes today (a package, then its bound); more means a fixer loops."""


@dataclass
class FixOutcome:
    """What fixing one entry changes: each touched file before and after (None: absent)."""

    entry: Path
    before: dict[str, bytes | None] = field(default_factory=dict)
    after: dict[str, bytes | None] = field(default_factory=dict)
    fixed: Counter[str] = field(default_factory=Counter)
    """Rule code -> number of its findings the fixes removed."""
    skipped: str = ""
    """Why the entry was not fixed at all (empty: it was)."""

    @property
    def changed(self) -> list[str]:
        return sorted(rel for rel in self.after if self.after[rel] != self.before.get(rel))


def fixers(rules: Sequence[Rule], *, unsafe: bool) -> list[tuple[Rule, FixFn]]:
    """The selected rules whose fixes may run, with their fixers, in code order."""
    registry = all_rules()
    chosen = []
    for rule in rules:
        fn = registry.fixer(rule)
        if fn is not None and (rule.fix is FixKind.SAFE or unsafe):
            chosen.append((rule, fn))
    return chosen


def _counts(staged: Path, rules: Sequence[tuple[Rule, FixFn]]) -> Counter[str]:
    entry = EntryContext(staged)
    return Counter(
        {r.code: sum(1 for _ in r.check(entry)) for r, _ in rules if r.applies_to(entry.legacy)}
    )


def _read(path: Path) -> bytes | None:
    from fluxzoo import reading

    if not path.exists() and not path.is_symlink():
        return None
    return reading.read_bytes(path, within=path.parent)


def _stage(entry: Path, tmp: Path) -> Path:
    from fluxzoo.transaction import copy_regular

    real = entry.resolve()
    staged = tmp / real.parent.name / real.name
    shutil.copytree(
        real,
        staged,
        symlinks=True,
        ignore=shutil.ignore_patterns(".git"),
        copy_function=copy_regular,
    )
    return staged


def plan_fixes(entry: Path, rules: Sequence[Rule], *, unsafe: bool = False) -> FixOutcome:
    """Work out every fix for `entry` on a staged copy; nothing in `entry` is written."""
    outcome = FixOutcome(entry=entry)
    chosen = fixers(rules, unsafe=unsafe)
    if not chosen:
        return outcome
    context = EntryContext(entry)
    conflicted = [rel for rel in context.text_files if context.conflicts(rel)]
    if conflicted:
        outcome.skipped = (
            f"unresolved merge conflicts in {', '.join(conflicted)}; resolve them first (FZ303)"
        )
        return outcome
    with tempfile.TemporaryDirectory(prefix="fluxzoo-fix-") as tmp:
        try:
            staged = _stage(entry, Path(tmp))
        except (shutil.Error, OSError) as e:
            from fluxzoo.transaction import first_error

            outcome.skipped = f"cannot copy the entry to fix it: {first_error(e)}"
            return outcome
        before = _counts(staged, chosen)
        for _ in range(MAX_PASSES):
            if not _one_pass(staged, chosen, outcome):
                break
        after = _counts(staged, chosen)
        outcome.fixed = Counter({c: n - after[c] for c, n in before.items() if n > after[c]})
        for rel in outcome.after:
            outcome.after[rel] = _read(staged / rel)
    return outcome


def _one_pass(staged: Path, chosen: Sequence[tuple[Rule, FixFn]], outcome: FixOutcome) -> bool:
    """Run each fixer once on the staged entry; whether any changed a file."""
    changed = False
    for rule, fn in chosen:
        entry = EntryContext(staged)  # fresh: the previous fixer may have changed files
        if not rule.applies_to(entry.legacy):
            continue
        findings = list(rule.check(entry))
        if not findings:
            continue
        for rel, text in fn(entry, findings).items():
            path = staged / rel
            data = None if text is None else text.encode("utf-8")
            current = _read(path)
            if data == current:
                continue
            outcome.before.setdefault(rel, _read(outcome.entry / rel))
            outcome.after[rel] = data
            if data is None:
                path.unlink()
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(data)
            changed = True
    return changed


def apply(outcome: FixOutcome) -> None:
    """Write the changed files of `outcome` into its entry: all of them, or none."""
    from fluxzoo.transaction import Files

    change = Files(f"fixed {outcome.entry}", label="fix")
    for rel in outcome.changed:
        data = outcome.after[rel]
        if data is None:
            if (outcome.entry / rel).exists() or (outcome.entry / rel).is_symlink():
                change.remove(outcome.entry, rel)
        else:
            change.write(outcome.entry, rel, data)
    change.commit()


def _text(data: bytes | None) -> str | None:
    return None if data is None else data.decode("utf-8", errors="replace")


def diff(outcome: FixOutcome) -> str:
    """The unified diff of `outcome`, as `git diff` would show it."""
    from fluxzoo.diffs import unified

    return "".join(
        unified(
            (outcome.entry / rel).as_posix(),
            _text(outcome.before.get(rel)),
            _text(outcome.after[rel]),
        )
        for rel in outcome.changed
    )
