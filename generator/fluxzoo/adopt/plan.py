"""Planning an adoption: everything it will write, worked out before anything is written."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from fluxzoo import answers, entries, metadata
from fluxzoo.adopt import additions, guess
from fluxzoo.adopt.changes import Change, Plan
from fluxzoo.adopt.read import category_of, files_in, project_tables, read_text, read_toml
from fluxzoo.adopt.readme import Readme, parse_readme, script_prose
from fluxzoo.adopt.source import literate_source
from fluxzoo.entries import GITIGNORE, MANIFEST, PROJECT, README, RUNTESTS
from fluxzoo.errors import FluxzooError, UsageError


def plan_adoption(entry: Path, *, force: bool = False, today: dt.date | None = None) -> Plan:
    """Everything adopting `entry` would write; raises before anything is written."""
    from fluxzoo import julia_syntax
    from fluxzoo.kinds import KINDS

    today = today or dt.date.today()
    if not entry.is_dir():
        raise UsageError(f"{entry}: not a folder; give the folder of a model-zoo entry")
    if entries.is_entry(entry):
        raise UsageError(
            f"{entry}: already in the standard (it has {metadata.FILENAME}); "
            "use 'fluxzoo update' or 'fluxzoo sync' instead"
        )
    entry = entry.resolve()
    slug = entry.name
    try:
        answers.validate("slug", slug)
    except FluxzooError:
        suggestion = answers.slugify(slug)
        raise UsageError(
            f"{entry}: the folder name {slug!r} cannot be a slug "
            "(lowercase letters, digits, '_' and '-'); "
            f"rename the folder (e.g. git mv {slug} {suggestion}) and run adopt again"
        ) from None
    category = category_of(entry)
    sources = {p.name: read_text(p, entry) for p in sorted(entry.glob("*.jl")) if not p.is_dir()}
    if not sources:
        raise UsageError(f"{entry}: no Julia file (*.jl) in the folder; nothing to adopt")
    main = guess.choose_main_script(slug, sources)
    plan = Plan(entry=entry, slug=slug, category=category, main_script=main)
    existing = set(files_in(entry))
    target = f"{slug}.jl"
    notebook = f"{slug}.ipynb"
    clobbered = [n for n in (notebook,) if n in existing]
    if main != target and target in existing:
        clobbered.append(target)
    if clobbered and not force:
        raise FluxzooError(
            f"{entry}: adopting would replace {', '.join(clobbered)}, whose content is not kept; "
            "move it away or pass --force"
        )

    readme = parse_readme(read_text(entry / README, entry)) if README in existing else Readme()
    opening = parse_readme("\n".join(script_prose(sources[main])))
    readme.title = readme.title or opening.title
    readme.description = readme.description or opening.description
    if README not in existing:
        plan.notes.append("no README.md: the tutorial has no prose yet")
    project = project_tables(read_toml(entry / PROJECT, entry), entry / PROJECT)
    manifest = read_toml(entry / MANIFEST, entry)
    code = "\n".join(sources.values())
    meta = guess.build_metadata(entry, slug, category, readme, code, project, manifest, today, plan)
    others = sorted(n for n in sources if n != main and n not in guess.includes(sources[main]))
    included = sorted(n for n in sources if n != main and n not in others)
    plan.kind = meta["kind"]
    kind = KINDS[meta["kind"]]
    text, escaped = literate_source(
        meta["title"], readme, sources[main], others, "Background" in kind.sections
    )
    plan.files[target] = text
    note = "README prose moved in as Literate markdown" if readme.body else "title added"
    if escaped:
        note += f"; {escaped} comment line(s) inside code escaped as `##`"
    if main != target:
        plan.removed.append(main)
        plan.changes.append(Change("renamed", f"{main} -> {target}", note))
    else:
        plan.changes.append(Change("rewrote", target, note))
    if included:
        plan.notes.append(f"kept {', '.join(included)}, which {target} includes")
    plan.files[metadata.FILENAME] = metadata.dumps(meta)
    plan.changes.append(Change("created", metadata.FILENAME))

    imported = set().union(*(julia_syntax.imported_packages(s) for s in sources.values()))
    updated_project = additions.project_with_test(project, imported, plan)
    if updated_project is not None:
        import tomli_w

        plan.files[PROJECT] = tomli_w.dumps(updated_project)
        plan.changes.append(
            Change(
                "updated" if project else "created", PROJECT, "Test added to [extras] and [targets]"
            )
        )
    if RUNTESTS not in existing:
        plan.files[RUNTESTS] = additions.runtests(slug, sources[main])
        plan.changes.append(Change("created", RUNTESTS))
    ignore_text, skipped = additions.gitignore(
        read_text(entry / GITIGNORE, entry) if GITIGNORE in existing else None, sorted(existing)
    )
    if ignore_text is not None:
        plan.files[GITIGNORE] = ignore_text
        plan.changes.append(
            Change(
                "updated" if GITIGNORE in existing else "created", GITIGNORE, "standard patterns"
            )
        )
    if skipped:
        plan.notes.append(
            f".gitignore: left out {', '.join(skipped)}, which would hide committed files"
        )
    plan.changes.append(
        Change("rewrote" if README in existing else "created", README, f"derived from {target}")
    )
    plan.changes.append(
        Change(
            "replaced" if notebook in existing else "created", notebook, f"derived from {target}"
        )
    )
    return plan
