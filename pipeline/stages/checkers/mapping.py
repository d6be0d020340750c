"""Whether an LLM's proposed registry constraint checks a free-form text the way the text's own cases say.

compose attached the proposal (`compose.llm_match`, compose/mapping.py); this stage has just asked for K
checker functions for the text, each with labelled test responses, and cross-validated them (select.py).
The proposal is accepted on either of two pieces of evidence, both over the pooled test cases, of which
there must be at least `checkers.min_cases` holding a passing and a failing example (else a checker that
always says yes, or always no, would agree by construction):
- cases: the proposed constraint's checker reproduces the cases' labels at least as often as a generated
  function must to be kept (`checkers.accuracy`, AutoIF's 0.8);
- functions: where functions were kept, it agrees with their majority on every case they answered.
Either way the registry checker has cleared the bar a generated function clears, and from then on it is
exact. A rejected proposal changes nothing: the text stays free-form, checked by the kept functions.
Verify and export use an accepted one (records.resolve_mapping).
"""

from __future__ import annotations

from ...constraints import check
from ...records import MappingCheck, MappingProposal

CASES = "cases"
FUNCTIONS = "functions"


def _verdict(proposal: MappingProposal, response: str) -> bool | None:
    try:
        return bool(check(proposal["id"], response, proposal["params"]))
    except Exception:  # a checker that cannot take this response cannot stand in for the generated ones
        return None


def _majority(votes: list[bool | None]) -> bool | None:
    answered = [v for v in votes if v is not None]
    return None if not answered else sum(answered) * 2 > len(answered)


def judge_mapping(
    proposal: MappingProposal,
    cases: list[tuple[str, bool]],
    kept_outputs: list[list[bool | None]],
    accuracy: float,
    min_cases: int,
) -> MappingCheck:
    """Accept or reject `proposal` on the pooled `cases` (response, label) and the kept functions' outputs on
    them (one list per kept function, aligned with `cases`)."""
    verdicts = [_verdict(proposal, r) for r, _ in cases]
    labels = [label for _, label in cases]
    hits = sum(v is not None and v == label for v, label in zip(verdicts, labels))
    acc = round(hits / len(cases), 4) if cases else 0.0
    out: MappingCheck = {
        "id": proposal["id"],
        "params": proposal["params"],
        "accepted": False,
        "evidence": None,
        "accuracy": acc,
        "cases": len(cases),
        "reason": "",
    }
    if len(cases) < min_cases or len(set(labels)) < 2:
        out["reason"] = f"{len(cases)} test case(s), need {min_cases} with a passing and a failing one"
        return out
    if acc >= accuracy:
        out["accepted"], out["evidence"] = True, CASES
        out["reason"] = f"reproduces {hits}/{len(cases)} case labels"
        return out
    if kept_outputs:
        majority = [_majority([f[i] for f in kept_outputs]) for i in range(len(cases))]
        pairs = [(v, m) for v, m in zip(verdicts, majority) if m is not None]
        if len(pairs) >= min_cases and all(v == m for v, m in pairs) and len({m for _, m in pairs}) == 2:
            out["accepted"], out["evidence"] = True, FUNCTIONS
            out["reason"] = f"agrees with the kept functions on {len(pairs)} cases"
            return out
    out["reason"] = f"reproduces {hits}/{len(cases)} case labels (needs {accuracy:.0%}) and not the kept functions"
    return out
