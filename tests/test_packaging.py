"""What fluxzoo says about itself: one version, in the package metadata and on the command line.

The wheel itself is tested in test_install.py."""

from __future__ import annotations

import importlib.metadata
import json
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
