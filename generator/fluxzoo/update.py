"""`fluxzoo update`: bring entries to the current template, keeping the contributor's edits.

`fluxzoo update [PATH ...]` takes entries, categories or a zoo and prints one line per entry:
updated, already current, conflicts in FILES, or skipped and why (a legacy folder: adopt it
first). The exit status is 1 when any entry conflicted or could not be updated. Each entry is
its own transaction (`fluxzoo.transaction`): an interrupt leaves it as it was or updated, and
the entries before it updated.

First, `tutorial.toml` is migrated from the template version it records to the current one
(`fluxzoo.migrations`, one registered step per version). Then:

- An entry made by `fluxzoo new` (its answers are recorded) gets a three-way merge per file:
  *ours* is the entry as it is now, *theirs* what the current template renders from the
  (migrated) answers, and the *base* what the recorded template version rendered from the
  recorded answers. Where the base comes from: each released template version stays available
  as `template_history/<version>/` beside `template/` (when `_template_version` is bumped, the
  previous `template/` is copied there); rendering is deterministic (answers are data, the date
  is an answer), so the base is rebuilt exactly instead of being stored in every entry.
  `tutorial.toml` is not merged: it is the contributor's, migrated, with `[fluxzoo]` set to the
  current version and answers, edited in place (comments and order stay).
- An adopted entry (no answers: it was never rendered) gets only what the standard owns
  (`fluxzoo.standard_parts`); its code is never changed.

Either way the notebook and docs pages are derived again from the script, unless it has
conflict markers. Merging uses `git merge-file` (git is on every machine that works on the
zoo). Conflicts are written into the file with `<<<<<<<`/`>>>>>>>` markers showing both sides
(`fluxzoo check` reports them as FZ303) and nothing the contributor wrote is dropped; the entry
then records the current version, so running update again does not merge twice. `--dry-run`
prints the unified diff and writes nothing. All files of an entry are computed before the
first one is written.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fluxzoo import _paths, answers, metadata
from fluxzoo.errors import FluxzooError, UsageError

HISTORY_DIR = "template_history"


@dataclass
class Outcome:
    """What updating one entry gives: new file texts, removals, conflicts, notes."""

    entry: Path
    old_version: str
    new_version: str
    files: dict[str, str] = field(default_factory=dict)
    """Relative path -> merged text, only for files whose text changes."""
    removed: list[str] = field(default_factory=list)
    conflicts: dict[str, int] = field(default_factory=dict)
    """Relative path -> number of conflicting hunks."""
    notes: list[str] = field(default_factory=list)
    current: dict[str, str | None] = field(default_factory=dict)
    """The text each changed file has now (None: it does not exist yet)."""


def template_for(version: str) -> Path:
    """The template folder that rendered entries of `version`."""
    if version == answers.template_version():
        return _paths.template_dir()
    archived = _paths.repo_root() / HISTORY_DIR / version
    if not (archived / "cookiecutter.json").is_file():
        raise FluxzooError(
            f"template version {version} is not shipped with this fluxzoo, "
            "so the entry's base cannot "
            f"be rebuilt; update with the fluxzoo release that has it, or merge by hand"
        )
    return archived


def _recorded(meta: dict[str, Any], path: Path) -> tuple[str, dict[str, Any] | None]:
    """The template version that last wrote the entry, and its answers (None: adopted)."""
    table = meta.get("fluxzoo")
    table = table if isinstance(table, dict) else {}
    version = table.get("template_version")
    if not isinstance(version, str) or not version:
        raise UsageError(
            "no [fluxzoo] template_version: cannot tell which template made it; set it to "
            "the version the entry was made or adopted with",
            path=path,
        )
    recorded = table.get("answers")
    return version, dict(recorded) if isinstance(recorded, dict) else None


def _texts(root: Path) -> dict[str, str]:
    found = {}
    for path in sorted(root.rglob("*")):
        if path.is_file():
            found[path.relative_to(root).as_posix()] = path.read_text(encoding="utf-8")
    return found


def _render(resolved: answers.Answers, template: Path, work: Path, name: str) -> dict[str, str]:
    from fluxzoo.render import render_entry

    entry = render_entry(resolved, work / name / resolved["slug"], template=template, scratch=True)
    return _texts(entry)


def _git() -> str:
    git = shutil.which("git")
    if git is None:
        raise FluxzooError(
            "git is needed to merge the template's changes with yours; install git and run again"
        )
    return git


def merge3(ours: str, base: str, theirs: str, *, label: str, old: str, new: str) -> tuple[str, int]:
    """`git merge-file` on three texts: the merged text and the number of conflicts."""
    with tempfile.TemporaryDirectory(prefix="fluxzoo-merge-") as tmp:
        paths = []
        for name, text in (("ours", ours), ("base", base), ("theirs", theirs)):
            p = Path(tmp) / name
            p.write_text(text, encoding="utf-8", newline="\n")
            paths.append(str(p))
        labels = [f"{label} (yours)", f"{label} (template {old})", f"{label} (template {new})"]
        result = subprocess.run(
            [
                _git(),
                "merge-file",
                "-p",
                "--diff3",
                *(x for lb in labels for x in ("-L", lb)),
                *paths,
            ],
            capture_output=True,
            check=False,
        )
    if result.returncode < 0 or result.returncode > 127:
        raise FluxzooError(
            f"git merge-file failed: {result.stderr.decode(errors='replace').strip()}", path=label
        )
    return result.stdout.decode("utf-8"), result.returncode


def _read_current(entry: Path, rel: str) -> str | None:
    from fluxzoo import reading

    path = entry / rel
    if not path.exists() and not path.is_symlink():
        return None
    try:
        return reading.read_text(path, within=entry)
    except reading.ReadError as e:
        raise FluxzooError(f"{e.reason}, and run again", path=path) from None


def plan_update(entry: Path) -> Outcome:
    """Work out the update of `entry` without writing anything to it."""
    from fluxzoo import migrations

    path = entry / metadata.FILENAME
    meta = metadata.read(entry)
    old_version, stored = _recorded(meta, path)
    new_version = answers.template_version()
    outcome = Outcome(entry=entry, old_version=old_version, new_version=new_version)
    current = _read_current(entry, metadata.FILENAME) or ""
    try:
        migrated, outcome.notes = migrations.migrate(current, old_version, new_version)
    except FluxzooError as e:
        raise UsageError(e.message, path=path) from None
    if stored is None:
        _plan_standard_parts(outcome, current)
    else:
        _plan_merge(outcome, stored, migrated)
    slug = metadata.tomllib.loads(outcome.files.get(metadata.FILENAME, current)).get("slug")
    if isinstance(slug, str) and slug:
        _rederive(outcome, slug)
    return outcome


def _plan_standard_parts(outcome: Outcome, meta_text: str) -> None:
    """An adopted entry: only what the standard owns changes (`fluxzoo.standard_parts`)."""
    from fluxzoo.standard_parts import standard_files

    files, notes = standard_files(
        outcome.entry, meta_text, outcome.old_version, outcome.new_version
    )
    outcome.notes += notes
    for rel, text in files.items():
        current = _read_current(outcome.entry, rel)
        if text != current:
            outcome.current[rel] = current
            outcome.files[rel] = text


def _plan_merge(outcome: Outcome, stored: dict[str, Any], migrated: str) -> None:
    """An entry made by `fluxzoo new`: merge the template's changes with the contributor's.

    The base is rendered from the answers as recorded; the new side from the answers as the
    migrations left them. tutorial.toml is not merged: it is the contributor's, migrated.
    """
    from fluxzoo.sync import DOCS_PAGE, flavor_page

    entry, path = outcome.entry, outcome.entry / metadata.FILENAME
    migrated_answers = metadata.tomllib.loads(migrated).get("fluxzoo", {}).get("answers", {})
    try:
        base_answers = answers.resolve(stored)
        new_answers = answers.resolve(migrated_answers)
    except FluxzooError as e:
        raise UsageError(f"a stored answer is no longer valid: {e.message}", path=path) from None
    slug = base_answers["slug"]
    pages = {flavor_page(slug, a["docs_flavor"]) for a in (base_answers, new_answers)}
    own = {f"{slug}.ipynb", DOCS_PAGE, metadata.FILENAME} | (pages - {None})  # derived
    with tempfile.TemporaryDirectory(prefix="fluxzoo-update-") as tmp:
        base = _render(base_answers, template_for(outcome.old_version), Path(tmp), "base")
        theirs = _render(new_answers, _paths.template_dir(), Path(tmp), "new")
    for rel in sorted((set(base) | set(theirs)) - own):
        ours = _read_current(entry, rel)
        merged = _merge_one(outcome, rel, ours, base.get(rel), theirs.get(rel))
        if merged == "":
            outcome.removed.append(rel)
        elif merged is not None and merged != ours:
            outcome.files[rel] = merged
        else:
            continue
        outcome.current[rel] = ours
    restamped = _restamp_answers(migrated, dict(new_answers))
    current = _read_current(entry, metadata.FILENAME)
    if restamped != current:
        outcome.current[metadata.FILENAME] = current
        outcome.files[metadata.FILENAME] = restamped


def _merge_one(
    outcome: Outcome, rel: str, ours: str | None, base: str | None, theirs: str | None
) -> str | None:
    """The file's new text; "" to remove it; None to leave it alone."""
    if theirs is None:  # the template no longer makes this file
        if ours is not None and ours == base:
            return ""
        if ours is not None:
            outcome.notes.append(
                f"{rel}: the template no longer has it; kept because you changed it"
            )
        return None
    if ours is None:
        if base is None:
            return theirs  # new in the template
        if base != theirs:
            outcome.notes.append(f"{rel}: you removed it and the template changed it; left removed")
        return None
    merged, conflicts = merge3(
        ours,
        base if base is not None else "",
        theirs,
        label=rel,
        old=outcome.old_version,
        new=outcome.new_version,
    )
    if conflicts:
        outcome.conflicts[rel] = conflicts
    return merged


def _restamp_answers(text: str, resolved: dict[str, Any]) -> str:
    """tutorial.toml `text` whose `[fluxzoo.answers]` are `resolved`, other lines kept."""
    from fluxzoo import tomledit

    recorded = metadata.tomllib.loads(text).get("fluxzoo", {}).get("answers", {})
    changed = {k: v for k, v in resolved.items() if recorded.get(k) != v}
    gone = [k for k in recorded if k not in resolved]
    if changed:
        text = tomledit.set_keys(text, "fluxzoo.answers", changed, replace=True)
    if gone:
        text = tomledit.remove_keys(text, "fluxzoo.answers", gone)
    return text


def _rederive(outcome: Outcome, slug: str) -> None:
    """Derive the notebook and docs page again from the merged script (unless it has conflicts)."""
    from fluxzoo.conflict_markers import conflict_blocks
    from fluxzoo.sync import derived_files

    script = f"{slug}.jl"
    if script in outcome.conflicts:
        return  # derived once the person has resolved them
    if conflict_blocks(_read_current(outcome.entry, script) or ""):
        outcome.notes.append(
            f"{script} has merge-conflict markers (FZ303): resolve them, then run 'fluxzoo sync'"
        )
        return
    with tempfile.TemporaryDirectory(prefix="fluxzoo-update-") as tmp:
        view = Path(tmp) / slug
        view.mkdir()
        for rel in (f"{slug}.jl", metadata.FILENAME):
            text = outcome.files.get(rel, _read_current(outcome.entry, rel))
            if text is not None:
                (view / rel).write_text(text, encoding="utf-8", newline="\n")
        derived = derived_files(view)
    for rel, text in derived.items():
        current = _read_current(outcome.entry, rel)
        if text != current:
            outcome.current[rel] = current
            outcome.files[rel] = text


def apply(outcome: Outcome) -> None:
    """Write the outcome as one change: every file, or (on error or interrupt) none."""
    from fluxzoo.transaction import Files

    change = Files(f"updated {outcome.entry} to template {outcome.new_version}", label="update")
    for rel, text in outcome.files.items():
        change.write(outcome.entry, rel, text)
    for rel in outcome.removed:
        change.remove(outcome.entry, rel)
    change.commit()


def diff(outcome: Outcome) -> str:
    """The unified diff of the update, file by file, as `git diff` shows it."""
    from fluxzoo.diffs import unified

    return "".join(
        unified((outcome.entry / rel).as_posix(), outcome.current.get(rel), outcome.files.get(rel))
        for rel in sorted(set(outcome.files) | set(outcome.removed))
    )


@dataclass
class Line:
    """The one line `fluxzoo update` prints for an entry, and whether it fails the run."""

    text: str
    failed: bool = False
    notes: list[str] = field(default_factory=list)


def update_one(entry: Path, *, dry_run: bool) -> Line:
    """Update one entry (or, `dry_run`, print its diff) and say what happened, in a line."""
    from fluxzoo import entries

    if not entries.is_entry(entry):
        return Line(
            f"{entry}: skipped: not in the standard yet (no tutorial.toml); "
            f"run 'fluxzoo adopt {entry}' first"
        )
    try:
        outcome = plan_update(entry)
    except FluxzooError as e:
        return Line(f"{entry}: skipped: {e.message}", failed=True)
    changed = sorted(set(outcome.files) | set(outcome.removed))
    if dry_run:
        sys.stdout.write(diff(outcome))
    elif changed:
        apply(outcome)
    versions = (
        f"template {outcome.new_version}"
        if outcome.old_version == outcome.new_version
        else f"template {outcome.old_version} -> {outcome.new_version}"
    )
    if outcome.conflicts:
        files = ", ".join(f"{rel} ({n})" for rel, n in sorted(outcome.conflicts.items()))
        text = f"{entry}: conflicts in {files}; resolve the <<<<<<< blocks, then 'fluxzoo sync'"
        return Line(text, failed=True, notes=outcome.notes)
    if not changed:
        return Line(f"{entry}: already current ({versions})", notes=outcome.notes)
    verb = "would update" if dry_run else "updated"
    return Line(f"{entry}: {verb} ({versions}): {', '.join(changed)}", notes=outcome.notes)


def run_update(args: argparse.Namespace) -> int:
    """`fluxzoo update [PATH ...]`: every entry under the paths, one line each; 1 on conflicts."""
    from fluxzoo._console import progress
    from fluxzoo.entries import require_entries

    found = require_entries(args.paths, include_legacy=True)
    failed = False
    for entry in progress(found, "Update"):
        line = update_one(entry, dry_run=args.dry_run)
        print(line.text, file=sys.stderr)
        for note in line.notes:
            print(f"  note: {note}", file=sys.stderr)
        failed = failed or line.failed
    if args.dry_run:
        print("Nothing was written (--dry-run).", file=sys.stderr)
    return 1 if failed else 0
