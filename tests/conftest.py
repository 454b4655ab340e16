"""Shared test set-up: every test runs with a private HOME, git and cookiecutter configuration.

So no test reads the developer's ~/.cookiecutterrc, replay folder or git identity, and no
test writes outside its temporary folder. Fixtures that parse a generated entry live here too,
because the bake, render and new tests all check entries the same way.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fluxzoo import _paths

TEST_AUTHOR = "Ada Tester"
TEST_EMAIL = "ada@example.org"


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    home = tmp_path_factory.mktemp("home")
    gitconfig = home / ".gitconfig"
    gitconfig.write_text(
        f"[user]\n\tname = {TEST_AUTHOR}\n\temail = {TEST_EMAIL}\n", encoding="utf-8"
    )
    cookiecutter_config = home / ".cookiecutterrc"
    cookiecutter_config.write_text(
        f"cookiecutters_dir: {json.dumps(str(home / 'cookiecutters'))}\n"
        f"replay_dir: {json.dumps(str(home / 'cookiecutter_replay'))}\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("USERPROFILE", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("COOKIECUTTER_CONFIG", str(cookiecutter_config))
    monkeypatch.delenv("FLUXZOO_TEMPLATE_ROOT", raising=False)
    monkeypatch.delenv("FLUXZOO_CACHE_DIR", raising=False)  # `check`'s cache: under HOME
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    return home


@pytest.fixture
def template_dir() -> Path:
    """The template exactly as it is in the checkout (its hooks are a relative symlink)."""
    return _paths.template_dir()


def _entry_files(entry: Path) -> set[str]:
    return {p.relative_to(entry).as_posix() for p in entry.rglob("*") if p.is_file()}


def _parse_entry(entry: Path) -> dict[str, Any]:
    """Parse every file of a generated entry for real; fail the test on anything invalid.

    Returns the parsed documents by file name, and the text of every file under "text".
    """
    import nbformat
    from fluxzoo.julia_syntax import syntax_errors
    from fluxzoo.metadata import tomllib

    parsed: dict[str, Any] = {"text": {}}
    for name in sorted(_entry_files(entry)):
        text = (entry / name).read_bytes().decode("utf-8")
        parsed["text"][name] = text
        assert "\r" not in text, f"{name}: carriage return"
        if not name.endswith((".ipynb", ".md", ".qmd")):  # the derived pages: Literate's bytes
            assert text.endswith("\n") and not text.endswith("\n\n"), (
                f"{name}: must end with one newline"
            )
        if name.endswith(".jl"):
            errors = syntax_errors(text)
            assert not errors, f"{name}: {errors}"
        elif name.endswith(".toml"):
            parsed[name] = tomllib.loads(text)
        elif name.endswith(".ipynb"):
            notebook = nbformat.reads(text, as_version=4)
            nbformat.validate(notebook)
            parsed[name] = notebook
        elif name.endswith(".json"):
            parsed[name] = json.loads(text)
    return parsed


@pytest.fixture
def entry_files() -> Callable[[Path], set[str]]:
    """The files of an entry, as POSIX paths relative to it."""
    return _entry_files


@pytest.fixture
def parse_entry() -> Callable[[Path], dict[str, Any]]:
    return _parse_entry
