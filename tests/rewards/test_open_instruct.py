"""IfgenVerifier through open-instruct's verifier interface (a harness of it: open-instruct is not
installable here; tests/rewards/open_instruct_harness/README.md lists the facts it restates)."""

from __future__ import annotations

import asyncio
import importlib
import logging
import sys
from types import SimpleNamespace

import pytest

from pipeline import rewards

from .harness import open_instruct_harness

OURS = '{"constraints": [{"id": "punctuation:no_comma", "params": {}}, {"id": "ifgen:max_chars", "params": {"max_chars": 20}}], "format": "ifgen"}'  # noqa: E501
IFEVAL = str([{"instruction_id": ["punctuation:no_comma"], "kwargs": [{}]}])


def test_without_open_instruct_the_import_says_what_is_missing(monkeypatch):
    monkeypatch.setitem(sys.modules, "open_instruct", None)  # "not installed"
    sys.modules.pop("pipeline.rewards.open_instruct", None)
    with pytest.raises(ImportError, match="install open-instruct"):
        importlib.import_module("pipeline.rewards.open_instruct")
    sys.modules.pop("pipeline.rewards.open_instruct", None)


def test_importing_registers_the_ifgen_verifier():
    with open_instruct_harness() as gtu:
        before = gtu.build_all_verifiers(SimpleNamespace())
        assert "ifgen" not in before and "ifeval" in before
        mod = importlib.import_module("pipeline.rewards.open_instruct")
        verifiers = gtu.build_all_verifiers(SimpleNamespace(), None)
        assert isinstance(verifiers["ifgen"], mod.IfgenVerifier)
        assert verifiers["ifgen"].name == "ifgen" and verifiers["ifgen"].weight == 1.0


def test_rows_are_scored_by_their_dataset_verifier(caplog):
    texts = ["short and sweet", "a, b", "far too long for twenty characters", ""]
    with open_instruct_harness() as gtu:
        importlib.import_module("pipeline.rewards.open_instruct")
        verifiers = gtu.build_all_verifiers(SimpleNamespace())
        n = len(texts)
        with caplog.at_level(logging.WARNING):
            scores, per_fn = asyncio.run(
                gtu.apply_verifiable_reward(
                    verifiers, [[0]] * (2 * n), texts * 2, [OURS] * n + [IFEVAL] * n, ["ifgen"] * n + ["ifeval"] * n
                )
            )
    assert scores[:n] == [rewards.reward(t, OURS) for t in texts] == [1.0, 0.5, 0.5, 0.0]
    assert scores[n:] == [rewards.reward(t, IFEVAL) for t in texts] == [1.0, 0.0, 1.0, 0.0]
    assert [set(f) for f in per_fn] == [{"ifgen"}] * n + [{"ifeval"}] * n
    assert not any("No reward function found" in r.getMessage() for r in caplog.records)


def test_unregistered_ifgen_rows_get_nothing_which_is_what_the_import_fixes(caplog):
    with open_instruct_harness() as gtu:
        verifiers = gtu.build_all_verifiers(SimpleNamespace())
        with caplog.at_level(logging.WARNING):
            scores, _ = asyncio.run(
                gtu.apply_verifiable_reward(verifiers, [[0]], ["short and sweet"], [OURS], ["ifgen"])
            )
    assert scores == [0.0]
    assert any("No reward function found for dataset ifgen" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("label", ["[]", "not a label", '{"format": "ifgen", "constraints": [{"id": "x:y"}]}', None])
def test_a_bad_row_scores_zero_and_is_logged(label, caplog):
    with open_instruct_harness() as gtu:
        mod = importlib.import_module("pipeline.rewards.open_instruct")
        v = mod.IfgenVerifier(gtu.VerifierConfig())
        with caplog.at_level(logging.WARNING, logger="pipeline.rewards"):
            res = asyncio.run(v.async_call([0], "some text", label, query="q", rollout_state={"done": True}))
            direct = v([0], "some text", label)  # older open-instruct: no rollout_state argument
    assert isinstance(res, gtu.VerificationResult) and res.score == 0.0 and direct.score == 0.0
    assert any("open-instruct ifgen verifier" in r.getMessage() for r in caplog.records)
