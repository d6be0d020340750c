"""compute_score as verl loads and calls it (verl is not installed here: its loader and reward-manager call
are restated from verl's verl/utils/import_utils.py and verl/workers/reward_manager/naive.py)."""

from __future__ import annotations

import importlib
import importlib.util
import logging
import os
from pathlib import Path

import pytest

import pipeline
import pipeline.verl_reward
from pipeline import rewards

OURS = '{"constraints": [{"id": "punctuation:no_comma", "params": {}}], "format": "ifgen"}'


def load_like_verl(path: str, name: str = "compute_score"):
    """verl's load_extern_object: "pkg://a/b" imports module a.b; a file path is executed on its own under a
    made-up module name (so the file cannot rely on relative imports)."""
    if path.startswith("pkg://"):
        module = importlib.import_module(path[len("pkg://") :].replace("/", "."))
    else:
        path = path.removeprefix("file://")
        spec = importlib.util.spec_from_file_location(f"custom_module_{hash(os.path.abspath(path))}", path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return getattr(module, name)


def naive_manager_call(fn, row: dict, response: str):
    """How verl's naive reward manager calls it: keyword arguments, extra_info with keys of its own added."""
    extra_info = dict(row.get("extra_info") or {})
    extra_info["num_turns"] = None
    extra_info["rollout_reward_scores"] = {}
    return fn(
        data_source=row["data_source"],
        solution_str=response,
        ground_truth=row["reward_model"]["ground_truth"],
        extra_info=extra_info,
    )


@pytest.mark.parametrize("path", [str(Path(pipeline.__file__).parent / "verl_reward.py"), "pkg://pipeline/verl_reward"])
def test_loaded_as_verl_loads_it(path):
    fn = load_like_verl(path)
    row = {"data_source": "ifgen", "reward_model": {"style": "rule", "ground_truth": OURS}, "extra_info": {}}
    assert naive_manager_call(fn, row, "no commas here") == 1.0
    assert naive_manager_call(fn, row, "a, b") == 0.0
    assert naive_manager_call(fn, row, "<think>a, b</think>fine") == rewards.reward("<think>a, b</think>fine", OURS)
    assert fn("ifgen", "fine", OURS) == 1.0  # positional, extra_info omitted
    assert fn("ifgen", "fine", OURS, None, some_reward_kwarg=3) == 1.0  # verl's reward_kwargs are accepted


@pytest.mark.parametrize("gt", ["", "[]", "{'instruction_id': ['x:y'], 'kwargs': [{}]}", None, 3])
def test_bad_row_is_zero_and_logged(gt, caplog):
    with caplog.at_level(logging.WARNING, logger="pipeline.rewards"):
        assert pipeline.verl_reward.compute_score("ifgen", "text", gt) == 0.0
    assert any("verl compute_score (ifgen)" in r.getMessage() for r in caplog.records)


def test_non_text_solution_is_zero():
    assert rewards.compute_score("ifgen", None, OURS) == 0.0
