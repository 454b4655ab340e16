"""FZ32x: the docs page: its sections, and the derived files matching their source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from fluxzoo import metadata
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import README, EntryContext
from fluxzoo.checks.registry import Edits, FixKind, Severity, fixer, rule
from fluxzoo.kinds import KINDS
from fluxzoo.markdown_lines import headings


@rule(
    code="FZ321",
    name="missing-readme-section",
    severity=Severity.ERROR,
    summary="the docs page lacks its title or a section its kind promises",
)
def missing_readme_section(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that `README.md` has a title (`# ...`) and every `## ` section the entry's kind
    declares (for instance the background, model, training and results parts a reader expects).

    ## Why is this bad?
    Maintainers asked for background and explanation in every entry (model-zoo #218, #340);
    the kinds name the sections that give it, and the index links to them.

    ## Example
    An image-classification entry whose script has no `# ## Training` heading, so its README
    has no `## Training` section: add the heading to the script and run `fluxzoo sync`.
    """
    text = entry.text(README)
    if text is None or not text.strip():
        return
    found = headings(text)
    if not any(level == 1 for _, level, _ in found):
        yield Finding(
            README,
            "no title heading (`# Title`); "
            "start the script with `# # Title` and run 'fluxzoo sync'",
            1,
            1,
        )
    kind = (entry.meta or {}).get("kind")
    sections = KINDS[kind].sections if isinstance(kind, str) and kind in KINDS else ()
    present = {title.casefold() for _, level, title in found if level == 2}
    for section in sections:
        if section.casefold() not in present:
            yield Finding(
                README,
                f"no '## {section}' section, which {kind} tutorials have; "
                f"add `# ## {section}` to the script "
                "and run 'fluxzoo sync'",
            )


def _first_difference(current: str, wanted: str) -> int:
    for number, (a, b) in enumerate(
        zip(current.splitlines(True), wanted.splitlines(True), strict=False), start=1
    ):
        if a != b:
            return number
    return min(current.count("\n"), wanted.count("\n")) + 1


@rule(
    code="FZ322",
    name="stale-derived-file",
    severity=Severity.ERROR,
    summary="the notebook or docs page differs from what the script gives",
    fix=FixKind.SAFE,
)
def stale_derived_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Derives the notebook and the docs page from `<slug>.jl` (as `fluxzoo sync` and Literate.jl
    do) and reports each one whose committed text differs, at the first line that differs.

    ## Why is this bad?
    The script is the one source; a notebook or page edited by hand, or not regenerated after
    the script changed, shows readers code that is not what the tests run.

    ## Example
    The script's training loop was fixed but `README.md` still shows the old one: run
    `fluxzoo sync`.

    ## Fix (safe)
    Derives the files again, as `fluxzoo sync` does (`sync.derived_files`); the script is the
    source and is not touched.
    """
    from fluxzoo.errors import FluxzooError
    from fluxzoo.sync import LiterateSettingError, other_json_notebook

    if entry.meta is None or entry.text(entry.script) is None:
        return  # the missing or broken file is reported by its own rule
    try:
        wanted = entry.derived()
    except LiterateSettingError as e:
        yield Finding(metadata.FILENAME, e.message)
        return
    except FluxzooError as e:
        if e.path is None or Path(e.path).name != entry.script:
            return  # a metadata problem, reported by the FZ4xx rules
        yield Finding(
            entry.script,
            f"cannot derive the notebook and docs page: {e.message}",
            e.line,
            1 if e.line else None,
        )
        return
    for rel, text in wanted.items():
        current = entry.text(rel)
        if current is not None and current != text:
            other = other_json_notebook(entry.path, current) if rel.endswith(".ipynb") else None
            if other is not None:
                yield Finding(
                    rel,
                    f"written as Literate.jl does with JSON.jl {other.value} (final newline or "
                    "key order); run 'fluxzoo sync' to rewrite it as a current install does, "
                    f'or keep it with json = "{other.value}" under [literate] in tutorial.toml',
                )
                continue
            line = _first_difference(current, text)
            yield Finding(
                rel,
                f"out of date with {entry.script} (from line {line} on); run 'fluxzoo sync'",
                line,
                1,
            )


def derive(entry: EntryContext, findings: list[Finding]) -> Edits:
    """The derived files the findings name, as `fluxzoo sync` writes them (none if it cannot)."""
    from fluxzoo.errors import FluxzooError
    from fluxzoo.sync import derived_files

    if entry.meta is None or entry.text(entry.script) is None:
        return {}
    try:
        wanted = derived_files(entry.path)
    except FluxzooError:
        return {}
    named = {f.path for f in findings}
    return {rel: text for rel, text in wanted.items() if rel in named}


fixer("FZ322")(derive)
