"""One entry as the rules see it: each file read once, each parse done once, on first use.

Every rule gets the same `EntryContext`, so ten rules asking for `Project.toml` cost one read and
one parse. Reading and parsing never raise: a file that cannot be read, is not UTF-8, or does not
parse gives `None`, and the problem is kept (as a `Finding` with its line) for the rule that
reports it. The other rules then skip what they cannot see instead of piling on.
"""

from __future__ import annotations

import os
import re
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fluxzoo import metadata, reading
from fluxzoo.checks.diagnostics import Finding
from fluxzoo.checks.registry import ConflictScope
from fluxzoo.entries import GITIGNORE, PROJECT, README, RUNTESTS
from fluxzoo.errors import FluxzooError

if TYPE_CHECKING:
    import pathspec

    from fluxzoo.checks.stack import Stack
    from fluxzoo.conflict_markers import ConflictBlock
    from fluxzoo.julia_names import FileNames
    from fluxzoo.julia_syntax import ParsedJulia

TEST_PROJECT = "test/Project.toml"

TABLE_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
SKIP_DIRS = {".git", ".hg", ".svn"}
TEXT_LIMIT = 1024 * 1024
"""Files larger than this are data, not text a person edits (FZ106 flags them)."""


def _decode_problem(path: str, data: bytes, error: UnicodeDecodeError) -> Finding:
    before = data[: error.start]
    line = before.count(b"\n") + 1
    col = len(before) - (before.rfind(b"\n") + 1) + 1
    return Finding(
        path, f"not UTF-8 text (byte 0x{data[error.start]:02x}); save the file as UTF-8", line, col
    )


def _sets(line: str, spellings: tuple[str, ...]) -> bool:
    """Whether a TOML line begins `spelling =` for one of the key's spellings."""
    return any(
        line.startswith(spelling) and line[len(spelling) :].lstrip().startswith("=")
        for spelling in spellings
    )


def _ignore_spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    """The .gitignore's patterns as git reads them: git skips a pattern it cannot read (one
    ending in a lone `\\`), which pathspec refuses with an error."""
    import pathspec

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines)
    except ValueError:
        readable = []
        for line in lines:
            try:
                pathspec.GitIgnoreSpec.from_lines([line])
            except ValueError:
                continue
            readable.append(line)
        return pathspec.GitIgnoreSpec.from_lines(readable)


class EntryContext:
    """A lazily parsed, cached view of the entry folder at `path`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.legacy = not (path / metadata.FILENAME).is_file()
        self._texts: dict[str, str | None] = {}
        self._tomls: dict[str, dict[str, Any] | None] = {}
        self._julia: dict[str, ParsedJulia | None] = {}
        self._names: dict[str, FileNames | None] = {}
        self._conflicts: dict[str, tuple[ConflictBlock, ...]] = {}
        self.unreadable: dict[str, Finding] = {}

        """Why a file could not be read as UTF-8 text, by its path relative to the entry."""
        self.unparsable: dict[str, Finding] = {}
        """Why a file that was read could not be parsed (TOML, JSON), with the position."""

    def __repr__(self) -> str:
        return f"EntryContext({self.path!s})"

    # Files -------------------------------------------------------------------------------

    @cached_property
    def _listing(self) -> tuple[tuple[str, ...], dict[str, Finding]]:
        """One walk of the entry: its files, and the folders it could not list."""
        found: list[str] = []
        unlisted: dict[str, Finding] = {}

        def refused(error: OSError) -> None:
            rel = os.path.relpath(error.filename, self.path).replace(os.sep, "/")
            unlisted[rel] = Finding(rel, reading.os_error(error, Path(error.filename)).reason)

        for dirpath, dirnames, filenames in os.walk(self.path, onerror=refused):
            dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
            rel_dir = os.path.relpath(dirpath, self.path)
            prefix = "" if rel_dir == "." else rel_dir.replace(os.sep, "/") + "/"
            found.extend(prefix + name for name in filenames)
        return tuple(sorted(found)), unlisted

    @property
    def all_files(self) -> tuple[str, ...]:
        """Every file in the entry, relative and with '/' separators, sorted."""
        return self._listing[0]

    @property
    def unlisted(self) -> dict[str, Finding]:
        """Folders of the entry that cannot be listed (no read permission), by relative path."""
        return self._listing[1]

    @cached_property
    def files(self) -> tuple[str, ...]:
        """The files git would see: `all_files` minus those the entry's .gitignore excludes."""
        text = self.text(GITIGNORE) if GITIGNORE in self._file_set else None
        if not text:
            return self.all_files
        spec = _ignore_spec(text.splitlines())
        return tuple(f for f in self.all_files if not spec.match_file(f))

    @cached_property
    def _file_set(self) -> frozenset[str]:
        return frozenset(self.all_files)

    def exists(self, rel: str) -> bool:
        return rel in self._file_set

    def hidden(self, rel: str) -> bool:
        """Whether `rel` lies in a folder that could not be listed, so it may exist unseen."""
        return any(f == "." or rel.startswith(f + "/") for f in self.unlisted)

    def size(self, rel: str) -> int:
        try:
            return (self.path / rel).stat().st_size
        except OSError:
            return 0

    # Reading -----------------------------------------------------------------------------

    def text(self, rel: str) -> str | None:
        """The file's text, or `None` (missing, unreadable or not UTF-8; see `unreadable`)."""
        if rel not in self._texts:
            self._texts[rel] = self._read(rel)
        return self._texts[rel]

    def _read(self, rel: str) -> str | None:
        if not self.exists(rel):
            return None
        try:
            data = reading.read_bytes(self.path / rel, within=self.path)
        except reading.ReadError as e:
            self.unreadable[rel] = Finding(rel, e.reason)
            return None
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError as e:
            self.unreadable[rel] = _decode_problem(rel, data, e)
            return None

    def lines(self, rel: str) -> list[str]:
        text = self.text(rel)
        return text.splitlines() if text is not None else []

    def toml(self, rel: str) -> dict[str, Any] | None:
        """The parsed TOML file, or `None`; a syntax error is kept with its line and column."""
        if rel not in self._tomls:
            self._tomls[rel] = self._parse_toml(rel)
        return self._tomls[rel]

    def _parse_toml(self, rel: str) -> dict[str, Any] | None:
        text = self.text(rel)
        if text is None:
            return None
        try:
            return reading.parse_toml(text, self.path / rel)
        except reading.ReadError as e:
            self.unparsable[rel] = Finding(rel, e.reason, e.line, e.col)
            return None

    # The standard's files ----------------------------------------------------------------

    @cached_property
    def meta(self) -> dict[str, Any] | None:
        """tutorial.toml, parsed; `None` for legacy entries and broken files."""
        return None if self.legacy else self.toml(metadata.FILENAME)

    @cached_property
    def slug(self) -> str:
        """The slug the metadata gives, or the folder name when it gives none."""
        slug = (self.meta or {}).get("slug")
        return slug if isinstance(slug, str) and slug else self.path.resolve().name

    @cached_property
    def script(self) -> str:
        return f"{self.slug}.jl"

    @cached_property
    def notebook_file(self) -> str:
        return f"{self.slug}.ipynb"

    @cached_property
    def flavor_page(self) -> str | None:
        """The docs page in the entry's `docs_flavor` beside README.md, if it has one."""
        from fluxzoo.sync import flavor_page

        return flavor_page(self.slug, (self.meta or {}).get("docs_flavor"))

    @cached_property
    def required_files(self) -> tuple[str, ...]:
        page = () if self.flavor_page is None else (self.flavor_page,)
        return (
            self.script,
            self.notebook_file,
            README,
            *page,
            PROJECT,
            RUNTESTS,
            metadata.FILENAME,
            GITIGNORE,
        )

    @cached_property
    def project(self) -> dict[str, Any] | None:
        return self.toml(PROJECT)

    @cached_property
    def notebook_json(self) -> dict[str, Any] | None:
        """The notebook as JSON, or `None`; a JSON syntax error is kept with its position."""
        text = self.text(self.notebook_file)
        if text is None:
            return None
        try:
            data = reading.parse_json(text, self.path / self.notebook_file)
        except reading.ReadError as e:
            self.unparsable[self.notebook_file] = Finding(
                self.notebook_file, e.reason, e.line, e.col
            )
            return None
        if not isinstance(data, dict):
            self.unparsable[self.notebook_file] = Finding(
                self.notebook_file, "not a notebook: the JSON is not an object"
            )
            return None
        return data

    def derived(self) -> dict[str, str]:
        """The notebook and docs pages `fluxzoo sync` would write (`sync.derived_files`),
        worked out once; raises its `FluxzooError` when they cannot be derived."""
        files, error = self._derived
        if error is not None:
            raise error
        return files

    @cached_property
    def _derived(self) -> tuple[dict[str, str], FluxzooError | None]:
        from fluxzoo.sync import derived_files

        try:
            return derived_files(self.path), None
        except FluxzooError as e:
            return {}, e

    @cached_property
    def julia_files(self) -> tuple[str, ...]:
        """Julia code the entry runs: `.jl` files in the entry folder and under `test/`."""
        return tuple(
            f
            for f in self.all_files
            if f.endswith(".jl") and ("/" not in f or f.startswith("test/"))
        )

    @cached_property
    def test_files(self) -> tuple[str, ...]:
        return tuple(f for f in self.julia_files if f.startswith("test/"))

    @cached_property
    def source_files(self) -> tuple[str, ...]:
        return tuple(f for f in self.julia_files if not f.startswith("test/"))

    def julia(self, rel: str) -> ParsedJulia | None:
        """The Julia file parsed once (every rule asks this one tree), or `None` if unreadable."""
        if rel not in self._julia:
            text = self.text(rel)
            if text is None:
                self._julia[rel] = None
            else:
                from fluxzoo.julia_syntax import parse

                self._julia[rel] = parse(text)
        return self._julia[rel]

    def names(self, rel: str) -> FileNames | None:
        """What the Julia file loads, defines and uses (`julia_names.resolve` of its tree)."""
        if rel not in self._names:
            parsed = self.julia(rel)
            if parsed is None:
                self._names[rel] = None
            else:
                from fluxzoo.julia_names import resolve

                self._names[rel] = resolve(parsed)
        return self._names[rel]

    @cached_property
    def stack(self) -> Stack:
        """The release of each package the entry's code is judged against (`checks.stack`)."""
        from fluxzoo.checks.stack import Stack

        return Stack(self)

    @cached_property
    def imports(self) -> dict[str, dict[str, tuple[int, int]]]:
        """Packages each Julia file loads, with where the first `using`/`import` names them."""
        from fluxzoo.julia_syntax import package_positions

        result = {}
        for rel in self.julia_files:
            parsed = self.julia(rel)
            if parsed is not None:
                result[rel] = dict(sorted(package_positions(parsed).items()))
        return result

    # Merge conflicts ---------------------------------------------------------------------

    @cached_property
    def text_files(self) -> tuple[str, ...]:
        """The files git would see that may be text a person edits (not binary, not huge)."""
        return tuple(f for f in self.files if self.size(f) <= TEXT_LIMIT)

    def conflicts(self, rel: str) -> tuple[ConflictBlock, ...]:
        """The unresolved merge-conflict blocks of a text file (none if it is not text)."""
        if rel not in self._conflicts:
            from fluxzoo.conflict_markers import conflict_blocks

            text = self.text(rel) if rel in self.text_files else None
            self._conflicts[rel] = tuple(conflict_blocks(text)) if text else ()
        return self._conflicts[rel]

    def caused_by_conflict(self, finding: Finding, scope: ConflictScope | None) -> bool:
        """Whether a merge conflict in the finding's file explains it (see `ConflictScope`)."""
        if scope is None or not finding.path:
            return False
        blocks = self.conflicts(finding.path)
        if scope is ConflictScope.FILE:
            return bool(blocks)
        line = finding.line
        return line is not None and any(b.start <= line <= b.end for b in blocks)

    # Positions ---------------------------------------------------------------------------

    def key_line(self, rel: str, table: str, key: str) -> int | None:
        """The line setting `key` in `[table]` ('' for the top level), if written plainly."""
        current = ""
        spellings = (key, f'"{key}"')
        for number, line in enumerate(self.lines(rel), start=1):
            header = TABLE_HEADER.match(line)
            if header:
                current = header.group(1)
            elif current == table and _sets(line.lstrip(), spellings):
                return number
        return None

    def table_line(self, rel: str, table: str) -> int | None:
        """The line of the `[table]` header, if there is one."""
        for number, line in enumerate(self.lines(rel), start=1):
            header = TABLE_HEADER.match(line)
            if header and header.group(1) == table:
                return number
        return None
