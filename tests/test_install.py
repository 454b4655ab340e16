"""fluxzoo from its wheel, as pipx, the zoo's CI and the release workflow get it: the release
workflow's own steps build-check it, install it into a clean virtual environment and use it,
with that environment read-only, from outside the checkout."""

from __future__ import annotations

import importlib.metadata
import os
import stat
import subprocess
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from distribution import ROOT, dists, wheelhouse
from workflow_steps import key_values, posix_bash, run_step, runner_env, steps

pytestmark = posix_bash

RELEASE = ROOT / ".github/workflows/release.yml"
VERSION = importlib.metadata.version("fluxzoo")


def release_step(name: str) -> dict:
    return steps(RELEASE, "build")[name]


def test_the_wheel_ships_the_template_hooks_and_zoo_files(tmp_path_factory):
    (wheel,) = dists(tmp_path_factory).glob("fluxzoo-*.whl")
    assert wheel.name == f"fluxzoo-{VERSION}-py3-none-any.whl"
    shipped = set(zipfile.ZipFile(wheel).namelist())
    for folder in ("template", "hooks", "generator/fluxzoo/zoo_files"):
        for path in (ROOT / folder).rglob("*"):
            if path.is_file() and "__pycache__" not in path.parts:
                rel = path.relative_to(ROOT).as_posix()
                name = (
                    rel.replace("generator/", "", 1)
                    if folder.startswith("generator")
                    else (f"fluxzoo/_resources/{rel}")
                )
                assert name in shipped, f"{name} is missing from the wheel"
    assert "fluxzoo/data/julia_registry.json" in shipped


def test_the_release_checks_the_metadata_pypi_shows(tmp_path_factory, tmp_path):
    (tmp_path / "dist").symlink_to(dists(tmp_path_factory))
    step = release_step("Check the package metadata PyPI will show")
    result = run_step(step, tmp_path, runner_env(tmp_path / "runner"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.count("PASSED") == 2, result.stdout  # the sdist and the wheel


def _writable(root: Path, on: bool) -> None:
    write = stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            mode = path.stat().st_mode
            path.chmod(mode | stat.S_IWUSR if on else mode & ~write)


@pytest.fixture
def read_only() -> Iterator[Callable[[Path], list[str]]]:
    """`read_only(folder)` takes the write bits off everything in `folder` (put back after the
    test) and returns the prefix that runs a command with `folder` read-only for root too,
    whom write bits do not stop: a private mount namespace where it is mounted read-only."""
    folders: list[Path] = []

    def make(folder: Path) -> list[str]:
        folders.append(folder)
        _writable(folder, on=False)
        if os.geteuid() != 0:
            return []
        remount = 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec "$@"'
        return ["unshare", "--mount", "sh", "-c", remount, str(folder)]

    yield make
    for folder in folders:
        _writable(folder, on=True)


def test_the_installed_wheel_works_from_a_read_only_location(tmp_path_factory, tmp_path, read_only):
    work, runner = tmp_path / "checkout", tmp_path / "runner"
    (work / "dist").mkdir(parents=True)
    (wheel,) = dists(tmp_path_factory).glob("*.whl")
    (work / "dist" / wheel.name).symlink_to(wheel)
    offline = {"PIP_NO_INDEX": "1", "PIP_FIND_LINKS": str(wheelhouse(tmp_path_factory))}
    env = runner_env(runner, **offline)

    installed = run_step(
        release_step("Install the wheel into a clean virtual environment"), work, env
    )
    assert installed.returncode == 0, installed.stderr
    fluxzoo = Path(key_values(runner / "github-env")["FLUXZOO"])
    venv = fluxzoo.parents[1].resolve()
    assert venv == (runner / "clean").resolve() and fluxzoo.is_file()
    located = subprocess.run(
        [
            str(venv / "bin/python"),
            "-c",
            "import fluxzoo, fluxzoo._paths as p; "
            "print(fluxzoo.__file__); print(p.template_dir() / 'cookiecutter.json')",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split("\n")
    (site,) = venv.glob("lib/python*/site-packages")
    assert Path(located[0]).resolve().is_relative_to(site), (
        "fluxzoo comes from the wheel, not the checkout"
    )
    template = Path(located[1])
    assert template.is_file() and not template.is_symlink()
    assert template.resolve().is_relative_to(site)

    wrapper = read_only(venv)
    probe = subprocess.run(
        [*wrapper, "sh", "-c", f"touch '{site}/fluxzoo/probe'"], capture_output=True, check=False
    )
    assert probe.returncode != 0, "the install location is really read-only"

    env = {**env, "FLUXZOO": str(fluxzoo), "HOME": str(tmp_path / "home")}
    (tmp_path / "home").mkdir()  # a runner's fresh home: no git identity, no cookiecutter config
    for var in ("GIT_CONFIG_GLOBAL", "COOKIECUTTER_CONFIG"):
        env.pop(var, None)
    tag = release_step("The tag names the version being built")
    assert run_step(tag, work, {**env, "GITHUB_REF_NAME": f"v{VERSION}"}, wrapper).returncode == 0
    wrong = run_step(tag, work, {**env, "GITHUB_REF_NAME": "v0.0.0-other"}, wrapper)
    assert wrong.returncode == 1 and "::error::tag v0.0.0-other" in wrong.stdout

    used = run_step(release_step("smoke"), runner, env, wrapper)
    assert used.returncode == 0, used.stdout + used.stderr
    assert used.stdout.startswith(f"fluxzoo {VERSION} (template ")
    zoo = runner / "zoo"
    (entry,) = [p.parent for p in zoo.glob("*/*/tutorial.toml")]
    assert entry.name == "release_smoke_test"
    assert {f.name for f in entry.iterdir()} >= {
        "release_smoke_test.jl",
        "release_smoke_test.ipynb",
        "README.md",
        "Project.toml",
        "tutorial.toml",
        "test",
    }
    workflow = (zoo / ".github/workflows/fluxzoo.yml").read_text(encoding="utf-8")
    assert f"FLUXZOO_PACKAGE: fluxzoo=={VERSION}\n" in workflow
    assert not list(site.rglob("probe")) and not list(site.rglob("*.fluxzoo-tmp"))
