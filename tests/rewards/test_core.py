"""The reward rule (pipeline.rewards.core): labels, reasoning, chat completions, and bad rows."""

from __future__ import annotations

import json
import logging

import pytest

import pipeline
from pipeline import rewards

OI_GT = str(
    [
        {
            "instruction_id": ["punctuation:no_comma", "keywords:existence"],
            "kwargs": [None, {"keywords": ["river"], "frequency": None}],
        }
    ]
)
OURS = {
    "format": "ifgen",
    "constraints": [
        {"id": "punctuation:no_comma"},
        {"id": "length_constraints:number_words", "params": {"num_words": 3, "relation": "at least"}},
    ],
}

# rows a trainer may meet: each must make `reward` raise and `safe_reward` give 0.0 with a logged reason
BAD_GROUND_TRUTHS = [
    "__import__('os').system('echo pwned')",
    "[]",
    "{}",
    "[{'instruction_id': ['x:y'], 'kwargs': [{}]}]",
    str([{"instruction_id": ["punctuation:no_comma"], "kwargs": [{}, {}]}]),
    42,
    None,
    {"format": "ifgen", "constraints": []},
    {"format": "ifgen", "constraints": [{"id": "length_constraints:number_words", "params": {"relation": "at least"}}]},
    {
        "format": "ifgen",
        "constraints": [
            {"id": "length_constraints:number_words", "params": {"num_words": "many", "relation": "at least"}}
        ],
    },
]


def test_reward_open_instruct_format_is_a_fraction() -> None:
    assert rewards.reward("A calm river.", OI_GT) == 1.0
    assert rewards.reward("A calm lake, indeed.", OI_GT) == 0.0
    assert rewards.reward("A calm lake.", OI_GT) == 0.5
    # reasoning up to the LAST </think> is ignored, as are <answer> tags
    assert rewards.reward("<think>lake, lake</think>x</think><answer>A river.</answer>", OI_GT) == 1.0
    assert rewards.reward("<think>a river</think>", OI_GT) == 0.0
    assert rewards.reward("   ", OI_GT) == 0.0


def test_reward_accepts_every_ground_truth_form() -> None:
    d = {"instruction_id": ["punctuation:no_comma"], "kwargs": [{}]}
    for gt in (d, [d], json.dumps(d), str([json.dumps(d)]), json.dumps([d])):
        assert rewards.reward("no commas", gt) == 1.0
        assert rewards.reward("a, b", gt) == 0.0
    assert rewards.reward("one two three", OURS) == 1.0
    assert rewards.reward("one, two", json.dumps(OURS)) == 0.0
    assert rewards.reward("one two", OURS) == 0.5


def test_pipeline_reward_is_the_reference() -> None:
    assert pipeline.reward("A calm lake.", OI_GT) == 0.5
    with pytest.raises(ValueError):
        pipeline.reward("text", "[]")


def test_chat_completions_score_their_last_assistant_message() -> None:
    msgs = [{"role": "assistant", "content": "one, two"}, {"role": "assistant", "content": "one two three"}]
    assert rewards.reward(msgs, OURS) == 1.0
    assert rewards.reward({"role": "assistant", "content": "one two"}, OURS) == 0.5
    parts = [{"role": "assistant", "content": [{"type": "text", "text": "one two "}, {"type": "text", "text": "x"}]}]
    assert rewards.reward(parts, OURS) == 1.0
    assert rewards.reward([{"role": "assistant", "content": "<think>a, b</think>one two three"}], OURS) == 1.0
    assert rewards.reward([], OURS) == 0.0  # nothing answered


@pytest.mark.parametrize("gt", BAD_GROUND_TRUTHS)
def test_bad_ground_truth_raises_in_the_reference_and_scores_zero_when_safe(gt, caplog) -> None:
    with pytest.raises(ValueError):
        rewards.reward("some text", gt)
    with caplog.at_level(logging.WARNING, logger="pipeline.rewards"):
        assert rewards.safe_reward("some text", gt, source="test-source") == 0.0
    assert [r.getMessage().split(": row scored 0.0: ")[0] for r in caplog.records] == ["test-source"]


@pytest.mark.parametrize("completion", [42, [1, 2], [{"role": "assistant", "content": 42}], object()])
def test_completion_that_is_not_text(completion, caplog) -> None:
    with pytest.raises(ValueError):
        rewards.reward(completion, OURS)
    with caplog.at_level(logging.WARNING, logger="pipeline.rewards"):
        assert rewards.safe_reward(completion, OURS) == 0.0
    assert len(caplog.records) == 1 and "completion" in caplog.records[0].getMessage()


def test_a_reason_is_logged_once_then_at_debug(caplog) -> None:
    gt = {"format": "ifgen", "constraints": [{"id": "no:such_id_for_logging_test"}]}
    with caplog.at_level(logging.DEBUG, logger="pipeline.rewards"):
        for _ in range(3):
            assert rewards.safe_reward("text", gt, source="once") == 0.0
    levels = [r.levelno for r in caplog.records if "no:such_id_for_logging_test" in r.getMessage()]
    assert levels == [logging.WARNING, logging.DEBUG, logging.DEBUG]
