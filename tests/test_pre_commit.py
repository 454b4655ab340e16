"""pre-commit for real: a zoo uses the `.pre-commit-config.yaml` its CONTRIBUTING.md gives, with
this repository (a git copy, tagged as a release) as the hook repository.

pre-commit installs the hooks' environment as it would for a contributor: pip, with nothing but
the default package index (no local wheels), builds fluxzoo from the clone and installs its
dependencies. The environments live in a PRE_COMMIT_HOME of the test session.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import fluxzoo
import pytest
import yaml
from distribution import git, pip_cache, pre_commit_home, repository
from fluxzoo.cli import main

CHECK = "fluxzoo check"
SYNC = "fluxzoo sync --check"


def _registry_only_env(home: Path, cache: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PIP_", "PRE_COMMIT"))}
    env.update(PRE_COMMIT_HOME=str(home), PIP_CONFIG_FILE=os.devnull, PIP_QUIET="1")
    env["PIP_CACHE_DIR"] = str(cache)
    for keep in ("PIP_CERT", "PIP_DEFAULT_TIMEOUT"):  # how to reach the index, not where
        if keep in os.environ:
            env[keep] = os.environ[keep]
    return env


def pre_commit(
    zoo: Path, factory: pytest.TempPathFactory, *argv: str
) -> subprocess.CompletedProcess[str]:
    """pre-commit in `zoo`, with the session's hook environments (try-repo makes its own)."""
    env = _registry_only_env(pre_commit_home(factory), pip_cache(factory))
    return subprocess.run(
        [sys.executable, "-m", "pre_commit", *argv],
        cwd=zoo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def hook_result(output: str, name: str) -> str:
    """'Passed' or 'Failed' from pre-commit's `name......Passed` line."""
    (status,) = re.findall(rf"^{re.escape(name)}\.+(\w+)$", output, flags=re.M)
    return status


def add_entry(zoo: Path, slug: str) -> Path:
    """An entry with every TODO(fluxzoo) marker filled in, in sync: `fluxzoo check` passes it."""
    title = slug.replace("_", " ").capitalize()
    argv = ["new", "--no-input", "--set", f"title={title}", "--set", f"slug={slug}"]
    assert main([*argv, "--set", "category=tutorials", "--zoo", str(zoo)]) == 0
    entry = zoo / "tutorials" / slug
    for name in (f"{slug}.jl", "tutorial.toml"):
        path = entry / name
        path.write_text(path.read_text(encoding="utf-8").replace("TODO(fluxzoo): ", ""))
    assert main(["sync", str(entry)]) == 0
    assert main(["check", str(entry)]) == 0
    return entry


def config_from_contributing(zoo: Path, hook_repo: Path) -> str:
    """The config CONTRIBUTING.md shows, pointed at the local copy instead of GitHub."""
    text = (zoo / "CONTRIBUTING.md").read_text(encoding="utf-8")
    (block,) = re.findall(r"```yaml\n(repos:\n.*?)```", text, flags=re.S)
    config = yaml.safe_load(block)
    (repo,) = config["repos"]
    assert repo["repo"] == "https://github.com/FluxML/fluxzoo"
    assert repo["rev"] == f"v{fluxzoo.__version__}"
    assert [h["id"] for h in repo["hooks"]] == ["fluxzoo-check", "fluxzoo-sync-check"]
    return block.replace(repo["repo"], hook_repo.as_uri())


@pytest.fixture
def zoo(tmp_path: Path, tmp_path_factory: pytest.TempPathFactory, capsys) -> Path:
    root = tmp_path / "zoo"
    root.mkdir()
    assert main(["init-zoo", str(root)]) == 0
    add_entry(root, "line_fit")
    config = config_from_contributing(root, repository(tmp_path_factory))
    (root / ".pre-commit-config.yaml").write_text(config, encoding="utf-8")
    git(root, "init", "-q")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "a zoo")
    capsys.readouterr()
    return root


def test_a_clean_zoo_passes_both_hooks(zoo, tmp_path_factory):
    result = pre_commit(zoo, tmp_path_factory, "run", "--all-files")
    assert result.returncode == 0, result.stdout + result.stderr
    assert hook_result(result.stdout, CHECK) == "Passed"
    assert hook_result(result.stdout, SYNC) == "Passed"


def test_a_stale_notebook_fails_the_sync_hook(zoo, tmp_path_factory):
    source = zoo / "tutorials/line_fit/line_fit.jl"
    source.write_text(source.read_text(encoding="utf-8") + "\n# One more paragraph.\n")
    git(zoo, "add", "-A")
    result = pre_commit(zoo, tmp_path_factory, "run", "--all-files")
    assert result.returncode == 1
    assert hook_result(result.stdout, SYNC) == "Failed"
    assert "tutorials/line_fit/line_fit.ipynb" in result.stdout
    assert source.read_text(encoding="utf-8").endswith("# One more paragraph.\n")


def test_a_bad_entry_fails_the_check_hook(zoo, tmp_path_factory):
    meta = zoo / "tutorials/line_fit/tutorial.toml"
    meta.write_text(
        re.sub(r'^slug = ".*"$', 'slug = "elsewhere"', meta.read_text(), flags=re.M),
        encoding="utf-8",
    )
    git(zoo, "add", "-A")
    result = pre_commit(zoo, tmp_path_factory, "run", "--all-files")
    assert result.returncode == 1
    assert hook_result(result.stdout, CHECK) == "Failed"
    assert re.search(r"tutorials/line_fit/tutorial\.toml:\d+:\d+: FZ\d{3} \[error\]", result.stdout)


def test_try_repo_runs_the_hooks_from_the_repository(zoo, tmp_path_factory, capsys):
    stale = add_entry(zoo, "curve_fit")
    source = stale / "curve_fit.jl"
    source.write_text(source.read_text(encoding="utf-8") + "\n# One more paragraph.\n")
    git(zoo, "add", "-A")
    capsys.readouterr()
    hook_repo = repository(tmp_path_factory)
    result = pre_commit(zoo, tmp_path_factory, "try-repo", str(hook_repo), "--all-files")
    assert result.returncode == 1, result.stdout + result.stderr
    assert hook_result(result.stdout, SYNC) == "Failed"
    assert "tutorials/curve_fit/curve_fit.ipynb" in result.stdout
    assert "line_fit" not in result.stdout, "the clean entry is not reported"
