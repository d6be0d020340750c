"""How hard a prompt is: the share of its responses that pass every verifiable constraint.

Counted from the run's verify records (every response verified for the prompt, before the export drops
near-duplicate responses), so `total_rollouts` / `total_correct_rollouts` are exactly what `verify` found.
This module also holds what the export does with the numbers: the band the RL datasets keep
(`export.rl.min_passrate` / `max_passrate`), the curriculum order (easy to hard) and the histogram the card
and the report show.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .rows import Scored

# histogram bins: the two ends on their own (what the band filters drop), four equal bins between
BINS = ("0 (never)", "(0, 25%)", "[25, 50%)", "[50, 75%)", "[75, 100%)", "1 (always)")


def solved(s: Scored) -> bool:
    """Passes every verifiable constraint (and at least one was verifiable)."""
    return s.n_verifiable > 0 and not any(r.get("passed") is False for r in s.results)


@dataclass
class PassRate:
    total: int = 0
    correct: int = 0
    by_model: dict[str, list[int]] = field(default_factory=dict)  # model -> [total, correct]

    @classmethod
    def of(cls, responses: list[Scored]) -> PassRate:
        pr = cls()
        for s in responses:
            ok = solved(s)
            pr.total += 1
            pr.correct += ok
            m = pr.by_model.setdefault(s.model, [0, 0])
            m[0] += 1
            m[1] += ok
        return pr

    @property
    def rate(self) -> float | None:
        """correct / total; None for a prompt no response was verified for."""
        return self.correct / self.total if self.total else None

    def columns(self) -> dict[str, Any]:
        """The row columns (open-instruct / OLMo 3 Dolci names)."""
        return {"total_rollouts": self.total, "total_correct_rollouts": self.correct, "passrate": self.rate}

    def by_model_rows(self) -> list[dict[str, Any]]:
        return [
            {"model": m, "total_rollouts": t, "total_correct_rollouts": c, "passrate": c / t if t else None}
            for m, (t, c) in sorted(self.by_model.items())
        ]


def band(rate: float | None, lo: float, hi: float) -> str | None:
    """Why a prompt falls outside [lo, hi] (a funnel key), or None when the RL datasets keep it.

    The default band [0, 1] keeps everything, prompts without a verified response included; any other band
    drops those too (their difficulty is unknown).
    """
    if lo <= 0.0 and hi >= 1.0:
        return None
    if rate is None:
        return "rl_removed_no_rollouts"
    if rate < lo:
        return "rl_removed_below_min_passrate"
    if rate > hi:
        return "rl_removed_above_max_passrate"
    return None


def curriculum_key(passrate: float | None, n_constraints: int, row_id: str) -> tuple[float, int, str]:
    """Easy to hard: highest pass rate first, then fewer constraints, then id; unknown pass rates last."""
    return (-passrate if passrate is not None else 1.0, n_constraints, row_id)


def bin_of(rate: float) -> str:
    if rate <= 0.0:
        return BINS[0]
    if rate >= 1.0:
        return BINS[-1]
    return BINS[1 + min(int(rate * 4), 3)]


class Histogram:
    """Prompts per pass-rate bin, overall and by number of constraints (counters only)."""

    def __init__(self) -> None:
        self.overall: Counter[str] = Counter()
        self.by_constraints: dict[int, Counter[str]] = {}
        self.no_rollouts = 0
        self._sum = 0.0

    def add(self, rate: float | None, n_constraints: int) -> None:
        if rate is None:
            self.no_rollouts += 1
            return
        b = bin_of(rate)
        self.overall[b] += 1
        self.by_constraints.setdefault(n_constraints, Counter())[b] += 1
        self._sum += rate

    def stats(self) -> dict[str, Any]:
        n = sum(self.overall.values())
        return {
            "bins": list(BINS),
            "prompts": n,
            "no_rollouts": self.no_rollouts,
            "mean": round(self._sum / n, 4) if n else None,
            "overall": {b: self.overall.get(b, 0) for b in BINS},
            "by_constraints": {str(k): {b: c.get(b, 0) for b in BINS} for k, c in sorted(self.by_constraints.items())},
        }
