"""`fluxzoo sync`: regenerate each entry's notebook and docs pages from its Literate source.

`derived_files` is the pure part (also used by the template's post-generation hook): it reads
`<slug>.jl` and `tutorial.toml` and returns the derived files' text. `run_sync` finds entries,
computes every derived file first (so bad input anywhere writes nothing), then writes only the
files whose bytes change, each atomically, or with `--check` only reports them.
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
from pathlib import Path
from typing import Any

from fluxzoo import reading
from fluxzoo.errors import FluxzooError, UsageError
from fluxzoo.literate import Flavor, JSONVersion, LiterateOptions, markdown, notebook

DOCS_PAGE = "README.md"
"""The page GitHub shows: CommonMark whatever the entry's `docs_flavor` (see `flavor_page`)."""
DOCS_FLAVORS = (Flavor.COMMONMARK, Flavor.DOCUMENTER, Flavor.FRANKLIN, Flavor.QUARTO)
FLAVOR_PAGE_SUFFIX = {Flavor.DOCUMENTER.value: ".md", Flavor.QUARTO.value: ".qmd"}
"""The flavors whose site generator reads a page of its own, written beside README.md."""
JSON_SETTING = ("literate", "json")
"""Optional `[literate] json` in tutorial.toml: the JSON.jl whose notebook text to reproduce."""


class LiterateSettingError(UsageError):
    """A `[literate]` value in tutorial.toml that sync cannot use."""


def json_version(meta: dict[str, Any], path: Path) -> JSONVersion:
    """`[literate] json`: absent means what a fresh Literate.jl install writes (JSON.jl 1.5+)."""
    table = meta.get(JSON_SETTING[0], {})
    value = table.get(JSON_SETTING[1]) if isinstance(table, dict) else None
    if not isinstance(table, dict) or (value is not None and not isinstance(value, str)):
        raise LiterateSettingError(
            'literate.json must be a string in a [literate] table, e.g. json = "0.21"', path=path
        )
    if value is None:
        return JSONVersion.V1_5
    try:
        return JSONVersion(value)
    except ValueError:
        known = ", ".join(repr(v.value) for v in JSONVersion)
        raise LiterateSettingError(
            f"literate.json: unknown JSON.jl behaviour {value!r} (known: {known})", path=path
        ) from None


def _setting(meta: dict[str, Any], path: Path, *keys: str) -> str:
    value: Any = meta
    for key in keys:
        value = value.get(key) if isinstance(value, dict) else None
    if not isinstance(value, str) or not value:
        dotted = ".".join(keys)
        raise UsageError(
            f"missing or empty '{dotted}' (a string is needed to derive files)", path=path
        )
    return value


def read_source(path: Path) -> str:
    """The text of a Literate source; missing or non-UTF-8 files are user errors naming it."""
    if not path.exists() and not path.is_symlink():
        raise UsageError(
            "missing: the entry's Literate source is needed to derive its files", path=path
        )
    try:
        return reading.read_text(path, within=path.parent)
    except reading.ReadError as e:
        raise UsageError(e.reason, path=path) from None


def entry_options(entry_dir: Path) -> tuple[Path, LiterateOptions]:
    """The entry's source file and the Literate options its metadata asks for."""
    from fluxzoo import answers, metadata

    toml = entry_dir / metadata.FILENAME
    try:
        meta = metadata.read(entry_dir)
    except UsageError:
        raise
    except FluxzooError as e:
        raise UsageError(e.message, path=e.path) from None
    slug = _setting(meta, toml, "slug")
    try:  # it names the files written: untrusted text must not lead outside the entry
        answers.validate("slug", slug)
    except FluxzooError as e:
        raise UsageError(e.message, path=toml) from None
    flavor_name = _setting(meta, toml, "docs_flavor")
    flavor = next((f for f in DOCS_FLAVORS if f.value == flavor_name), None)
    if flavor is None:
        known = ", ".join(f.value for f in DOCS_FLAVORS)
        raise UsageError(
            f"docs_flavor: unknown markdown flavor {flavor_name!r} (known: {known})", path=toml
        )
    options = LiterateOptions(
        name=slug,
        flavor=flavor,
        execute=False,
        json=json_version(meta, toml),
        julia_version=_setting(meta, toml, "tested", "julia"),
    )
    return entry_dir / f"{slug}.jl", options


def flavor_page(slug: str, flavor: object) -> str | None:
    """The docs page in the entry's flavor, when README.md cannot be it.

    Documenter's `@example` blocks and quarto's cell options are not CommonMark, so those
    pages are `<slug>.md` and `<slug>.qmd`: what `Literate.markdown("<slug>.jl", "."; flavor)`
    writes in the entry's folder (Literate.jl 2.21 src/Literate.jl:510, `.qmd` for quarto),
    so its `EditURL` and relative links hold. CommonMark needs no other page, and Franklin none:
    its `\\literate{...}` command converts the script itself, with settings of its own
    (Franklin.jl src/eval/literate.jl, `literate_to_franklin`).
    """
    suffix = FLAVOR_PAGE_SUFFIX.get(flavor) if isinstance(flavor, str) else None
    return f"{slug}{suffix}" if suffix else None


def derived_files(entry_dir: Path) -> dict[str, str]:
    """`{"<slug>.ipynb": ..., "README.md": ...}` for the entry in `entry_dir`, and its
    `flavor_page` when it has one."""
    source_path, options = entry_options(entry_dir)
    source = read_source(source_path)
    commonmark = dataclasses.replace(options, flavor=Flavor.COMMONMARK)
    try:
        files = {
            f"{options.name}.ipynb": notebook(source, options),
            DOCS_PAGE: markdown(source, commonmark),
        }
        page = flavor_page(options.name, options.flavor.value if options.flavor else None)
        if page is not None:
            files[page] = markdown(source, options)
    except FluxzooError as e:
        raise UsageError(e.message, path=source_path, line=e.line) from None
    return files


def other_json_notebook(entry_dir: Path, current: str) -> JSONVersion | None:
    """The other JSON.jl behaviour whose notebook equals `current`, if one does.

    Lets `check` tell a notebook written by an older Literate/JSON.jl install (with a final
    newline, or keys in hash order) apart from one that is out of date with its script.
    """
    source_path, options = entry_options(entry_dir)
    source = read_source(source_path)
    for version in JSONVersion:
        if version is not options.json:
            candidate = dataclasses.replace(options, json=version)
            if notebook(source, candidate) == current:
                return version
    return None


@dataclasses.dataclass(frozen=True)
class Stale:
    """A derived file whose bytes differ from what its entry's source gives."""

    entry: Path
    name: str
    data: bytes
    exists: bool

    @property
    def path(self) -> Path:
        return self.entry / self.name


def stale_files(entries: list[Path]) -> tuple[list[Stale], int]:
    """Every derived file of `entries` that is missing or out of date, and how many there are
    in all."""
    from fluxzoo._console import progress

    wanted: list[tuple[Path, str, bytes]] = []
    for entry in progress(entries, "Deriving"):
        for name, text in derived_files(entry).items():
            wanted.append((entry, name, text.encode("utf-8")))
    stale = []
    for entry, name, data in wanted:
        path = entry / name
        if not path.exists() and not path.is_symlink():
            stale.append(Stale(entry, name, data, exists=False))
            continue
        try:
            current = reading.read_bytes(path, within=entry)
        except reading.ReadError as e:
            raise UsageError(f"{e.reason}; sync writes it", path=path) from None
        if current != data:
            stale.append(Stale(entry, name, data, exists=True))
    return stale, len(wanted)


def run_sync(args: argparse.Namespace) -> int:
    from fluxzoo.entries import find_entries

    paths = list(args.paths)
    entries = find_entries(paths)
    if not entries:
        where = ", ".join(str(p) for p in paths) or "."
        raise UsageError(f"no fluxzoo entry (a folder with tutorial.toml) at or under {where}")
    stale, total = stale_files(entries)
    if args.check:
        for item in stale:
            print(f"{item.path}: {'stale' if item.exists else 'missing'}")
        if stale:
            print(
                f"{len(stale)} derived file(s) out of date; run 'fluxzoo sync' to regenerate",
                file=sys.stderr,
            )
            return 1
        print(f"all {_count(total)} current", file=sys.stderr)
        return 0
    from fluxzoo.transaction import Files

    change = Files(f"synced {len(stale)} derived file(s)", label="sync")
    for item in stale:
        change.write(item.entry, item.name, item.data)
    change.commit()
    for item in stale:
        print(f"wrote {item.path}")
    current = total - len(stale)
    if not stale:
        print(f"nothing to write: all {_count(total)} current", file=sys.stderr)
    else:
        wrote = f"wrote {len(stale)} of {total} derived files"
        rest = "the other was" if current == 1 else f"the other {current} were"
        print(f"{wrote}; {rest} current" if current else wrote, file=sys.stderr)
    return 0


def _count(n: int) -> str:
    return "1 derived file is" if n == 1 else f"{n} derived files are"
