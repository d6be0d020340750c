"""The file verl's `custom_reward_function.path` points at (`name: compute_score`).

verl executes this file on its own (not as part of the `pipeline` package), so it imports by absolute
name; `pkg://pipeline.verl_reward` works too. The reward lives in `pipeline.rewards.verl`.
"""

from pipeline.rewards.verl import compute_score

__all__ = ["compute_score"]
