"""TRL's reward-function signature over the ifgen reward (GRPOTrainer, RLOOTrainer, ...).

TRL calls every reward function with the batch's `prompts` and `completions` (strings, or chat messages for
conversational datasets) and one keyword argument per other dataset column, so the `rl` config's
`ground_truth` column arrives by name. It wants one float per completion.
"""

from __future__ import annotations

from typing import Any

from .core import bad_row, prompt_text, safe_reward


def trl_reward(completions: list[Any], ground_truth: list[Any], **kwargs: Any) -> list[float]:
    """One reward per completion: the mean of its strict verdicts against that row's `ground_truth`.

    Completions may be strings or message lists (the last assistant message is scored); thinking sections
    are stripped as open-instruct does. A bad row (unparsable label, unknown id, a completion that is not
    text) scores 0.0 and the reason is logged; it never raises for one row.
    """
    if len(completions) != len(ground_truth):
        raise ValueError(f"trl_reward: {len(completions)} completions for {len(ground_truth)} ground truths")
    prompts = kwargs.get("prompts")
    if prompts is not None and len(prompts) != len(completions):
        prompts = None
    out = []
    for i, (completion, gt) in enumerate(zip(completions, ground_truth)):
        if gt is None:
            bad_row("trl_reward", "no ground_truth for this row")
            out.append(0.0)
            continue
        prompt = None
        if prompts is not None:
            try:
                prompt = prompt_text(prompts[i])
            except ValueError:
                prompt = None
        out.append(safe_reward(completion, gt, prompt, source="trl_reward"))
    return out
