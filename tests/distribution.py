"""fluxzoo as others get it: a git copy of this checkout, its sdist and wheel, and the wheels of
its dependencies, each made once per test session and shared by the xdist workers.

Plain functions over `tmp_path_factory` (not fixtures) so the install, pre-commit and release
tests use the same copies; the first worker to ask makes one, under a file lock.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import fluxzoo
import pytest
from filelock import FileLock

ROOT = Path(__file__).resolve().parents[1]
GIT_IDENTITY = {
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}


def git(cwd: Path, *argv: str) -> str:
    result = subprocess.run(
        ["git", *argv],
        cwd=cwd,
        env={**os.environ, **GIT_IDENTITY},
        check=True,
        capture_output=True,
        text=True,
    )
    return result.stdout.strip()


def _once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """`make(folder)` once per session: the workers of one run share the parent of their temp
    folders; a run without xdist has a temp folder of its own."""
    base = factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = shared / f"distribution-{name}"
    with FileLock(str(folder) + ".lock"):
        done = folder / ".done"
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            make(folder)
            done.touch()
    return folder


def _copy_checkout(dest: Path) -> None:
    """The checkout as it is now (tracked and new files, uncommitted edits too), committed."""
    listed = git(ROOT, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    for rel in filter(None, listed.split("\0")):
        src, dst = ROOT / rel, dest / rel
        if not (src.exists() or src.is_symlink()):
            continue  # deleted in the working tree
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            dst.symlink_to(src.readlink())
        else:
            shutil.copy2(src, dst)
    git(dest, "init", "-q", "-b", "main")
    git(dest, "add", "-A")
    git(dest, "commit", "-q", "-m", "snapshot")
    git(dest, "tag", f"v{fluxzoo.__version__}")  # as a release would be tagged


def repository(factory: pytest.TempPathFactory) -> Path:
    """A git repository holding this checkout as one commit tagged `vX.Y.Z`, as pre-commit
    would clone it."""
    return _once(factory, "repository", _copy_checkout)


def dists(factory: pytest.TempPathFactory) -> Path:
    """`python -m build` of the checkout: the sdist, and the wheel built from that sdist."""
    source = repository(factory)

    def build(out: Path) -> None:
        build_copy = out / "source"
        shutil.copytree(source, build_copy, symlinks=True, ignore=shutil.ignore_patterns(".git"))
        subprocess.run(
            [sys.executable, "-m", "build", "--outdir", str(out), str(build_copy)],
            check=True,
            capture_output=True,
        )
        shutil.rmtree(build_copy)

    return _once(factory, "dists", build)


def pip_cache(factory: pytest.TempPathFactory) -> Path:
    """PIP_CACHE_DIR for the session (each test's HOME is new): what pip downloads for the
    wheelhouse is not downloaded again for the pre-commit hook environments."""
    return _once(factory, "pip-cache", lambda _: None)


def wheelhouse(factory: pytest.TempPathFactory) -> Path:
    """The fluxzoo wheel and the wheels of all its dependencies, for `pip --no-index`."""
    (wheel,) = dists(factory).glob("fluxzoo-*.whl")

    def download(out: Path) -> None:
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "-q", "--wheel-dir", str(out), str(wheel)],
            env={**os.environ, "PIP_CACHE_DIR": str(pip_cache(factory))},
            check=True,
            capture_output=True,
        )

    return _once(factory, "wheelhouse", download)


def pre_commit_home(factory: pytest.TempPathFactory) -> Path:
    """PRE_COMMIT_HOME for the session: the hook environments are made once."""
    return _once(factory, "pre-commit-home", lambda _: None)
