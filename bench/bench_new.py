"""`fluxzoo new --no-input` against raw `cookiecutter --no-input` on the same template.

Runs each command as a fresh process (as a person would), REPEAT times, alternating them,
each into a new folder with a private HOME, and prints the medians and their ratio
(goal: at most 1.0). Both produce the complete entry: cookiecutter runs the hooks as scripts,
fluxzoo runs the same code in-process.

    .venv/bin/python bench/bench_new.py [REPEAT]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
ANSWERS = {"title": "Bench entry", "kind": "image_classification", "category": "vision"}


def _time(command: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 15
    fluxzoo, cookiecutter = [], []
    with tempfile.TemporaryDirectory() as tmp:
        env = os.environ | {
            "HOME": tmp,
            "GIT_CONFIG_NOSYSTEM": "1",
            "GIT_CONFIG_GLOBAL": os.devnull,
        }
        sets = [arg for k, v in ANSWERS.items() for arg in ("--set", f"{k}={v}")]
        pairs = [f"{k}={v}" for k, v in ANSWERS.items()]
        for i in range(repeat + 1):  # the first round warms the file-system cache, unrecorded
            f = _time(
                [str(BIN / "fluxzoo"), "new", "--no-input", "--output-dir", f"{tmp}/f{i}", *sets],
                env,
            )
            c = _time(
                [
                    str(BIN / "cookiecutter"),
                    str(ROOT),
                    "--directory",
                    "template",
                    "--no-input",
                    "--output-dir",
                    f"{tmp}/c{i}",
                    *pairs,
                ],
                env,
            )
            if i:
                fluxzoo.append(f)
                cookiecutter.append(c)
    f, c = statistics.median(fluxzoo), statistics.median(cookiecutter)
    print(f"fluxzoo new --no-input:     median {f * 1000:7.1f} ms over {repeat} runs")
    print(f"cookiecutter --no-input:    median {c * 1000:7.1f} ms over {repeat} runs")
    print(f"ratio fluxzoo / cookiecutter: {f / c:.2f} (goal: at most 1.0)")


if __name__ == "__main__":
    main()
