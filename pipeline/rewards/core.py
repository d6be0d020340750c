"""The RL reward itself: a ground-truth label -> strict per-constraint verdicts -> their mean.

Two entry points over one rule:
* `reward` is the reference: it raises `ValueError` on a bad row (unparsable label, unknown id, missing
  parameter, a completion that is not text), which is what a user checking a dataset wants to see;
* `safe_reward` is what trainers call: the same score, but a bad row scores 0.0 and its reason is logged
  (once per distinct reason at WARNING, repeats at DEBUG) instead of stopping a training run.

The rule follows open-instruct's IFEvalVerifier: the reasoning is stripped first (`strip_reasoning`), an empty
completion or answer scores 0.0, and the score is the MEAN of the per-constraint strict verdicts (partial
credit). The same rule applies to ifgen's own labels, so a response's reward equals the `fraction` its verify
record holds. Completions may be strings or chat messages (`completion_text`).
"""

from __future__ import annotations

import ast
import json
import logging
from collections.abc import Mapping
from typing import Any

from .. import constraints as registry
from ..constraints import ConstraintError

log = logging.getLogger("pipeline.rewards")

_SEEN_REASONS: set[str] = set()
_MAX_SEEN = 10_000


# --------------------------------------------------------------------- completions
def strip_reasoning(prediction: str) -> str:
    """The answer part of a completion, as open-instruct's remove_thinking_section
    takes it: drop "<|assistant|>", everything up to and including the last
    "</think>", and <answer> tags; then strip."""
    text = prediction.replace("<|assistant|>", "").strip()
    text = text.split("</think>")[-1]
    return text.replace("<answer>", "").replace("</answer>", "").strip()


def _content_text(content: Any) -> str:
    """A message's content: a string, or a list of parts of which the text parts count."""
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        parts = []
        for part in content:
            if isinstance(part, str):
                parts.append(part)
            elif isinstance(part, Mapping) and part.get("type", "text") == "text":
                parts.append(str(part.get("text") or ""))
        return "".join(parts)
    if content is None:
        return ""
    raise ValueError(f"completion: message content must be text or a list of parts, got {type(content).__name__}")


def completion_text(completion: Any) -> str:
    """The text a completion answers with: a string as is; for chat messages (TRL's conversational
    completions: a list of {"role", "content"} dicts, or one such dict) the last assistant message."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, Mapping):
        completion = [completion]
    if isinstance(completion, (list, tuple)):
        if not all(isinstance(m, Mapping) for m in completion):
            raise ValueError("completion: a list must hold chat messages ({'role', 'content'} dicts)")
        answers = [m for m in completion if m.get("role", "assistant") == "assistant"]
        return _content_text(answers[-1].get("content")) if answers else ""
    raise ValueError(f"completion must be a string or chat messages, got {type(completion).__name__}")


def prompt_text(prompt: Any) -> str | None:
    """The last user turn of a prompt given as text or chat messages (None when there is none)."""
    if prompt is None or isinstance(prompt, str):
        return prompt
    if isinstance(prompt, (list, tuple)):
        users = [m for m in prompt if isinstance(m, Mapping) and m.get("role") == "user"]
        return _content_text(users[-1].get("content")) if users else None
    return None


# --------------------------------------------------------------------- labels
def parse_ground_truth(ground_truth: Any) -> list[tuple[str, dict]]:
    """(id, params) pairs from any accepted ground-truth form:
    * open-instruct IFEval: a Python-literal string of a list holding one
      {"instruction_id": [...], "kwargs": [...]} (or that dict as a JSON string,
      or the list / dict itself);
    * ifgen: {"format": "ifgen", "constraints": [{"id": ..., "params": {...}}]},
      as a dict or a JSON string.
    """
    gt = ground_truth
    if isinstance(gt, (bytes, bytearray)):
        gt = gt.decode("utf-8")
    if isinstance(gt, str):
        gt = _parse_text(gt)
    if isinstance(gt, (list, tuple)):
        if not gt:
            raise ValueError("ground truth: empty list")
        gt = gt[0]
        if isinstance(gt, str):
            gt = _parse_text(gt)
    if not isinstance(gt, dict):
        got = type(gt).__name__
        raise ValueError(f"ground truth: expected a dict or a list holding one, got {got}")  # noqa: TRY004
    if gt.get("format") == "ifgen":
        items = gt.get("constraints")
        if not isinstance(items, list) or not items:
            raise ValueError("ground truth (ifgen): 'constraints' must be a non-empty list")
        out = []
        for i, item in enumerate(items):
            if not isinstance(item, dict) or not isinstance(item.get("id"), str):
                raise ValueError(f"ground truth (ifgen): constraints[{i}] needs a string 'id'")  # noqa: TRY004
            params = item.get("params") or {}
            if not isinstance(params, dict):
                raise ValueError(f"ground truth (ifgen): constraints[{i}].params must be an object")  # noqa: TRY004
            out.append((item["id"], params))
        return out
    ids, kwargs = gt.get("instruction_id"), gt.get("kwargs")
    if not isinstance(ids, list) or not ids or not all(isinstance(i, str) for i in ids):
        raise ValueError("ground truth (ifeval): 'instruction_id' must be a non-empty list of ids")
    if kwargs is None:
        kwargs = [None] * len(ids)
    if not isinstance(kwargs, list) or len(kwargs) != len(ids):
        raise ValueError("ground truth (ifeval): 'kwargs' must be a list with one entry per instruction id")
    for i, kw in enumerate(kwargs):
        if kw is not None and not isinstance(kw, dict):
            raise ValueError(f"ground truth (ifeval): kwargs[{i}] must be an object or null")
    return [(cid, kw or {}) for cid, kw in zip(ids, kwargs)]


def _parse_text(text: str) -> Any:
    """JSON first, then a Python literal (open-instruct writes repr() of a list)."""
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        pass
    try:
        return ast.literal_eval(text)
    except (ValueError, SyntaxError, MemoryError, RecursionError) as e:
        raise ValueError(f"ground truth: neither JSON nor a Python literal ({type(e).__name__})") from None


# --------------------------------------------------------------------- scores
def reward(response: Any, ground_truth: Any, prompt: str | None = None) -> float:
    """Fraction of constraints the answer satisfies (strict), in [0, 1]; raises ValueError on a bad row.

    `response` is a string or chat messages (`completion_text`). `prompt` feeds checkers that take the
    prompt. Unknown ids, missing or ill-typed parameters and unparsable labels raise ValueError.
    """
    pairs = parse_ground_truth(ground_truth)
    text = completion_text(response)
    answer = strip_reasoning(text)
    if not text.strip() or not answer:
        return 0.0
    passed = 0
    for cid, params in pairs:
        try:
            c = registry.get(cid)
            if prompt is not None and "prompt" in c.param_names:
                params = {**params, "prompt": prompt}
            passed += registry.check(cid, answer, params)
        except ConstraintError as e:
            raise ValueError(f"ground truth: {e}") from None
        except Exception as e:  # e.g. a parameter of the wrong type reaching the checker
            raise ValueError(f"ground truth: checking {cid} raised {type(e).__name__}: {e}") from None
    return passed / len(pairs)


def safe_reward(response: Any, ground_truth: Any, prompt: str | None = None, *, source: str = "reward") -> float:
    """`reward`, except that a bad row scores 0.0 and its reason is logged (named by `source`)."""
    try:
        return reward(response, ground_truth, prompt)
    except Exception as e:  # a training run must not stop on one row; the reason is logged
        bad_row(source, f"{type(e).__name__}: {e}")
        return 0.0


def bad_row(source: str, reason: str) -> None:
    """Log why a row scored 0.0: WARNING the first time a reason is seen, DEBUG for repeats."""
    msg = f"{source}: row scored 0.0: {reason}"[:500]
    if msg in _SEEN_REASONS:
        log.debug(msg)
        return
    if len(_SEEN_REASONS) < _MAX_SEEN:
        _SEEN_REASONS.add(msg)
    log.warning(msg)
