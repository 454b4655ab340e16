"""Write tests/fixtures/model-zoo.tar.xz: the real FluxML/model-zoo at one commit, for the tests.

    python scripts/snapshot_model_zoo.py /path/to/model-zoo.git tests/fixtures/model-zoo.tar.xz

Every text file (UTF-8, no NUL byte) is kept byte for byte; a binary file (figures, GIFs)
becomes zero bytes of the same size, since no rule reads an image's content but some weigh its
size; a blob the clone does not have is left out and listed. The zoo is MIT ("Expat")
licensed; its LICENSE.md is in the archive. Provenance goes into tests/fixtures/model-zoo.md.
"""

from __future__ import annotations

import argparse
import io
import subprocess
import tarfile
from pathlib import Path


def _git(repo: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True).stdout


def _is_text(data: bytes) -> bool:
    if b"\0" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repo", type=Path, help="a clone of FluxML/model-zoo (bare is fine)")
    parser.add_argument("out", type=Path)
    parser.add_argument("--commit", default="HEAD")
    args = parser.parse_args()
    commit = _git(args.repo, "rev-parse", args.commit).decode().strip()
    listing = _git(args.repo, "ls-tree", "-r", "-z", commit).split(b"\0")
    missing, blanked = [], []
    with tarfile.open(args.out, "w:xz", preset=9) as tar:
        for item in sorted(x for x in listing if x):
            meta, path = item.decode().split("\t", 1)
            mode, kind, sha = meta.split()
            if kind != "blob":
                continue
            try:
                data = _git(args.repo, "cat-file", "blob", sha)
            except subprocess.CalledProcessError:
                missing.append(path)
                continue
            if not _is_text(data):
                data = bytes(len(data))
                blanked.append(path)
            info = tarfile.TarInfo(f"model-zoo/{path}")
            info.size, info.mtime = len(data), 0
            info.mode = 0o755 if mode == "100755" else 0o644
            tar.addfile(info, io.BytesIO(data))
    print(f"commit {commit}")
    print(f"binary files as zeros of their size: {len(blanked)}")
    print("left out (not in the clone):", ", ".join(missing) or "none")


if __name__ == "__main__":
    main()
