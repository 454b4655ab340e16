"""Run a GitHub workflow's own `run:` steps here, the way a Linux runner runs them.

The scripts are taken from the YAML, not copied into tests, so a test of a step tests the step
that ships. A runner passes outputs and environment between steps through the files named by
GITHUB_OUTPUT and GITHUB_ENV; `key_values` reads them back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
import yaml

posix_bash = pytest.mark.skipif(
    sys.platform == "win32",
    reason="runs bash scripts written for ubuntu-latest runners; Windows has no such bash",
)
"""For tests that run workflow steps or lint their bash: they apply where the runner's shell is."""


def steps(workflow: Path, job: str) -> dict[str, dict]:
    """The steps of `job`, by id (or by name for steps without an id)."""
    doc = yaml.safe_load(workflow.read_text(encoding="utf-8"))
    return {s.get("id") or s.get("name", ""): s for s in doc["jobs"][job]["steps"]}


def runner_env(temp: Path, **extra: str) -> dict[str, str]:
    """The environment of a runner whose `python` (and `fluxzoo`) is the one running the tests,
    with empty GITHUB_OUTPUT and GITHUB_ENV files in `temp`."""
    temp.mkdir(parents=True, exist_ok=True)
    for name in ("github-output", "github-env"):
        (temp / name).write_text("", encoding="utf-8")
    return {
        **os.environ,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "RUNNER_TEMP": str(temp),
        "GITHUB_OUTPUT": str(temp / "github-output"),
        "GITHUB_ENV": str(temp / "github-env"),
        **extra,
    }


def run_step(
    step: Mapping[str, object],
    cwd: Path,
    env: Mapping[str, str],
    wrapper: Sequence[str] = (),
) -> subprocess.CompletedProcess[str]:
    """Run one `run:` step with bash as GitHub does: `bash -e {0}` when the step names no shell,
    `bash --noprofile --norc -eo pipefail {0}` for `shell: bash`."""
    handle, name = tempfile.mkstemp(suffix=".sh")
    os.close(handle)
    script = Path(name)
    script.write_text(str(step["run"]), encoding="utf-8")
    shell = step.get("shell")
    assert shell in (None, "bash"), f"only bash steps run here, not {shell}"
    flags = ["--noprofile", "--norc", "-eo", "pipefail"] if shell == "bash" else ["-e"]
    try:
        return subprocess.run(
            [*wrapper, "bash", *flags, str(script)],
            cwd=cwd,
            env=dict(env),
            capture_output=True,
            text=True,
            check=False,
        )
    finally:
        script.unlink()


def key_values(path: Path) -> dict[str, str]:
    """The `key=value` lines a step appended to GITHUB_OUTPUT or GITHUB_ENV."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line)
