"""ifgen: verifiable instruction-following data, stage by stage.

seeds -> expand -> compose -> sample -> checkers -> verify -> export / push / report

RL rewards (pipeline.rewards): `pipeline.reward(response, ground_truth)` and
`pipeline.trl_reward(completions, ground_truth, **kwargs)`; verl's is `pipeline.verl_reward.compute_score`.
They are loaded on first use, so `import pipeline` stays light.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"


def reward(response: Any, ground_truth: Any) -> float:
    """RL reward for one response (see pipeline.rewards.reward): raises ValueError on a bad row."""
    from .rewards import reward as _reward

    return _reward(response, ground_truth)


def __getattr__(name: str) -> Any:
    if name == "trl_reward":  # the function itself: TRL logs rewards under its __name__
        from .rewards.trl import trl_reward

        return trl_reward
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["reward", "trl_reward", "__version__"]
