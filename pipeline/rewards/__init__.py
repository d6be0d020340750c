"""RL rewards: one rule (`core`), one adapter per trainer.

* `core`: `reward` (the reference; raises on a bad row), `safe_reward` (0.0 and a logged reason instead),
  ground-truth parsing, reasoning stripping, completions as text or chat messages;
* `trl`: `trl_reward(completions, ground_truth, **kwargs)`, TRL's reward-function signature;
* `verl`: `compute_score(data_source, solution_str, ground_truth, extra_info)`, verl's custom reward
  (`pipeline/verl_reward.py` is the file verl is pointed at);
* `open_instruct`: `IfgenVerifier`, registered with open-instruct by importing the module (needs
  open-instruct installed, so it is not imported here).

All of them give the verdicts of `pipeline.reward`: a response's reward is the `fraction` its verify
record holds.
"""

from .core import completion_text, parse_ground_truth, reward, safe_reward, strip_reasoning
from .trl import trl_reward
from .verl import compute_score

__all__ = [
    "completion_text",
    "compute_score",
    "parse_ground_truth",
    "reward",
    "safe_reward",
    "strip_reasoning",
    "trl_reward",
]
