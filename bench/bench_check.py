"""How fast `fluxzoo check` is: 1000 generated entries, median per entry and the total.

Bakes one image-classification entry with `fluxzoo new --no-input`, copies it under 1000
different slugs (renaming its files and every mention of the slug), then checks them all the way
`fluxzoo check <zoo>` does: every stable rule, one `EntryContext` per entry. The goal is a median
under 10 ms per entry.

    .venv/bin/python bench/bench_check.py [--entries N]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from fluxzoo.checks.registry import all_rules
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from fluxzoo.entries import find_entries

GOAL_MS = 10.0
SLUG = "bench_digits"


def bake(zoo: Path) -> Path:
    zoo.mkdir(parents=True, exist_ok=True)
    argv = ["new", "--no-input", "--zoo", str(zoo), "--set", "kind=image_classification",
            "--set", "category=vision", "--set", f"slug={SLUG}",
            "--set", "title=Bench digits"]  # fmt: skip
    with contextlib.redirect_stdout(io.StringIO()):
        if main(argv) != 0:
            raise SystemExit("fluxzoo new failed; see the message above")
    return zoo / "vision" / SLUG


def clone(template: Path, zoo: Path, slug: str) -> None:
    dest = zoo / "vision" / slug
    for src in template.rglob("*"):
        if src.is_file():
            rel = src.relative_to(template).as_posix().replace(SLUG, slug)
            target = dest / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(src.read_text(encoding="utf-8").replace(SLUG, slug), encoding="utf-8")


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    n = parser.parse_args().entries
    with tempfile.TemporaryDirectory() as tmp:
        source_zoo, zoo = Path(tmp, "source"), Path(tmp, "zoo")
        template = bake(source_zoo)
        for i in range(n):
            clone(template, zoo, f"digits_{i:04d}")
        rules = all_rules().select()

        start = time.perf_counter()
        entries = find_entries([zoo], include_legacy=True)
        discovered = time.perf_counter()
        per_entry, findings = [], 0
        for entry in entries:
            t0 = time.perf_counter()
            findings += len(check_entry(entry, rules))
            per_entry.append((time.perf_counter() - t0) * 1000)
        total = time.perf_counter() - start
        shutil.rmtree(zoo)

    median = statistics.median(per_entry)
    print(f"entries checked:     {len(entries)} ({len(rules)} rules, {findings} findings)")
    print(f"discovery:           {(discovered - start) * 1000:.0f} ms")
    print(f"first entry (cold):  {per_entry[0]:.1f} ms")
    print(
        f"median per entry:    {median:.2f} ms   "
        f"(goal {GOAL_MS:.0f} ms: {median / GOAL_MS:.2f} of it)"
    )
    print(f"p90 per entry:       {statistics.quantiles(per_entry, n=10)[-1]:.2f} ms")
    print(f"total:               {total:.2f} s")


if __name__ == "__main__":
    main_bench()
