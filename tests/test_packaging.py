"""What fluxzoo says about itself: one version, in the package metadata and on the command line.

The wheel itself is tested in test_install.py."""

from __future__ import annotations

import importlib.metadata
import json
import re
from pathlib import Path

import pytest
from fluxzoo.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_version_names_the_package_and_the_template(capsys):
    template = json.loads((ROOT / "template/cookiecutter.json").read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == (
        f"fluxzoo {importlib.metadata.version('fluxzoo')} "
        f"(template {template['_template_version']})\n"
    )


def _readme_section(title: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return text.split(f"\n## {title}\n", 1)[1].split("\n## ", 1)[0]


def test_readme_quick_start_is_two_commands_then_the_tool_install(capsys):
    section = _readme_section("Quick start")
    blocks = re.findall(r"```sh\n(.*?)```", section, flags=re.S)
    quick, tool = blocks[:2], blocks[2]
    assert [b.count("\n") for b in quick] == [1, 1], "two one-line commands"
    assert quick[0].startswith("python3 -m venv .venv && .venv/bin/pip install -e . && ")
    assert "pip install -e '.[test]' && .venv/bin/python -m pytest -n 2" in quick[1]
    assert (
        (ROOT / ".ci/run")
        .read_text(encoding="utf-8")
        .rstrip()
        .endswith(".venv/bin/python -m pytest -n 2")
    )
    assert re.search(r"^pipx install \.\s+# or: uv tool install \.$", tool, flags=re.M)
    with pytest.raises(SystemExit):
        main(["--version"])
    shown = re.search(r"^fluxzoo --version\s+# (.*)$", tool, flags=re.M)
    assert shown and shown.group(1) + "\n" == capsys.readouterr().out


def test_readme_names_the_pin_init_zoo_writes():
    section = _readme_section("Setting up a zoo: `fluxzoo init-zoo` and pre-commit")
    assert f"`FLUXZOO_PACKAGE: fluxzoo=={importlib.metadata.version('fluxzoo')}`" in section
    assert f"rev: v{importlib.metadata.version('fluxzoo')}" in section
