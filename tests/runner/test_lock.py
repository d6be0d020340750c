"""One process per run (issue 11, item 3): a second writer exits 2 at once naming the pid that holds the run,
readers work meanwhile, and the lock of a process killed with -9 is taken over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from pipeline.runner.lock import RunInUse, RunLock, holder
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer

ROOT = Path(__file__).resolve().parents[2]
HOLD = """
import sys, time
sys.path.insert(0, {root!r})
from pipeline.runner.lock import RunLock
with RunLock({run_dir!r}, "held"):
    print("locked", flush=True)
    time.sleep(120)
"""


def _hold(run_dir: Path) -> subprocess.Popen:
    p = subprocess.Popen(
        [sys.executable, "-c", HOLD.format(root=str(ROOT), run_dir=str(run_dir))], stdout=subprocess.PIPE, text=True
    )
    assert p.stdout is not None and p.stdout.readline().strip() == "locked"
    return p


def test_lock_is_reentrant_in_one_process_and_exclusive_across_processes(tmp_path):
    run_dir = tmp_path / "r"
    with RunLock(run_dir, "r"), RunLock(run_dir, "r"):  # `ifgen run` holds it, each stage takes it again
        assert holder(run_dir) == os.getpid()
    assert holder(run_dir) is None  # a clean exit leaves no pid behind
    p = _hold(run_dir)
    try:
        with pytest.raises(RunInUse, match=f"run held is in use by pid {p.pid}"):
            RunLock(run_dir, "held").__enter__()
        assert holder(run_dir) == p.pid
    finally:
        p.kill()
        p.wait()
    # killed with -9: the kernel dropped its lock; the stale pid in the file is not a live holder
    assert holder(run_dir) is None
    with RunLock(run_dir, "held"):
        assert holder(run_dir) == os.getpid()


def _ifgen(*args: str, api_base: str, run_dir: Path) -> list[str]:
    cmd = [sys.executable, "-m", "pipeline", *args, "--config", "configs/demo.yaml", "--run", run_dir.name]
    for o in (
        f"llm.api_base={api_base}",
        "llm.model=openai/fake",
        f"run.output_dir={run_dir.parent}",
        "run.progress=false",
        "llm.timeout_s=300",
    ):
        cmd += ["--set", o]
    return cmd


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def test_second_writer_refused_readers_work_killed_holder_taken_over(tmp_path):
    run_dir = tmp_path / "busy"
    with (
        ThreadedFakeServer(reply=pipeline_reply, latency=60.0) as slow,
        ThreadedFakeServer(reply=pipeline_reply) as fast,
    ):
        seeds = subprocess.run(
            _ifgen("seeds", api_base=fast.url, run_dir=run_dir), cwd=ROOT, env=_env(), capture_output=True, text=True
        )
        assert seeds.returncode == 0, seeds.stderr
        first = subprocess.Popen(
            _ifgen("expand", api_base=slow.url, run_dir=run_dir),
            cwd=ROOT,
            env=_env(),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            deadline = time.time() + 120
            while slow.stats()["requests"] == 0:  # `first` holds the run and waits on the slow server
                assert first.poll() is None and time.time() < deadline
                time.sleep(0.1)
            for cmd in ("expand", "run", "compose"):
                t = time.time()
                second = subprocess.run(
                    _ifgen(cmd, api_base=fast.url, run_dir=run_dir),
                    cwd=ROOT,
                    env=_env(),
                    capture_output=True,
                    text=True,
                )
                assert second.returncode == 2, (cmd, second.stderr)
                assert f"run busy is in use by pid {first.pid}" in second.stderr, second.stderr
                assert len(second.stderr.strip().splitlines()) == 1
                assert time.time() - t < 60  # at once, not after the holder finishes
            status = subprocess.run(
                _ifgen("status", api_base=fast.url, run_dir=run_dir),
                cwd=ROOT,
                env=_env(),
                capture_output=True,
                text=True,
            )
            assert status.returncode == 0, status.stderr
            assert f"in use by pid {first.pid}" in status.stdout and "seeds" in status.stdout
            shown = subprocess.run(
                [*_ifgen("config", api_base=fast.url, run_dir=run_dir), "show"],
                cwd=ROOT,
                env=_env(),
                capture_output=True,
                text=True,
            )
            assert shown.returncode == 0 and "run:" in shown.stdout, shown.stderr
            assert fast.stats()["requests"] == 0  # the refused writers sent nothing
        finally:
            first.send_signal(signal.SIGKILL)
            first.wait()
        third = subprocess.run(
            _ifgen("expand", api_base=fast.url, run_dir=run_dir), cwd=ROOT, env=_env(), capture_output=True, text=True
        )
        assert third.returncode == 0, third.stderr
        assert "expand: 12 done" in third.stderr


@pytest.mark.parametrize("step", ["expand", "compose", "sample", "checkers", "verify", "export", "report", "push"])
def test_a_later_step_on_a_run_that_does_not_exist_leaves_no_trace(tmp_path, monkeypatch, capsys, step):
    """A mistyped `--run`: the step says which step to run first, exit 2, and neither the run folder nor its
    lock file is created (the lock is taken only once there is something to read)."""
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    rc = main([step, "--config", "demo", "--run", "typo", "--set", f"run.output_dir={tmp_path / 'out'}"])
    assert rc == 2
    err = capsys.readouterr().err.strip().splitlines()[-1]
    assert "run `ifgen " in err and "first" in err, err
    assert list(tmp_path.rglob("*")) == []


def test_ifgen_run_from_a_later_step_on_a_run_that_does_not_exist_leaves_no_trace(tmp_path, monkeypatch, capsys):
    from pipeline.cli import main

    monkeypatch.chdir(tmp_path)
    out = f"run.output_dir={tmp_path / 'o'}"
    rc = main(["run", "--from", "verify", "--config", "demo", "--run", "typo", "--set", out])
    assert rc == 2 and "run `ifgen sample` first" in capsys.readouterr().err
    assert list(tmp_path.rglob("*")) == []
