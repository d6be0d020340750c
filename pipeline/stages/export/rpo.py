"""Reverse-constraint preference pairs (RPO): turn a failure into a positive example.

A response that breaks some constraints of an instruction usually *satisfies*
their inverses ("fewer than 50 words" -> "at least 50 words"). Re-rendering the
instruction with the failed constraints inverted (or dropped when a constraint
has no inverse) gives a prompt the failing response follows; a response of the
same instruction that fails the new constraint set becomes the rejected side.
Both sides are checked with `registry.check`, never assumed: a verdict the verify stage already gave with
that same strict checker (a builtin verdict on an original constraint that does not read the prompt) is
taken from the verdict record, every other one is computed here.

The prompt is re-rendered by replacing each constraint's text where it appears
verbatim in the instruction (in a system or multiturn prompt: in the message
that states the constraints); instructions whose constraint text was rewritten
(not found verbatim) or that hold freeform / judged constraints are skipped.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import replace
from functools import lru_cache
from typing import Any

from ... import constraints as registry
from ...constraints import ConstraintError
from ...records import ChatMessage, canonical_json, prompt_text, registry_constraint
from .rows import Prompt, Scored, dpo_row, rl_checkable


def _replace_text(prompt: str, old: str, new: str | None) -> str | None:
    """Swap one constraint's text; None as `new` removes it (and its bullet line when alone on one)."""
    if not old or old not in prompt:
        return None
    if new is not None:
        return prompt.replace(old, new, 1)
    found = _item_line(old).search(prompt)
    if found:
        rest = prompt[found.end() :]
        number = re.match(r"[ \t]*(\d+)[.)]", found.group(0))
        if number:  # a numbered list stays 1, 2, 3: the items after the removed one move up
            rest = _renumber(rest, int(number.group(1)))
        return (prompt[: found.start()] + rest).rstrip()
    return re.sub(r"[ \t]{2,}", " ", prompt.replace(old, "", 1)).strip()


@lru_cache(maxsize=4096)
def _item_line(text: str) -> re.Pattern[str]:
    """The line that holds `text` alone, as a bare line or a list item (constraint texts repeat across a run,
    so each pattern is built once)."""
    return re.compile(r"(?m)^[ \t]*(?:[-*\u2022]|\d+[.)])?[ \t]*" + re.escape(text) + r"[ \t]*\n?")


_NUMBERED = re.compile(r"^([ \t]*)(\d+)([.)][ \t])")


def _renumber(text: str, first: int) -> str:
    """Number the list items that open `text` from `first` on, while their numbers run on from `first` + 1 (the
    item numbered `first` was just removed); the first line that is not such an item ends the list."""
    lines = text.split("\n")
    for i, ln in enumerate(lines):
        m = _NUMBERED.match(ln)
        if not m or int(m.group(2)) != first + 1 + i:
            break
        lines[i] = f"{m.group(1)}{first + i}{m.group(3)}{ln[m.end() :]}"
    return "\n".join(lines)


def _replace_in_prompt(
    text: str, messages: list[ChatMessage] | None, old: str, new: str | None
) -> tuple[str, list[ChatMessage] | None] | None:
    """`_replace_text` on a prompt: on its text, or on the user / system turn that states `old` (the turn that
    states the rules first), the text then re-joined from the turns."""
    if messages is None:
        updated = _replace_text(text, old, new)
        return None if updated is None else (updated, None)
    carrier = 0 if messages[0]["role"] == "system" else len(messages) - 1
    for i in sorted(range(len(messages)), key=lambda i: i != carrier):
        m = messages[i]
        if m["role"] != "assistant" and old and old in str(m["content"]):
            content = _replace_text(str(m["content"]), old, new)
            if content is None or not content.strip():
                return None
            messages = [*messages[:i], {"role": m["role"], "content": content}, *messages[i + 1 :]]
            return prompt_text(messages), messages
    return None


def reversed_instruction(p: Prompt, failed: set[int], rng: random.Random) -> Prompt | None:
    """`p` with the constraints at `failed` positions inverted or dropped (text, turns and constraints; the
    id stays the original instruction's)."""
    text, messages = p.text, p.messages
    new_constraints: list[dict[str, Any]] = []
    changed = False
    for i, c in enumerate(p.constraints):
        if i not in failed:
            new_constraints.append(c)
            continue
        replacement: str | None = None
        inverse = _inverse(str(c["id"]), canonical_json(dict(c.get("params") or {})))
        if inverse is not None:
            inv_id, inv_params, phrasings = inverse
            replacement = _render(inv_id, canonical_json(inv_params), rng.randrange(phrasings))
            if replacement is not None:
                new_constraints.append(dict(registry_constraint(inv_id, dict(inv_params), replacement)))
        updated = _replace_in_prompt(text, messages, str(c.get("text") or ""), replacement)
        if updated is None:
            return None
        (text, messages), changed = updated, True
    if not changed or not new_constraints or not text.strip():
        return None
    return replace(p, text=text, messages=messages, constraints=new_constraints)


@lru_cache(maxsize=65536)
def _inverse(cid: str, params_json: str) -> tuple[str, dict[str, Any], int] | None:
    """(inverse id, its params, how many phrasings it has) of a constraint, None when it has none; the same
    constraints come back prompt after prompt, so each is worked out once (the params are shared: callers
    copy them and never change them in place)."""
    con = registry.get(cid)
    if con.inverse is None:
        return None
    try:
        inv_id, inv_params = con.inverse(json.loads(params_json))
        return inv_id, inv_params, len(registry.get(inv_id).phrasings)
    except (ConstraintError, KeyError, ValueError, TypeError):
        return None


@lru_cache(maxsize=65536)
def _render(inv_id: str, params_json: str, index: int) -> str | None:
    try:
        return registry.get(inv_id).render(json.loads(params_json), index=index)
    except (ConstraintError, KeyError, ValueError, TypeError):
        return None


class Rechecker:
    """`registry.check` with a per-prompt memo: each (response, constraint, params) is checked once,
    however many candidate pairs look at it (language detection makes some checks costly)."""

    def __init__(self):
        self._memo: dict[tuple[str, str, str, str | None], bool] = {}
        # id(constraint dict) -> (the dict, kept alive so its id is not reused; its params as canonical JSON)
        self._params: dict[int, tuple[dict[str, Any], str]] = {}
        self._recorded: dict[int, int] = {}  # id(an instruction's own constraint dict) -> its position

    def use_recorded(self, constraints: list[dict[str, Any]]) -> None:
        """Take a response's verdict on these constraints (the instruction's own, in order) from its verdict
        record where verify gave it with the builtin checker; only for a run verified strictly (`verify.loose`
        off), whose builtin verdicts are `registry.check`'s. Checkers that read the prompt are still run."""
        for k, c in enumerate(constraints):
            if not _takes_prompt(str(c["id"])):
                self._canonical(c)  # holds the dict, so its id stays its own
                self._recorded[id(c)] = k

    def _canonical(self, c: dict[str, Any]) -> str:
        held = self._params.get(id(c))
        if held is None:
            held = self._params[id(c)] = (c, canonical_json(dict(c.get("params") or {})))
        return held[1]

    def verdicts(self, constraints: list[dict[str, Any]], response: Scored, prompt: str) -> list[bool]:
        """Strict verdicts; checkers that read the prompt get `prompt` (the instruction they belong to)."""
        out = []
        memo = self._memo
        for c in constraints:
            cid = str(c["id"])
            takes_prompt = _takes_prompt(cid)
            key = (response.id, cid, self._canonical(c), prompt if takes_prompt else None)
            v = memo.get(key)
            if v is None:
                pos = self._recorded.get(id(c))
                v = None if pos is None else _recorded_verdict(response, pos, cid)
                if v is None:
                    params = dict(c.get("params") or {})
                    if takes_prompt:
                        params.setdefault("prompt", prompt)
                    v = registry.check(cid, response.text, params)
                memo[key] = v
            out.append(v)
        return out


def _recorded_verdict(response: Scored, pos: int, cid: str) -> bool | None:
    """The builtin verdict verify recorded for the constraint at `pos`, if its record holds one there."""
    if pos < len(response.results):
        r = response.results[pos]
        passed = r.get("passed")
        if r.get("index", pos) == pos and r.get("id") == cid and r.get("verifier") == "builtin":
            return passed if isinstance(passed, bool) else None
    return None


_TAKES_PROMPT: dict[str, bool] = {}  # constraint id -> whether its checker reads the prompt (the registry is fixed)


def _takes_prompt(constraint_id: str) -> bool:
    v = _TAKES_PROMPT.get(constraint_id)
    if v is None:
        v = _TAKES_PROMPT[constraint_id] = "prompt" in registry.get(constraint_id).param_names
    return v


def reverse_pairs(
    p: Prompt,
    responses: list[Scored],
    max_pairs: int,
    rng: random.Random,
    passrate: float | None = None,
    strict_verdicts: bool = False,
) -> list[dict[str, Any]]:
    """Up to `max_pairs` RPO pairs for one instruction (strategy "reverse_constraints"); `passrate` is the
    original instruction's (what the rows carry). `strict_verdicts`: the responses' verdicts were given by
    the strict checkers (`verify.loose` off), so their builtin ones need not be checked again."""
    if not rl_checkable(p):
        return []
    candidates = sorted(
        (s for s in responses if s.usable and not s.all_pass and not s.truncated and s.text.strip()),
        key=lambda s: (-(s.fraction or 0.0), s.id),
    )
    if not candidates:
        return []
    check = Rechecker()
    if strict_verdicts:
        check.use_recorded(p.constraints)
    by_score = sorted(responses, key=lambda o: (-(o.fraction or 0.0), o.id))
    out: list[dict[str, Any]] = []
    used: set[str] = set()
    for s in candidates:
        if len(out) >= max_pairs:
            break
        if s.id in used:
            continue
        failed = {i for i, ok in enumerate(check.verdicts(p.constraints, s, p.text)) if not ok}
        if not failed:
            continue
        rev = reversed_instruction(p, failed, rng)
        if rev is None:
            continue
        if not all(check.verdicts(rev.constraints, s, rev.text)):
            continue
        best = None
        for other in by_score:
            if other.id == s.id or other.id in used or not other.text.strip():
                continue
            verdicts = check.verdicts(rev.constraints, other, rev.text)
            if not all(verdicts):
                best = (other, sum(verdicts) / len(verdicts))
                break
        if best is None:
            continue
        rejected, rejected_score = best
        used.update((s.id, rejected.id))
        out.append(dpo_row(rev, s, rejected, 1.0, rejected_score, "reverse_constraints", passrate))
    return out
