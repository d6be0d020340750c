"""An open-instruct verifier for `dataset: ifgen` rows (import this module to register it).

open-instruct looks a row's verifier up by its `dataset` column in the dict `build_all_verifiers` returns,
which holds one instance of every direct subclass of `ground_truth_utils.VerifierFunction`, keyed by the
instance's lower-cased `name`. A row whose dataset has no entry is skipped with "No reward function found
for dataset ..." and so rewarded 0. Importing this module defines `IfgenVerifier` (name "ifgen"), so every
`build_all_verifiers` call after the import scores ifgen rows with `pipeline.rewards.safe_reward`: the
verdicts of `pipeline.reward`, a bad row 0.0 with a logged reason. Rows whose ids are all IFEval / IFEvalG
stay `dataset: ifeval` and open-instruct's own IFEvalVerifier scores them.

Needs open-instruct importable (it is not on PyPI; install it from its repository). Import this module
before the trainer builds its verifiers, e.g. a launcher script run with the trainer's own arguments:

    import runpy
    import pipeline.rewards.open_instruct  # registers the "ifgen" verifier
    runpy.run_module("open_instruct.grpo_fast", run_name="__main__", alter_sys=True)
"""

from __future__ import annotations

from typing import Any

try:
    from open_instruct.ground_truth_utils import VerificationResult, VerifierConfig, VerifierFunction
except ImportError as e:  # pragma: no cover - depends on the environment
    raise ImportError(
        "pipeline.rewards.open_instruct registers a verifier with open-instruct, which is not importable here "
        f"({e}); install open-instruct from its repository first"
    ) from e

from .core import safe_reward

NAME = "ifgen"


class IfgenVerifier(VerifierFunction):
    """Scores rows labelled `dataset: ifgen` (ifgen's JSON ground truth; IFEval labels are accepted too)."""

    def __init__(self, verifier_config: VerifierConfig | None = None) -> None:
        super().__init__(NAME, weight=1.0, verifier_config=verifier_config)

    def __call__(
        self,
        tokenized_prediction: Any,
        prediction: str,
        label: Any,
        query: str | None = None,
        rollout_state: dict | None = None,
        **kwargs: Any,
    ) -> VerificationResult:
        return VerificationResult(score=safe_reward(prediction, label, source="open-instruct ifgen verifier"))
