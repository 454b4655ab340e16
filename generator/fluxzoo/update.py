"""`fluxzoo update`: re-apply the current template to an entry, keeping the contributor's edits.

A three-way merge per file: *ours* is the entry as it is now, *theirs* is the entry the current
template renders from the answers stored in `tutorial.toml`, and the *base* is what the template
version recorded there rendered from the same answers.

Where the base comes from (the decision): each released template version stays available as a
folder, `template_history/<version>/` beside `template/` (the current version is `template/`
itself; when `_template_version` is bumped, the previous `template/` is copied there).
Re-rendering is deterministic (answers are data, the date is an answer), so the base is rebuilt
exactly instead of being stored in every entry, and the zoo carries no hidden copies. Files that
fluxzoo writes in code rather than from the template (`tutorial.toml`, `Project.toml`) are
rebuilt by the current code for both sides, so the merge keeps the contributor's version of
them; `[fluxzoo]` in `tutorial.toml` is then set to the current template version and answers.
The notebook and docs page are not merged: they are derived again from the merged script.

Merging uses `git merge-file` (git is on every machine that works on the zoo). Conflicts are
written into the file with `<<<<<<<`/`>>>>>>>` markers showing both sides, listed, and the exit
status is 1; nothing the contributor wrote is dropped. `--dry-run` prints the unified diff and
writes nothing. All files are computed before the first one is written.
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


def _stored_answers(meta: dict[str, Any], path: Path) -> tuple[str, dict[str, Any]]:
    table = meta.get("fluxzoo")
    if not isinstance(table, dict) or not isinstance(table.get("answers"), dict):
        raise UsageError(
            "no [fluxzoo.answers]: the entry was not made by 'fluxzoo new' (adopted entries have "
            "no template to re-apply)",
            path=path,
        )
    version = table.get("template_version")
    if not isinstance(version, str) or not version:
        raise UsageError(
            "no [fluxzoo] template_version: cannot tell which template made it", path=path
        )
    return version, dict(table["answers"])


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
    path = entry / rel
    if not path.is_file():
        return None
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise FluxzooError("not UTF-8 text; save it as UTF-8 and run again", path=path) from None


def plan_update(entry: Path) -> Outcome:
    """Work out the update of `entry` without writing anything to it."""
    from fluxzoo.sync import DOCS_PAGE

    meta = metadata.read(entry)
    old_version, stored = _stored_answers(meta, entry / metadata.FILENAME)
    try:
        base_answers = answers.resolve(stored)
    except FluxzooError as e:
        raise UsageError(
            f"a stored answer is no longer valid: {e.message}", path=entry / metadata.FILENAME
        ) from None
    new_version = answers.template_version()
    outcome = Outcome(entry=entry, old_version=old_version, new_version=new_version)
    slug = base_answers["slug"]
    derived = {f"{slug}.ipynb", DOCS_PAGE}
    with tempfile.TemporaryDirectory(prefix="fluxzoo-update-") as tmp:
        base = _render(base_answers, template_for(old_version), Path(tmp), "base")
        theirs = _render(base_answers, _paths.template_dir(), Path(tmp), "new")
    for rel in sorted((set(base) | set(theirs)) - derived):
        ours = _read_current(entry, rel)
        merged = _merge_one(outcome, rel, ours, base.get(rel), theirs.get(rel))
        if merged == "":
            outcome.removed.append(rel)
        elif merged is not None and merged != ours:
            outcome.files[rel] = merged
        else:
            continue
        outcome.current[rel] = ours
    _restamp_metadata(outcome, base_answers)
    _rederive(outcome, slug)
    return outcome


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


def _restamp_metadata(outcome: Outcome, resolved: answers.Answers) -> None:
    """Record in tutorial.toml that the entry now follows the current template."""
    rel = metadata.FILENAME
    if rel in outcome.conflicts:
        return
    text = outcome.files.get(rel) or _read_current(outcome.entry, rel) or ""
    try:
        meta = metadata.tomllib.loads(text)
    except metadata.tomllib.TOMLDecodeError:
        return
    fresh = {"template_version": outcome.new_version, "answers": dict(resolved)}
    if meta.get("fluxzoo") == fresh:
        return
    meta["fluxzoo"] = fresh
    outcome.current.setdefault(rel, _read_current(outcome.entry, rel))
    outcome.files[rel] = metadata.dumps(meta)


def _rederive(outcome: Outcome, slug: str) -> None:
    """Derive the notebook and docs page again from the merged script (unless it has conflicts)."""
    from fluxzoo.sync import derived_files

    if f"{slug}.jl" in outcome.conflicts or metadata.FILENAME in outcome.conflicts:
        outcome.notes.append(
            "resolve the conflicts, then run 'fluxzoo sync' to derive the notebook and README"
        )
        return
    if not any(rel in outcome.files for rel in (f"{slug}.jl", metadata.FILENAME)):
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
        unified(rel, outcome.current.get(rel), outcome.files.get(rel))
        for rel in sorted(set(outcome.files) | set(outcome.removed))
    )


def run_update(args: argparse.Namespace) -> int:
    entry: Path = args.path
    if not entry.is_dir():
        raise UsageError(
            f"{entry}: not a folder; give the folder of an entry (it holds tutorial.toml)"
        )
    outcome = plan_update(entry)
    if args.dry_run:
        sys.stdout.write(diff(outcome))
    elif outcome.files or outcome.removed:
        apply(outcome)
    changed = sorted(set(outcome.files) | set(outcome.removed))
    verb = "Would update" if args.dry_run else "Updated"
    if not changed:
        print(f"{entry}: already up to date with template {outcome.new_version}", file=sys.stderr)
    else:
        print(
            f"{verb} {entry} from template {outcome.old_version} to {outcome.new_version}: "
            + ", ".join(changed),
            file=sys.stderr,
        )
    for note in outcome.notes:
        print(f"  note: {note}", file=sys.stderr)
    if outcome.conflicts:
        print(
            "Conflicts (marked with <<<<<<< and >>>>>>> in the files; "
            "resolve them, then run 'fluxzoo sync'):",
            file=sys.stderr,
        )
        for rel, n in sorted(outcome.conflicts.items()):
            print(f"  {entry / rel}: {n} conflict(s)", file=sys.stderr)
        return 1
    return 0
