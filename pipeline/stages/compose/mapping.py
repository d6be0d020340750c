"""How compose turns a free-form constraint into the registry constraint it states, or leaves it free-form.

Why: "Do not use the word 'very'." is `keywords:forbidden_words`; checked by the registry's exact checker it
is verified for sure, whereas generated checker code may be wrong or missing (a small model often writes
none that validates, and the constraint goes unverified).

Two ways, both ending in the same conflict check against the rest of the instruction, because a mapped
constraint is now a registry constraint and must obey the rules drawn ones obey (no "include 'very'"
beside "never use 'very'", no id twice):
- rules (`compose.match_freeform`, on by default): `pipeline.constraints.match`, deterministic and
  precision-first. A match becomes the registry entry (`records.mapped_constraint`: the free-form words
  stay its `text`); a match that conflicts is dropped from the instruction (the words would contradict
  another constraint either way); a match onto an id compose may not use (a family outside
  `compose.families`, an eval-only id) stays free-form.
- LLM (`compose.llm_match`, off by default), for texts the rules leave: the LLM is offered every registry
  constraint compose may use (about 100 ids with their parameters, ~3k tokens; those sharing words with
  the text first, `candidates`) and answers in JSON mode. A usable, conflict-free proposal
  rides on the free-form entry (`records.with_proposal`); it is used only after the checkers stage has
  tested it against the test cases generated for the text (checkers/mapping.py), so a wrong proposal costs
  nothing. The candidate list depends on the text and the config only, so one text gets one proposal
  (one cached call) whatever task it appears in.

Every outcome is counted (instruction `checks["freeform"]`, compose stats, the report).
"""

from __future__ import annotations

import re
from typing import Any

from pydantic import BaseModel

from ...constraints import Constraint, all_constraints, find_conflicts, get
from ...constraints.match import fits, match
from ...records import InstructionConstraint, MappedBy, mapped_constraint, with_proposal

# what happened to an instruction's free-form constraint
RULES = "rules"  # the matcher mapped it: now a registry entry
RULES_CONFLICT = "rules_conflict"  # mapped, but conflicts with the instruction: dropped
RULES_EXCLUDED = "rules_excluded"  # mapped onto an id compose may not use: kept free-form
LLM_PROPOSED = "llm_proposed"  # an LLM proposal rides on it (checkers decides)
LLM_NONE = "llm_none"  # the LLM proposed nothing
LLM_INVALID = "llm_invalid"  # the proposal is not a usable registry constraint, or no valid JSON came back
LLM_CONFLICT = "llm_conflict"  # the proposal conflicts with the instruction: not attached
UNMAPPED = "unmapped"  # left free-form (nothing matched, LLM mapping off)
OUTCOMES = (RULES, RULES_CONFLICT, RULES_EXCLUDED, LLM_PROPOSED, LLM_NONE, LLM_INVALID, LLM_CONFLICT, UNMAPPED)

_WORD = re.compile(r"[a-z]{3,}")
_STOP = frozenset(
    """the and for with your you this that these those must should not any all are use using each every from into
than then have has its it's will can may one more less most least response answer text write reply""".split()
)


class Proposal(BaseModel):
    """The LLM's answer: a registry id and its parameters, or id null when none fits."""

    id: str | None = None
    params: dict[str, Any] = {}


def usable(c: Constraint, families: list[str], include_eval_only: bool) -> bool:
    """An id compose may put in an instruction under this config."""
    return c.family in families and (c.split != "eval_only" or include_eval_only)


def map_by_rules(
    entry: InstructionConstraint, others: list[tuple[str, dict[str, Any]]], families: list[str], eval_only: bool
) -> tuple[InstructionConstraint | None, str]:
    """(entry to keep or None to drop, outcome) for a free-form entry; `others`: the instruction's registry
    constraints (id, params)."""
    m = match(entry["text"])
    if m is None:
        return entry, UNMAPPED
    c = get(m.id)
    if not usable(c, families, eval_only):
        return entry, RULES_EXCLUDED
    if find_conflicts([*others, (m.id, m.params)]):
        return None, RULES_CONFLICT
    return mapped_constraint(m.id, m.params, entry["text"], by=MappedBy.RULES, rule=m.rule, soft=c.soft), RULES


def _words(text: str) -> set[str]:
    return {w for w in _WORD.findall(text.lower()) if w not in _STOP}


def candidates(text: str, families: list[str], eval_only: bool) -> list[Constraint]:
    """Every usable, non-soft registry constraint, those whose description and phrasings share the most words
    with `text` first (then by id). Soft ones are left out: they would be judged by an LLM anyway."""
    want = _words(text)
    scored = []
    for c in all_constraints().values():
        if c.soft or not usable(c, families, eval_only):
            continue
        scored.append((-len(want & _words(" ".join([c.description, *c.phrasings]))), c.id, c))
    return [c for _, _, c in sorted(scored)]


def describe(c: Constraint) -> dict[str, Any]:
    """What the mapping prompt shows of one candidate."""
    params = []
    for p in c.params:
        kind = f"one of {', '.join(map(str, p.choices))}" if p.choices and len(p.choices) <= 8 else p.kind
        params.append(f"{p.name} ({kind}{', optional' if p.optional else ''})")
    return {"id": c.id, "description": c.description, "params": "; ".join(params)}


def check_proposal(
    entry: InstructionConstraint,
    proposal: Proposal | None,
    offered: set[str],
    others: list[tuple[str, dict[str, Any]]],
) -> tuple[InstructionConstraint, str]:
    """(entry, outcome): the entry with the proposal attached when it names an offered id whose checker takes
    the params and it does not conflict with `others`; the entry unchanged otherwise."""
    if proposal is None:
        return entry, LLM_INVALID
    if proposal.id is None:
        return entry, LLM_NONE
    if proposal.id not in offered or not fits(proposal.id, proposal.params):
        return entry, LLM_INVALID
    if find_conflicts([*others, (proposal.id, proposal.params)]):
        return entry, LLM_CONFLICT
    return with_proposal(entry, proposal.id, dict(proposal.params)), LLM_PROPOSED
