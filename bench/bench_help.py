"""Start-up time of `fluxzoo --help` (goal: under 100 ms), beside a bare Python start-up.

.venv/bin/python bench/bench_help.py [REPEAT]
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def _median(command: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat + 1):  # the first run warms the file-system cache, unrecorded
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:])


def main() -> None:
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    help_time = _median([str(BIN / "fluxzoo"), "--help"], repeat)
    bare = _median([sys.executable, "-c", "pass"], repeat)
    print(f"fluxzoo --help:   median {help_time * 1000:6.1f} ms, {repeat} runs (goal: < 100 ms)")
    print(f"python -c pass:   median {bare * 1000:6.1f} ms (the floor)")


if __name__ == "__main__":
    main()
