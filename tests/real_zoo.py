"""The real FluxML model zoo, for the tests and benches that run on it.

It comes from `fixtures/model-zoo.tar.xz` (what it holds and how it was made:
`fixtures/model-zoo.md`), so every machine runs these tests on the same zoo.
"""

from __future__ import annotations

import shutil
import tarfile
import tempfile
from pathlib import Path

ARCHIVE = Path(__file__).parent / "fixtures" / "model-zoo.tar.xz"


def extract(dest: Path) -> Path:
    """Write the zoo's files into `dest` (which must not exist yet); return `dest`."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=dest.parent) as tmp:
        with tarfile.open(ARCHIVE) as tar:
            tar.extractall(tmp, filter="data")
        shutil.move(str(Path(tmp) / "model-zoo"), dest)
    return dest
