"""verl's custom reward signature over the ifgen reward.

verl's reward managers call `compute_score(data_source=..., solution_str=..., ground_truth=...,
extra_info=...)` per response, with `ground_truth` taken from the row's `reward_model.ground_truth` (the
`verl` export format writes ours there). The file verl is pointed at is `pipeline/verl_reward.py`.
"""

from __future__ import annotations

from typing import Any

from .core import safe_reward


def compute_score(
    data_source: Any, solution_str: Any, ground_truth: Any, extra_info: Any = None, **kwargs: Any
) -> float:
    """The reward of one decoded response: the mean of its strict verdicts, in [0, 1].

    `data_source` only names the row in logs: every label ifgen writes (open-instruct IFEval or ifgen JSON)
    is scored. A bad row scores 0.0 and the reason is logged; it never raises. Extra keyword arguments
    (verl's `reward_kwargs`) are accepted and ignored.
    """
    return safe_reward(solution_str, ground_truth, source=f"verl compute_score ({data_source})")
