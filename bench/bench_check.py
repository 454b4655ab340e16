"""How fast `fluxzoo check` is: generated entries per entry, and the real zoo against fatou.

Default: bakes one image-classification entry with `fluxzoo new --no-input`, copies it under
1000 different slugs (renaming its files and every mention of the slug), then checks them all
the way `fluxzoo check <zoo>` does: every stable rule, one `EntryContext` per entry. The goal is
a median under 10 ms per entry.

With `--zoo PATH` (a checkout of FluxML/model-zoo): copies it, runs `fluxzoo adopt` on the copy
(every legacy entry), then times `fluxzoo check` of the whole copy and `fatou lint` of the same
tree, each as its own process, and prints the ratio of the medians (goal: at most 3x fatou's
wall time) with the rules that take the most time, and the time Python takes to start and
import what `check` loads, the floor under every run. `check` is timed four ways: with
`--no-cache` in one process (`FLUXZOO_JOBS=1`) and on every core (`fluxzoo.workers`); cold,
with an empty result cache (it checks everything and writes the cache); and warm, with the
cache the cold run wrote (nothing changed, as on a second run). Python writes its bytecode as
an installed fluxzoo has it (one untimed run first). Needs fatou installed
(`pip install fatou`: a wheel holding its Rust binary).

    .venv/bin/python bench/bench_check.py [--entries N]
    .venv/bin/python bench/bench_check.py --zoo PATH [--repeat N]
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
from collections import Counter
from pathlib import Path

from fluxzoo.checks.entry import EntryContext
from fluxzoo.checks.registry import all_rules
from fluxzoo.checks.runner import check_entry
from fluxzoo.cli import main
from fluxzoo.entries import find_entries
from fluxzoo.workers import JOBS_VARIABLE, jobs

GOAL_MS = 10.0
GOAL_RATIO = 3.0
FLOOR_IMPORTS = (
    "fluxzoo.cli, fluxzoo.checks.runner, fluxzoo.checks.rules, fluxzoo.julia_syntax, "
    "fluxzoo.julia_names, tree_sitter_julia, rtoml, pathspec"
)
"""What `check` imports before it reads a file (`python -X importtime -m fluxzoo check`)."""
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


def bench_generated(n: int) -> None:
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


def _fatou() -> str:
    found = shutil.which("fatou") or shutil.which("fatou", path=str(Path(sys.executable).parent))
    if not found:
        raise SystemExit("fatou is not installed: pip install fatou")
    return found


def _wall(argv: list[str], env: dict[str, str] | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False, env=env)
    return time.perf_counter() - start


def rule_times(zoo: Path) -> Counter[str]:
    """Seconds each rule takes over the zoo, in one process (the first to ask pays a parse)."""
    rules = all_rules().select()
    spent: Counter[str] = Counter()
    for path in find_entries([zoo], include_legacy=True):
        entry = EntryContext(path)
        for rule in rules:
            if rule.applies_to(entry.legacy):
                t0 = time.perf_counter()
                list(rule.check(entry))
                spent[rule.code] += time.perf_counter() - t0
    return spent


def bench_zoo(source: Path, repeat: int) -> None:
    fatou = _fatou()
    fluxzoo = [sys.executable, "-m", "fluxzoo"]
    with tempfile.TemporaryDirectory() as tmp:
        zoo, cache = Path(tmp, "zoo"), Path(tmp, "cache")
        shutil.copytree(source, zoo, ignore=shutil.ignore_patterns(".git"))
        with contextlib.redirect_stdout(io.StringIO()):
            main(["adopt", str(zoo)])
        entries = len(find_entries([zoo], include_legacy=True))
        files = len(list(zoo.rglob("*.jl")))
        env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        env["FLUXZOO_CACHE_DIR"] = str(cache)
        check = [*fluxzoo, "check", str(zoo)]
        _wall([*check, "--no-cache"], env)
        one = {**env, JOBS_VARIABLE: "1"}
        times: dict[str, list[float]] = {
            "one process": [], "no cache": [], "cold": [], "warm": [], "fatou": [], "imports": []
        }  # fmt: skip
        for _ in range(repeat):  # interleaved, so all see the same machine load
            times["one process"].append(_wall([*check, "--no-cache"], one))
            times["no cache"].append(_wall([*check, "--no-cache"], env))
            shutil.rmtree(cache, ignore_errors=True)
            times["cold"].append(_wall(check, env))
            times["warm"].append(_wall(check, env))
            times["fatou"].append(_wall([fatou, "lint", "--no-config", str(zoo)]))
            times["imports"].append(_wall([sys.executable, "-c", f"import {FLOOR_IMPORTS}"], env))
        spent = rule_times(zoo)
    t = statistics.median(times["fatou"])
    print(f"real zoo after adopt: {entries} entries, {files} .jl files; median of {repeat} runs")
    version = subprocess.check_output([fatou, "--version"], text=True).strip()
    print(f"fatou lint:          {t:.2f} s wall ({version})")
    print(f"worker processes:    {jobs(entries)} ({JOBS_VARIABLE} or the usable cores)")
    for label, note in (
        ("one process", f"--no-cache, {JOBS_VARIABLE}=1: in one process"),
        ("no cache", "--no-cache: every rule on every entry"),
        ("cold", "empty cache: every rule on every entry, then the cache written"),
        ("warm", "the cache of the cold run: nothing changed since"),
    ):
        o = statistics.median(times[label])
        print(
            f"fluxzoo check {label + ':':<12} {o:.2f} s wall, {o / t:.1f}x fatou "
            f"(goal at most {GOAL_RATIO:.0f}x; {note})"
        )
    o = statistics.median(times["imports"])
    print(
        f"python and imports:  {o:.2f} s wall, {o / t:.1f}x fatou (what every check pays "
        "before it reads a file: the interpreter and the modules check loads)"
    )
    total = sum(spent.values())
    print(f"rules in-process:    {total:.2f} s; the most costly:")
    for code, seconds in spent.most_common(5):
        print(f"  {code}  {seconds:.2f} s  ({seconds / total:.0%})")


def main_bench() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=1000)
    parser.add_argument("--zoo", type=Path, help="a FluxML/model-zoo checkout: compare with fatou")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    if args.zoo:
        bench_zoo(args.zoo, args.repeat)
    else:
        bench_generated(args.entries)


if __name__ == "__main__":
    main_bench()
