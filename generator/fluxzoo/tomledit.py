"""Edits to TOML files that keep everything else: comments, blank lines, key order, quoting.

`fluxzoo check --fix` and `fluxzoo update` change a few keys of files people wrote by hand
(`Project.toml`, `tutorial.toml`); re-dumping a parsed document would drop the comments and
reorder the tables. tomlkit edits the document itself, so a diff shows only the keys changed.
New keys go at the end of their table; a missing table is appended at the end of the file.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import tomlkit
from tomlkit.items import Table


def _table(doc: tomlkit.TOMLDocument, name: str, *, create: bool) -> Table | None:
    if not name:
        return doc  # type: ignore[return-value]
    scope: Any = doc
    for part in name.split("."):
        if part not in scope:
            if not create:
                return None
            scope[part] = tomlkit.table()
        scope = scope[part]
    return scope if isinstance(scope, Mapping) else None


def set_keys(text: str, table: str, values: Mapping[str, Any], *, replace: bool = False) -> str:
    """`text` with `values` set in `[table]` ('' for the top level).

    Keys already there keep their value unless `replace`; new keys are appended to the table.
    """
    doc = tomlkit.parse(text)
    scope = _table(doc, table, create=True)
    if scope is None:
        raise ValueError(f"{table} is not a table")
    for key, value in values.items():
        if replace or key not in scope:
            scope[key] = value
    return tomlkit.dumps(doc)


def remove_keys(text: str, table: str, keys: Iterable[str]) -> str:
    """`text` without `keys` in `[table]`; a table left empty by the removal is dropped."""
    doc = tomlkit.parse(text)
    scope = _table(doc, table, create=False)
    if scope is None:
        return text
    wanted = set(keys)
    for key in [k for k in scope if k in wanted]:
        del scope[key]
    if table and not scope and "." not in table:
        del doc[table]
    return tomlkit.dumps(doc)


def remove_from_lists(text: str, table: str, names: Iterable[str]) -> str:
    """`text` with `names` taken out of every list in `[table]` (as `[targets] test`)."""
    doc = tomlkit.parse(text)
    scope = _table(doc, table, create=False)
    if scope is None:
        return text
    wanted = set(names)
    for key in list(scope):
        value = scope[key]
        if isinstance(value, list):
            for i in reversed(range(len(value))):
                if value[i] in wanted:
                    del value[i]
    return tomlkit.dumps(doc)
