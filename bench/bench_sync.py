"""Time of `fluxzoo sync --check` over 500 generated entries (after one `fluxzoo sync`).

    .venv/bin/python bench/bench_sync.py [--entries N]

Goal: under 5 s for 500 entries.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import time
from pathlib import Path

from bench_literate import source
from fluxzoo.cli import main as fluxzoo

CATEGORIES = ("vision", "text", "other", "tutorials", "contrib")
FLAVORS = ("commonmark", "documenter", "franklin", "quarto")


def make_zoo(root: Path, entries: int) -> None:
    src = source(150)
    for i in range(entries):
        slug = f"entry_{i:04d}"
        entry = root / CATEGORIES[i % len(CATEGORIES)] / slug
        entry.mkdir(parents=True)
        (entry / f"{slug}.jl").write_text(src, encoding="utf-8")
        (entry / "tutorial.toml").write_text(
            f'title = "Entry {i}"\nslug = "{slug}"\ndocs_flavor = "{FLAVORS[i % len(FLAVORS)]}"\n'
            '[tested]\njulia = "1.10"\nflux = "0.16"\n',
            encoding="utf-8",
        )


def timed(argv: list[str]) -> tuple[int, float]:
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        code = fluxzoo(argv)
    return code, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make_zoo(root, args.entries)
        code, first = timed(["sync", str(root)])
        assert code == 0, code
        code, check = timed(["sync", "--check", str(root)])
        assert code == 0, code
    print(f"sync of {args.entries} new entries: {first:.2f} s")
    budget = f"goal 5 s: {check / 5:.2f}x of budget"
    print(f"sync --check of {args.entries} entries: {check:.2f} s ({budget})")


if __name__ == "__main__":
    main()
