"""Migrations of tutorial.toml across template versions: one registered step per version."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from fluxzoo import _paths, answers, migrations
from fluxzoo.errors import FluxzooError
from fluxzoo.kinds import KINDS

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HISTORY = Path(_paths.repo_root()) / "template_history"
SHIPPED = sorted(
    [p.name for p in HISTORY.iterdir() if (p / "cookiecutter.json").is_file()]
    + [answers.template_version()],
    key=migrations.parse,
)
PLACEHOLDER = json.loads((HISTORY / "1.0.0" / "cookiecutter.json").read_text("utf-8"))[
    "expected_runtime"
]


def test_every_version_after_the_first_has_a_migration_step() -> None:
    assert len(SHIPPED) >= 2, SHIPPED
    missing = [v for v in SHIPPED[1:] if migrations.parse(v) not in migrations.STEPS]
    assert missing == [], f"register @migration(...) for {missing} in fluxzoo/migrations.py"
    assert all(v <= migrations.parse(SHIPPED[-1]) for v in migrations.STEPS)


def metadata_1_0(kind: str, runtime: str = PLACEHOLDER) -> str:
    return f"""\
# written by hand, kept by every migration
title = "A tutorial"
slug = "a_tutorial"
kind = "{kind}"
expected_runtime = "{runtime}"  # the runtime

[fluxzoo]
template_version = "1.0.0"

[fluxzoo.answers]
kind = "{kind}"
expected_runtime = "{runtime}"
"""


def test_1_1_gives_the_placeholder_runtime_the_kinds_own() -> None:
    assert PLACEHOLDER == migrations.PLACEHOLDER_RUNTIME_1_0
    text, notes = migrations.migrate(metadata_1_0("transfer_learning"), "1.0.0", "1.1.0")
    meta = tomllib.loads(text)
    wanted = KINDS["transfer_learning"].runtime_marker
    assert (
        wanted.startswith("TODO(fluxzoo)") and KINDS["transfer_learning"].expected_runtime in wanted
    )
    assert meta["expected_runtime"] == wanted
    assert meta["fluxzoo"]["answers"]["expected_runtime"] == wanted
    assert meta["fluxzoo"]["template_version"] == "1.1.0"
    assert text.startswith("# written by hand, kept by every migration\n")
    assert "# the runtime" in text
    assert len(notes) == 1 and "check it against a real run" in notes[0]
    # Migrated once, it is current: migrating again changes nothing.
    assert migrations.migrate(text, "1.1.0", "1.1.0") == (text, [])


@pytest.mark.parametrize(
    ("kind", "runtime"),
    [
        ("transfer_learning", "two hours on my laptop"),
        ("nokind", PLACEHOLDER),
    ],
)
def test_1_1_keeps_a_runtime_a_person_wrote_or_of_an_unknown_kind(kind: str, runtime: str) -> None:
    before = metadata_1_0(kind, runtime)
    text, notes = migrations.migrate(before, "1.0.0", "1.1.0")
    assert text == before.replace('template_version = "1.0.0"', 'template_version = "1.1.0"')
    assert notes == []


def test_1_2_leaves_the_metadata_as_1_1_wrote_it() -> None:
    """1.2.0 changed the script only (its "About this tutorial" block)."""
    before = metadata_1_0("blank").replace('"1.0.0"', '"1.1.0"')
    text, notes = migrations.migrate(before, "1.1.0", "1.2.0")
    assert text == before.replace('template_version = "1.1.0"', 'template_version = "1.2.0"')
    assert notes == []


def test_a_newer_or_malformed_version_is_a_clear_error() -> None:
    with pytest.raises(FluxzooError, match="newer than this fluxzoo"):
        migrations.migrate(metadata_1_0("blank"), "9.0.0", "1.1.0")
    with pytest.raises(FluxzooError, match=r"not a version like 1\.0\.0"):
        migrations.migrate(metadata_1_0("blank"), "1.0", "1.1.0")


def test_versions_compare_as_numbers() -> None:
    assert migrations.parse("1.10.0") > migrations.parse("1.9.3")


def test_a_version_registers_one_step() -> None:
    with pytest.raises(ValueError, match="already has a migration"):
        migrations.migration("1.1.0")(lambda doc: [])
