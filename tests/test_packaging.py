"""An installed fluxzoo (a wheel, as the zoo's CI and pre-commit get it) carries its template."""

from __future__ import annotations

import importlib.metadata
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from fluxzoo.cli import main

ROOT = Path(__file__).resolve().parents[1]


def test_the_wheel_ships_the_template_and_hooks(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("fluxzoo-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("template", "hooks"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                name = f"fluxzoo/_resources/{path.relative_to(ROOT).as_posix()}"
                assert name in shipped, f"{name} is missing from the wheel"
    assert "fluxzoo/data/julia_registry.json" in shipped


def test_version_names_the_package_and_the_template(capsys):
    template = json.loads((ROOT / "template/cookiecutter.json").read_text(encoding="utf-8"))
    with pytest.raises(SystemExit) as stop:
        main(["--version"])
    assert stop.value.code == 0
    assert capsys.readouterr().out == (
        f"fluxzoo {importlib.metadata.version('fluxzoo')} "
        f"(template {template['_template_version']})\n"
    )
