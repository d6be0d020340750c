"""The Ray executor gives the same rows and state as the local one (a local 2-CPU cluster)."""

from __future__ import annotations

import pytest

from pipeline.config import RunConfig
from pipeline.runner.executors import RayExecutor
from pipeline.runner.run import run_stage

from .test_resume import STAGE, _rows

pytestmark = pytest.mark.ray


@pytest.fixture(scope="module")
def ray_cluster():
    ray = pytest.importorskip("ray")
    ray.init(
        num_cpus=2,
        include_dashboard=False,
        log_to_driver=False,
        configure_logging=False,
        runtime_env={"env_vars": RayExecutor_env()},
    )
    yield ray
    ray.shutdown()


def RayExecutor_env():
    import os
    import sys

    roots = [os.getcwd(), *[p for p in sys.path if p and os.path.isdir(p) and "site-packages" not in p]]
    return {"PYTHONPATH": os.pathsep.join(dict.fromkeys(roots)), "TOY_ITEMS": "120"}


def test_ray_and_local_identical(tmp_path, monkeypatch, ray_cluster):
    monkeypatch.setenv("TOY_ITEMS", "120")
    cfg = lambda name: RunConfig(
        run={
            "name": name,
            "output_dir": str(tmp_path),
            "batch_size": 16,  # noqa: E731
            "progress": False,
        }
    )
    local = run_stage(STAGE, cfg("local"), quiet=True)
    ray_run = run_stage(STAGE, cfg("ray"), executor="ray", quiet=True)
    assert local.ok and ray_run.ok and ray_run.done == 120
    assert _rows(tmp_path / "ray") == _rows(tmp_path / "local")
    again = run_stage(STAGE, cfg("ray"), executor="local", quiet=True)  # resume works across executors
    assert again.done == 0 and again.skipped == 120


def test_ray_executor_class_is_scheduler_only():
    ex = RayExecutor(address=None, max_inflight=2)
    assert ex.name == "ray" and not hasattr(ex, "process")
