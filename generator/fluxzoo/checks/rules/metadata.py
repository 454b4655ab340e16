"""FZ4xx: tutorial.toml, checked with the same validators as the answers that wrote it."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from fluxzoo import answers, metadata
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import Edits, FixKind, Lifecycle, Severity, fixer, rule
from fluxzoo.entries import CATEGORIES
from fluxzoo.errors import UsageError, ValidationError
from fluxzoo.kinds import KINDS
from fluxzoo.sync import JSON_SETTING

FILE = metadata.FILENAME
TEMPLATE_VERSION_RE = re.compile(r"(\d+)\.(\d+)\.(\d+)")


def _needs_gpu_backend(meta: Mapping[str, Any]) -> bool:
    return meta.get("hardware") not in (None, "cpu")


def _needs_dataset(meta: Mapping[str, Any]) -> bool:
    kind = meta.get("kind")
    return isinstance(kind, str) and kind in KINDS and KINDS[kind].needs_dataset


@dataclass(frozen=True)
class Field:
    """One metadata value and the answer whose validator checks it."""

    table: str
    key: str
    answer: str
    required: Callable[[Mapping[str, Any]], bool] | None = None
    """When the field must be present; `None` means always."""
    is_list: bool = False

    @property
    def dotted(self) -> str:
        return f"{self.table}.{self.key}" if self.table else self.key


FIELDS = (
    Field("", "title", "title"),
    Field("", "slug", "slug"),
    Field("", "category", "category"),
    Field("", "kind", "kind"),
    Field("", "description", "description"),
    Field("", "tags", "tags", is_list=True),
    Field("", "difficulty", "difficulty"),
    Field("", "created", "created"),
    Field("", "updated", "created"),
    Field("", "hardware", "hardware"),
    Field("", "gpu_backend", "gpu_backend", required=_needs_gpu_backend),
    Field("", "expected_runtime", "expected_runtime"),
    Field("", "references", "references", is_list=True),
    Field("", "docs_flavor", "docs_flavor"),
    Field("tested", "julia", "julia_version"),
    Field("tested", "flux", "flux_version"),
    Field("dataset", "name", "dataset_name", required=_needs_dataset),
    Field("dataset", "source", "dataset_source", required=_needs_dataset),
    Field("dataset", "license", "dataset_license", required=_needs_dataset),
)
SPECIAL_KEYS = {("", "authors"), ("fluxzoo", "template_version"), ("fluxzoo", "answers")}
OPTIONAL_KEYS = {JSON_SETTING}
"""Keys an entry may set; `fluxzoo sync` validates and reads them."""
KNOWN_KEYS = {(f.table, f.key) for f in FIELDS} | SPECIAL_KEYS | OPTIONAL_KEYS
TABLES = {"tested", "dataset", "fluxzoo", JSON_SETTING[0]}


def _get(meta: Mapping[str, Any], table: str, key: str) -> tuple[bool, Any]:
    scope = meta.get(table) if table else meta
    if not isinstance(scope, Mapping) or key not in scope:
        return False, None
    return True, scope[key]


def _at(entry: EntryContext, table: str, key: str, message: str) -> Finding:
    line = entry.key_line(FILE, table, key)
    if line is None and table:
        line = entry.table_line(FILE, table)
    return Finding(FILE, message, line, 1 if line else None)


@rule(
    code="FZ400",
    name="invalid-metadata-file",
    severity=Severity.ERROR,
    summary="tutorial.toml is not valid TOML",
)
def invalid_metadata_file(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Parses `tutorial.toml` and reports a TOML syntax error with its line and column.

    ## Why is this bad?
    Nothing about the entry can be checked, indexed or updated without its metadata.

    ## Example
    `title = "Digits` (an unclosed string): `not valid TOML: Unclosed string` at line 1.
    """
    entry.toml(FILE)
    if FILE in entry.unparsable:
        yield entry.unparsable[FILE]


@rule(
    code="FZ401",
    name="missing-metadata-field",
    severity=Severity.ERROR,
    summary="tutorial.toml lacks a field the standard requires",
    fix=FixKind.SAFE,
)
def missing_metadata_field(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that `tutorial.toml` has every field of the standard: title, slug, category, kind,
    description, tags, difficulty, authors, created, updated, hardware, expected_runtime,
    references, docs_flavor, `[tested]` julia and flux, `gpu_backend` unless the hardware is
    `cpu`, `[dataset]` name, source and license for kinds that train on data, and
    `[fluxzoo] template_version`.

    ## Why is this bad?
    The zoo's index, the docs page and `fluxzoo update` read these fields; a missing one leaves
    a hole in each.

    ## Example
    A `tutorial.toml` without `[tested]`: add `julia = "1.10"` and `flux = "0.16"` under it.

    ## Fix (safe)
    Adds the fields that have one right value: `slug` (the folder's name, when it is a valid
    slug and `<folder>.jl` is there) and `category` (the category folder the entry sits in).
    The others say what the tutorial is and need its author.
    """
    meta = entry.meta
    if meta is None:
        return
    for f in FIELDS:
        if (f.required is None or f.required(meta)) and not _get(meta, f.table, f.key)[0]:
            yield _at(entry, f.table, f.key, f"missing {f.dotted}; {answers.HELP[f.answer]}")
    for table, key in sorted(SPECIAL_KEYS - {("fluxzoo", "answers")}):
        if not _get(meta, table, key)[0]:
            dotted = f"{table}.{key}" if table else key
            yield _at(entry, table, key, f"missing {dotted}")


def _field_problem(f: Field, value: Any) -> str | None:
    if f.is_list and not isinstance(value, list):
        return f'{f.dotted} must be a list, e.g. {f.key} = ["a", "b"]'
    try:
        answers.validate(f.answer, value)
    except ValidationError as e:
        return f"{f.dotted} = {_show(value)} is not valid: {e.allowed}"
    return None


def _show(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return repr(value) if not isinstance(value, str) else f'"{value}"'


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        return None


def _from_folder(entry: EntryContext) -> dict[str, str]:
    """The metadata values the entry's place decides: slug and category."""
    found = {}
    real = entry.path.resolve()
    try:
        slug = answers.validate("slug", real.name)
    except UsageError:
        slug = None
    if slug is not None and entry.exists(f"{slug}.jl"):
        found["slug"] = slug
    if real.parent.name in CATEGORIES:
        found["category"] = real.parent.name
    return found


def _set_from_folder(entry: EntryContext, keys: tuple[str, ...], *, replace: bool) -> Edits:
    from fluxzoo import tomledit

    text = entry.text(FILE)
    values = {k: v for k, v in _from_folder(entry).items() if k in keys}
    if text is None or entry.meta is None or not values:
        return {}
    return {FILE: tomledit.set_keys(text, "", values, replace=replace)}


@fixer("FZ401")
def add_place_fields(entry: EntryContext, findings: list[Finding]) -> Edits:
    return _set_from_folder(entry, ("slug", "category"), replace=False)


@rule(
    code="FZ402",
    name="invalid-metadata-value",
    severity=Severity.ERROR,
    summary="a tutorial.toml field has a value the answer validators refuse",
)
def invalid_metadata_value(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Validates each field of `tutorial.toml` with the validator of the answer it came from (the
    same one `fluxzoo new` uses): text length and single-line text, slugs, tags, enums such as
    category, kind, difficulty and hardware, dates as YYYY-MM-DD with `updated` not before
    `created`, Julia and Flux versions as major.minor, reference URLs. `authors` must be a
    non-empty list of names, `[fluxzoo] template_version` a version like 1.0.0, and every answer
    recorded under `[fluxzoo.answers]` must still be valid.

    ## Why is this bad?
    A value `fluxzoo new` would refuse breaks the index, the docs page or `fluxzoo update` the
    same way it would have broken generation.

    ## Example
    `difficulty = "easy"`: one of beginner, intermediate, advanced.
    """
    meta = entry.meta
    if meta is None:
        return
    for f in FIELDS:
        present, value = _get(meta, f.table, f.key)
        if present:
            problem = _field_problem(f, value)
            if problem:
                yield _at(entry, f.table, f.key, problem)
    created, updated = _date(meta.get("created")), _date(meta.get("updated"))
    if created and updated and updated < created:
        yield _at(entry, "", "updated", f"updated ({updated}) is before created ({created})")
    yield from _authors(entry, meta)
    yield from _fluxzoo_table(entry, meta)


def _authors(entry: EntryContext, meta: Mapping[str, Any]) -> Iterator[Finding]:
    present, authors = _get(meta, "", "authors")
    if not present:
        return
    if not isinstance(authors, list) or not authors:
        yield _at(
            entry,
            "",
            "authors",
            'authors must be a non-empty list, e.g. authors = ["Ada Lovelace <ada@example.org>"]',
        )
        return
    for author in authors:
        try:
            answers.validate("author_name", author)
        except ValidationError as e:
            yield _at(entry, "", "authors", f"author {_show(author)} is not valid: {e.allowed}")


def _fluxzoo_table(entry: EntryContext, meta: Mapping[str, Any]) -> Iterator[Finding]:
    present, version = _get(meta, "fluxzoo", "template_version")
    if present and not (isinstance(version, str) and TEMPLATE_VERSION_RE.fullmatch(version)):
        yield _at(
            entry,
            "fluxzoo",
            "template_version",
            f"template_version = {_show(version)} is not a version like 1.0.0",
        )
    present, given = _get(meta, "fluxzoo", "answers")
    if not present:
        return
    if not isinstance(given, Mapping):
        yield _at(
            entry,
            "fluxzoo",
            "answers",
            "[fluxzoo.answers] must be a table of the answers that made the entry",
        )
        return
    for name, value in given.items():
        try:
            answers.validate(name, value)
        except ValidationError as e:
            yield _at(
                entry,
                "fluxzoo.answers",
                name,
                f"recorded answer {name} = {_show(value)} is not valid: {e.allowed}",
            )
        except UsageError:
            yield _at(
                entry,
                "fluxzoo.answers",
                name,
                f"recorded answer {name!r} is not an answer fluxzoo knows",
            )


@rule(
    code="FZ403",
    name="unknown-metadata-field",
    severity=Severity.WARNING,
    summary="tutorial.toml has a field the standard does not define (often a typo)",
)
def unknown_metadata_field(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Reports keys of `tutorial.toml` (and of its `[tested]`, `[dataset]` and `[fluxzoo]` tables)
    that the standard does not define.

    ## Why is this bad?
    Nothing reads them, so a misspelt field (`descripton`) silently leaves the real one unset.

    ## Example
    `licence = "MIT"` at the top level: the dataset's licence goes under `[dataset]` as `license`.
    """
    meta = entry.meta
    if meta is None:
        return
    for key, value in meta.items():
        if key in TABLES and isinstance(value, Mapping):
            for sub in value:
                if (key, sub) not in KNOWN_KEYS:
                    yield _at(
                        entry,
                        key,
                        sub,
                        f"unknown field {key}.{sub}; the standard does not define it",
                    )
        elif ("", key) not in KNOWN_KEYS:
            yield _at(entry, "", key, f"unknown field {key}; the standard does not define it")


@rule(
    code="FZ404",
    name="slug-folder-mismatch",
    severity=Severity.ERROR,
    summary="the entry's folder is not named after its slug",
    fix=FixKind.SAFE,
)
def slug_folder_mismatch(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Checks that the entry's folder is named exactly like the `slug` in `tutorial.toml`.

    ## Why is this bad?
    The slug names the folder, the script and the notebook (`<slug>/<slug>.jl`); links from the
    index and the docs site are built from it.

    ## Example
    `slug = "conv_mnist"` in a folder called `conv-mnist`: rename one to match the other.

    ## Fix (safe)
    Sets `slug` to the folder's name when that is a valid slug and the script is already
    called `<folder>.jl`; otherwise renaming files is a person's choice.
    """
    slug = (entry.meta or {}).get("slug")
    folder = entry.path.resolve().name
    if isinstance(slug, str) and slug != folder:
        yield _at(
            entry,
            "",
            "slug",
            f'slug = "{slug}" but the folder is named {folder!r}; rename one to match',
        )


@fixer("FZ404")
def slug_from_folder(entry: EntryContext, findings: list[Finding]) -> Edits:
    return _set_from_folder(entry, ("slug",), replace=True)


@rule(
    code="FZ405",
    name="category-folder-mismatch",
    severity=Severity.ERROR,
    summary="the entry sits in another category's folder than its metadata says",
    fix=FixKind.SAFE,
)
def category_folder_mismatch(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    When the entry sits in a category folder of the zoo (vision, text, other, tutorials,
    contrib), checks that it is the one `category` in `tutorial.toml` names. An entry outside
    any category folder (freshly generated, not yet placed) is not reported.

    ## Why is this bad?
    The index groups entries by category and links to `<category>/<slug>/`.

    ## Example
    `category = "text"` for an entry in `vision/`: move it, or correct the category.

    ## Fix (safe)
    Sets `category` to the folder the entry sits in (moving it is a person's choice).
    """
    category = (entry.meta or {}).get("category")
    parent = entry.path.resolve().parent.name
    if isinstance(category, str) and parent in CATEGORIES and parent != category:
        yield _at(
            entry, "", "category",
            f'category = "{category}" but the entry is in the {parent}/ folder; '
            f"move it to {category}/ or fix the category",
        )  # fmt: skip


@fixer("FZ405")
def category_from_folder(entry: EntryContext, findings: list[Finding]) -> Edits:
    return _set_from_folder(entry, ("category",), replace=True)


@rule(
    code="FZ406",
    name="outdated-template",
    severity=Severity.WARNING,
    summary="the entry was made from an older template than this fluxzoo ships",
    lifecycle=Lifecycle.PREVIEW,
)
def outdated_template(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Compares `[fluxzoo] template_version` with the template this fluxzoo ships.

    ## Why is this bad?
    Newer templates fix bugs and follow newer Flux; `fluxzoo update` re-applies the template
    while keeping the contributor's edits. It is a preview rule because every template release
    would otherwise turn the whole zoo's CI red at once.

    ## Example
    `template_version = "0.9.0"` while fluxzoo ships 1.0.0: run `fluxzoo update <entry>`.
    """
    _, version = _get(entry.meta or {}, "fluxzoo", "template_version")
    current = answers.template_version()
    m, n = TEMPLATE_VERSION_RE.fullmatch(str(version)), TEMPLATE_VERSION_RE.fullmatch(current)
    if m and n and tuple(map(int, m.groups())) < tuple(map(int, n.groups())):
        yield _at(
            entry, "fluxzoo", "template_version",
            f"made with template {version}, fluxzoo ships {current}; "
            f"run 'fluxzoo update {entry.path.as_posix()}'",
        )  # fmt: skip


@rule(
    code="FZ407",
    name="headline-mismatch",
    severity=Severity.ERROR,
    summary="tutorial.toml and the script's first lines state a different title or description",
    fix=FixKind.SAFE,
)
def headline_mismatch(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    Compares the `title` and `description` of `tutorial.toml` with the script's Literate
    header: the title on line 1 (`# # Title`) and, in an entry made by `fluxzoo new`, the
    one-line description on line 3. It reports texts that differ, and a `TODO(fluxzoo)`
    placeholder in one place while the other has the text.

    ## Why is this bad?
    The docs page and the notebook show the script's header; the index and the site read
    `tutorial.toml`. Two texts for one fact drift apart, and a placeholder left in one place
    gets published.

    ## Example
    `# Train a CNN on MNIST.` on line 3 of the script, but `description = "TODO(fluxzoo): say
    in one line what this tutorial teaches."`: copy the script's line into `tutorial.toml`.

    ## Fix (safe)
    Copies the filled-in text over the placeholder; when both are filled in, the script is the
    source (contributors edit it) and `tutorial.toml` takes its text. A text from
    `tutorial.toml` goes into the script escaped as Markdown, so it shows as written. Recorded
    answers stay as they were; a text the answer validators refuse is not copied.
    """
    from fluxzoo import headline

    meta, source = entry.meta, entry.text(entry.script)
    if meta is None or source is None:
        return
    for d in headline.disagreements(meta, source):
        where = f"line {d.script.line} of {entry.script}"
        if not d.source_is_script:
            yield Finding(
                entry.script,
                f"{d.field} is a {headline.TODO_MARKER} placeholder here but tutorial.toml "
                f'has "{d.metadata}"; fluxzoo check --fix copies it',
                d.script.line,
                1,
            )
        elif not isinstance(d.metadata, str):
            continue  # a missing or non-text field is FZ401's or FZ402's
        elif headline.is_todo(d.metadata):
            yield _at(
                entry, "", d.field,
                f"{d.field} is a {headline.TODO_MARKER} placeholder but {where} has "
                f'"{d.script.text}"; fluxzoo check --fix copies it',
            )  # fmt: skip
        else:
            yield _at(
                entry, "", d.field,
                f'{d.field} = "{d.metadata}" but {where} has "{d.script.text}"; the script is '
                "the source: fluxzoo check --fix copies it here",
            )  # fmt: skip


@fixer("FZ407")
def copy_headline(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo import headline, tomledit
    from fluxzoo.jinja_filters import markdown_text

    meta, source, toml = entry.meta, entry.text(entry.script), entry.text(FILE)
    if meta is None or source is None or toml is None:
        return {}
    to_meta: dict[str, str] = {}
    lines = source.split("\n")
    for d in headline.disagreements(meta, source):
        if d.source_is_script:
            if not isinstance(d.metadata, str):
                continue
            try:
                answers.validate(d.field, d.right)
            except (ValidationError, UsageError):
                continue
            to_meta[d.field] = d.right
        else:
            prefix = "# # " if d.field == "title" else "# "
            lines[d.script.line - 1] = prefix + markdown_text(" ".join(d.right.split()))
    edits: Edits = {}
    if to_meta:
        edits[FILE] = tomledit.set_keys(toml, "", to_meta, replace=True)
    script = "\n".join(lines)
    if script != source:
        edits[entry.script] = script
    return edits


@rule(
    code="FZ408",
    name="about-mismatch",
    severity=Severity.ERROR,
    summary="the script's 'About this tutorial' list says other than tutorial.toml",
    fix=FixKind.SAFE,
)
def about_mismatch(entry: EntryContext) -> Iterator[Finding]:
    """## What it does
    In an entry whose script has the `# ## About this tutorial` list the template writes
    under its description, compares each line of the list with what `tutorial.toml` gives:
    the authors, the dataset and its licence, the hardware, the expected runtime and the
    references, escaped as Markdown.

    ## Why is this bad?
    The docs page and the notebook show the list; the index and the site read `tutorial.toml`.
    A runtime timed and written into `tutorial.toml`, or a reference added there, would leave
    the docs page saying the old one.

    ## Example
    `expected_runtime = "8 minutes on a laptop CPU"` while the list still says
    `TODO(fluxzoo): time a full run; ...`: run `fluxzoo check --fix`.

    ## Fix (safe)
    Writes the list again from `tutorial.toml` (the source of these facts); no code changes,
    and `fluxzoo sync` (or the FZ322 fix) then derives the docs page and notebook.
    """
    from fluxzoo import about

    meta, source = entry.meta, entry.text(entry.script)
    where = about.span(source) if meta is not None and source is not None else None
    if where is None:
        return
    start, end = where
    stated = source.split("\n")[start:end]
    wanted = about.lines(meta)
    if stated == wanted:
        return
    first = next(
        (i for i, (a, b) in enumerate(zip(stated, wanted, strict=False)) if a != b),
        min(len(stated), len(wanted)),
    )
    shown = wanted[first] if first < len(wanted) else "(no such line)"
    yield Finding(
        entry.script,
        f"the About this tutorial list differs from tutorial.toml, which gives `{shown}`; "
        "fluxzoo check --fix writes it from tutorial.toml",
        start + 1 + min(first, len(stated) - 1),
        1,
    )


@fixer("FZ408")
def rewrite_about(entry: EntryContext, findings: list[Finding]) -> Edits:
    from fluxzoo import about

    meta, source = entry.meta, entry.text(entry.script)
    where = about.span(source) if meta is not None and source is not None else None
    if where is None:
        return {}
    lines = source.split("\n")
    lines[where[0] : where[1]] = about.lines(meta)
    return {entry.script: "\n".join(lines)}
