"""How fast `fluxzoo site` is: the real model zoo after `adopt`, and generated zoos of growing size.

Each measurement runs the command as its own process (imports included, as a user or CI sees
it) and is compared with `fluxzoo index` over the same tree in the same run: the ratio says what
the pages, highlighting and name resolution cost beyond reading the entries' metadata.

- real: the model zoo of tests/fixtures/model-zoo.tar.xz written
  out, every legacy entry adopted; goal: under 1 s. Timed again in one process
  (`FLUXZOO_JOBS=1`), for what the worker processes (`fluxzoo.workers`) bring.
- generated: one baked entry of each of three kinds copied to N entries (N = 250, 500, 1000);
  the time per entry should stay flat (linear growth).

    .venv/bin/python bench/bench_site.py [--repeat N] [--sizes 250,500,1000]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import real_zoo
from fluxzoo.cli import main
from fluxzoo.workers import JOBS_VARIABLE, jobs

FLUXZOO = str(Path(sys.executable).parent / "fluxzoo")
KINDS = (
    ("vision", "image_classification"),
    ("text", "sequence_model"),
    ("tutorials", "custom_gradient"),
)


def _quiet(argv: list[str]) -> None:
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(argv) == 0, argv


# An installed fluxzoo has its modules byte-compiled; a shell that forbids writing bytecode
# would have every run compile them from source, which no user sees.
_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def _median(cmd: list[str], repeat: int, env: dict[str, str] = _ENV) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(cmd, check=True, capture_output=True, env=env)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _site(zoo: Path, work: Path) -> list[str]:
    return [FLUXZOO, "site", "--zoo", str(zoo), "--output", str(work / "site")]


def _measure(label: str, zoo: Path, work: Path, repeat: int, entries: int) -> float:
    site = _median(_site(zoo, work), repeat)
    index = _median([FLUXZOO, "index", "--zoo", str(zoo), "--format", "json"], repeat)
    print(
        f"{label:<22} {entries:>5} entries  site {site:6.2f} s  ({site / entries * 1000:6.1f} ms"
        f"/entry)  index {index:5.2f} s  ratio {site / index:5.1f}x"
    )
    return site


def _generated(root: Path, count: int) -> Path:
    seeds = root / "seeds"
    if not seeds.exists():
        for category, _ in KINDS:
            (seeds / category).mkdir(parents=True)
        for category, kind in KINDS:
            _quiet(["new", "--no-input", "--zoo", str(seeds), "--set", f"title=Seed {kind}",
                    "--set", f"slug=seed_{kind}", "--set", f"kind={kind}",
                    "--set", f"category={category}"])  # fmt: skip
    zoo = root / f"zoo{count}"
    for i in range(count):
        category, kind = KINDS[i % len(KINDS)]
        slug = f"entry_{i:04d}"
        src = seeds / category / f"seed_{kind}"
        dst = zoo / category / slug
        dst.mkdir(parents=True)
        for path in src.rglob("*"):
            if path.is_file():
                rel = path.relative_to(src).as_posix().replace(f"seed_{kind}", slug)
                target = dst / rel
                target.parent.mkdir(parents=True, exist_ok=True)
                data = path.read_bytes().replace(f"seed_{kind}".encode(), slug.encode())
                target.write_bytes(data)
    return zoo


def main_bench() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sizes", default="250,500,1000")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-site-") as tmp:
        root = Path(tmp)
        zoo = real_zoo.extract(root / "real")
        _quiet(["adopt", str(zoo)])
        count = sum(1 for _ in zoo.rglob("tutorial.toml"))
        _median(_site(zoo, root), 1)  # warm-up
        seconds = _measure("real zoo (adopted)", zoo, root, args.repeat, count)
        print(f"goal under 1 s for the real zoo: {'met' if seconds < 1 else 'NOT met'}")
        alone = _median(_site(zoo, root), args.repeat, {**_ENV, JOBS_VARIABLE: "1"})
        print(
            f"real zoo in one process ({JOBS_VARIABLE}=1): {alone:.2f} s; on {jobs(count)} "
            f"worker processes: {alone / seconds:.2f}x faster"
        )
        per_entry = []
        for size in (int(s) for s in args.sizes.split(",")):
            zoo = _generated(root, size)
            seconds = _measure("generated", zoo, root, args.repeat, size)
            per_entry.append(seconds / size)
            shutil.rmtree(zoo)
        ratio = per_entry[-1] / per_entry[0]
        print(f"time per entry, largest / smallest zoo: {ratio:.2f} (1.0 = linear)")


if __name__ == "__main__":
    main_bench()
