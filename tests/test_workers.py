"""`workers.ordered_map`: forked workers give the results of one process, in order, and leave
nothing behind when the parent stops early."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import real_zoo
from fluxzoo import workers
from fluxzoo.errors import UsageError


def _pid_of(item: int) -> tuple[int, int]:
    return item, os.getpid()


def test_results_come_back_in_order_from_other_processes(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    items = list(range(40))
    with workers.ordered_map(_pid_of, items) as results:
        found = list(results)
    assert [item for item, _ in found] == items
    pids = {pid for _, pid in found}
    assert os.getpid() not in pids
    assert 1 <= len(pids) <= 2


@pytest.mark.parametrize(("jobs", "count"), [("1", 40), ("2", workers.MIN_ITEMS - 1)])
def test_one_job_or_few_items_run_in_this_process(
    monkeypatch: pytest.MonkeyPatch, jobs: str, count: int
) -> None:
    monkeypatch.setenv(workers.JOBS_VARIABLE, jobs)
    with workers.ordered_map(_pid_of, list(range(count))) as results:
        assert {pid for _, pid in results} == {os.getpid()}


def _fails_on_seven(item: int) -> int:
    if item == 7:
        raise ValueError(f"item {item}")
    return item


def test_an_error_in_a_worker_is_raised_in_the_parent(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")
    with (
        pytest.raises(ValueError, match="item 7"),
        workers.ordered_map(_fails_on_seven, list(range(20))) as results,
    ):
        list(results)


@pytest.mark.parametrize("value", ["0", "two", "-1", "1.5", "²"])
def test_a_bad_job_count_is_refused(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv(workers.JOBS_VARIABLE, value)
    with pytest.raises(UsageError, match=f"FLUXZOO_JOBS='{value}' is not a number"):
        workers.jobs(10)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_an_interrupt_ends_the_workers(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Ctrl-C while the workers are busy: the parent raises at once and no worker outlives it."""
    monkeypatch.setenv(workers.JOBS_VARIABLE, "2")

    def sleep_after_saying_who(item: int) -> None:
        (tmp_path / f"{os.getpid()}.pid").touch()
        time.sleep(60)

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGALRM, interrupt)
    started = time.monotonic()
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        with (
            pytest.raises(KeyboardInterrupt),
            workers.ordered_map(sleep_after_saying_who, list(range(8))) as results,
        ):
            list(results)
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < 30
    pids = [int(p.stem) for p in tmp_path.glob("*.pid")]
    assert pids, "no worker started"
    deadline = time.monotonic() + 10
    while any(map(_alive, pids)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not any(map(_alive, pids))


def test_check_of_the_real_zoo_is_the_same_on_one_core_and_on_two(tmp_path: Path) -> None:
    zoo = real_zoo.extract(tmp_path / "model-zoo")
    outputs = []
    for jobs in ("1", "2"):
        env = {**os.environ, workers.JOBS_VARIABLE: jobs}
        run = subprocess.run(
            [sys.executable, "-m", "fluxzoo", "check", "--no-cache", str(zoo)],
            capture_output=True,
            text=True,
            env=env,
        )
        assert run.returncode == 1, run.stderr
        outputs.append((run.stdout, run.stderr))
    assert outputs[0] == outputs[1]
    assert outputs[0][0].count("\n") > 100


def test_a_bad_job_count_is_one_line_from_the_command(tmp_path: Path) -> None:
    zoo = real_zoo.extract(tmp_path / "model-zoo")
    run = subprocess.run(
        [sys.executable, "-m", "fluxzoo", "check", str(zoo)],
        capture_output=True,
        text=True,
        env={**os.environ, workers.JOBS_VARIABLE: "many"},
    )
    assert run.returncode == 2
    assert run.stdout == ""
    assert run.stderr.count("\n") == 1
    assert "FLUXZOO_JOBS='many' is not a number of processes" in run.stderr
