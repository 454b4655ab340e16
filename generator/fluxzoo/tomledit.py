"""Edits to TOML files that keep everything else: comments, blank lines, key order, quoting.

`fluxzoo check --fix` and `fluxzoo update` change a few keys of files people wrote by hand
(`Project.toml`, `tutorial.toml`); re-dumping a parsed document would drop the comments and
reorder the tables. tomlkit edits the document itself, so a diff shows only the keys changed.
New keys go at the end of their table; a missing table is appended at the end of the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
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


def _edited(text: str, table: str, change: Callable[[Any], None], *, create: bool) -> str:
    """`text` after `change(scope)` on `[table]`; unchanged when the table is missing."""
    doc = tomlkit.parse(text)
    scope = _table(doc, table, create=create)
    if scope is None:  # missing, or not a table (`compat = "x"`): no edit, the finding stays
        return text
    change(scope)
    if table and not scope and "." not in table:
        del doc[table]  # a table the change left empty goes too
    return tomlkit.dumps(doc)


def set_keys(text: str, table: str, values: Mapping[str, Any], *, replace: bool = False) -> str:
    """`text` with `values` set in `[table]` ('' for the top level).

    Keys already there keep their value unless `replace`; new keys are appended to the table.
    """

    def change(scope: Any) -> None:
        for key, value in values.items():
            if replace or key not in scope:
                scope[key] = value

    return _edited(text, table, change, create=True)


def remove_keys(text: str, table: str, keys: Iterable[str]) -> str:
    """`text` without `keys` in `[table]`; a table left empty by the removal is dropped."""
    wanted = set(keys)

    def change(scope: Any) -> None:
        for key in [k for k in scope if k in wanted]:
            del scope[key]

    return _edited(text, table, change, create=False)


def remove_from_lists(text: str, table: str, names: Iterable[str]) -> str:
    """`text` with `names` taken out of every list in `[table]` (as `[targets] test`)."""
    wanted = set(names)

    def change(scope: Any) -> None:
        for value in scope.values():
            if isinstance(value, list):
                for i in reversed(range(len(value))):
                    if value[i] in wanted:
                        del value[i]

    return _edited(text, table, change, create=False)
