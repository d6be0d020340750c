"""TaskPool / map_tasks (pipeline/runner/executors.py): results in item order, worker processes kept across
rounds until released, tasks in this process when there is one worker."""

from __future__ import annotations

import os

import pytest

from pipeline.runner.executors import TaskPool, map_tasks


def pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


def fails_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three")
    return x


def test_results_come_in_item_order_from_worker_processes():
    with TaskPool("local", workers=2) as pool:
        got = list(pool.map(pid_and_square, range(40), inflight=7))
    assert [sq for _pid, sq in got] == [x * x for x in range(40)]
    assert os.getpid() not in {pid for pid, _sq in got}


def test_workers_are_kept_across_rounds_until_released():
    with TaskPool("local", workers=2) as pool:
        first = {pid for pid, _ in pool.map(pid_and_square, range(20))}
        second = {pid for pid, _ in pool.map(pid_and_square, range(20))}
        assert second <= first  # the same processes: their imports were paid once
        pool.release()
        third = {pid for pid, _ in pool.map(pid_and_square, range(20))}
        assert not third & first  # new processes after a release


def test_one_worker_runs_in_this_process_and_map_tasks_is_one_round():
    with TaskPool("local", workers=1) as pool:
        assert {pid for pid, _ in pool.map(pid_and_square, range(3))} == {os.getpid()}
    assert [sq for _p, sq in map_tasks(pid_and_square, range(5), workers=2)] == [0, 1, 4, 9, 16]


def test_a_failing_task_raises_in_the_driver():
    with pytest.raises(ValueError, match="three"), TaskPool("local", workers=2) as pool:
        list(pool.map(fails_on_three, range(6)))


def test_unknown_executor_is_refused():
    with pytest.raises(ValueError, match="unknown executor"):
        TaskPool("threads")
