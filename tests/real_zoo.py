"""The real FluxML model zoo, for the tests and benches that run on it.

Its git directory comes from $FLUXZOO_MODEL_ZOO_GIT (default: the mirror this machine keeps at
/work/.mirror/FluxML+model-zoo/repo). The tree of HEAD is written out blob by blob, because the
mirror lacks a few large figures (files of 4 MiB and more) and `git archive` stops at the first
missing one; what is missing is left out.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

GIT_DIR = Path(os.environ.get("FLUXZOO_MODEL_ZOO_GIT", "/work/.mirror/FluxML+model-zoo/repo"))


def available() -> bool:
    return (GIT_DIR / "HEAD").is_file() or (GIT_DIR / ".git").exists()


def extract(dest: Path) -> Path:
    """Write the files of the zoo's HEAD into `dest`; return `dest`."""
    git = ["git", "-C", str(GIT_DIR)]
    listing = subprocess.run([*git, "ls-tree", "-r", "-z", "HEAD"], capture_output=True, check=True)
    blobs = []
    for record in listing.stdout.split(b"\0"):
        if not record:
            continue
        meta, path = record.split(b"\t", 1)
        mode, kind, sha = meta.split()
        if kind == b"blob" and mode != b"120000":
            blobs.append((sha.decode(), path.decode()))
    batch = subprocess.run(
        [*git, "cat-file", "--batch"],
        input="".join(f"{sha}\n" for sha, _ in blobs).encode(),
        capture_output=True,
        check=True,
    ).stdout
    pos = 0
    for _, path in blobs:
        end = batch.index(b"\n", pos)
        header = batch[pos:end].split()
        pos = end + 1
        if header[-1] == b"missing":
            continue
        size = int(header[2])
        target = dest / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[pos : pos + size])
        pos += size + 1
    return dest
