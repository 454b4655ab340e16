"""Every GitHub workflow fluxzoo writes or has, linted the way GitHub reads it: actionlint, with
shellcheck on the `run:` scripts. A finding here is a workflow that fails or misbehaves on
GitHub, where no test of ours can see it."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fluxzoo.cli import main
from workflow_steps import posix_bash

pytestmark = posix_bash

ROOT = Path(__file__).resolve().parents[1]
OWN_WORKFLOWS = sorted((ROOT / ".github/workflows").glob("*.y*ml"))


def _tool(name: str, how: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed; {how}"
    return found


def actionlint(*files: Path) -> list[dict]:
    """actionlint's findings on `files`, with shellcheck checking each `run:` script."""
    result = subprocess.run(
        [
            _tool("actionlint", "pip install -e '.[test]'"),
            "-no-color",
            "-shellcheck",
            _tool("shellcheck", "apt-get install shellcheck"),
            "-format",
            "{{json .}}",
            *map(str, files),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr
    findings = json.loads(result.stdout or "[]")
    assert (result.returncode == 1) == bool(findings), result.stderr
    return findings


def _readable(findings: list[dict]) -> str:
    return "\n".join(f"{f['filepath']}:{f['line']}: [{f['kind']}] {f['message']}" for f in findings)


def test_what_init_zoo_writes_passes_actionlint(tmp_path, capsys):
    zoo = tmp_path / "zoo"
    zoo.mkdir()
    assert main(["init-zoo", str(zoo)]) == 0
    capsys.readouterr()
    workflows = sorted((zoo / ".github/workflows").glob("*"))
    assert "fluxzoo.yml" in {w.name for w in workflows}
    findings = actionlint(*workflows)
    assert findings == [], _readable(findings)


def test_fluxzoo_has_a_ci_and_a_release_workflow():
    assert {"ci.yml", "release.yml"} <= {w.name for w in OWN_WORKFLOWS}


@pytest.mark.parametrize("workflow", OWN_WORKFLOWS, ids=lambda p: p.name)
def test_fluxzoos_own_workflows_pass_actionlint(workflow):
    findings = actionlint(workflow)
    assert findings == [], _readable(findings)


def test_the_lint_does_find_broken_workflows_and_scripts(tmp_path):
    broken = tmp_path / "broken.yml"
    broken.write_text(
        "name: broken\n"
        "on: push\n"
        "jobs:\n"
        "  a:\n"
        "    runs-on: ubuntu-latest\n"
        "    steps:\n"
        "      - run: echo $HOME ${{ github.evnt_name }}\n"
        "      - uses: actions/checkout@v4\n"
        "        with:\n"
        "          fetch_depth: 0\n",
        encoding="utf-8",
    )
    kinds = {f["kind"] for f in actionlint(broken)}
    assert {"shellcheck", "expression", "action"} <= kinds, kinds
