"""Rule-based replies that make the fake server a plausible LLM for the whole pipeline.

It recognises each prompt kind by the template's wording and answers in kind:
metadata JSON for expand, yes for feasibility, checker code (right, wrong, or
crashing, chosen deterministically) for checkers, verdicts for the judge, a
registry mapping for the words it knows in a free-form rule (compose.llm_match:
"very" and "question" right, "comma" a guess the generated cases refute, else
none), and for sampling a response whose style varies with the seed so some
responses pass their constraints and others fail. Deterministic in the request
body.
"""

from __future__ import annotations

import hashlib
import json
import re

from .fake_rules import last_user_text


def _h(*parts) -> int:
    return int(hashlib.sha256("\x1f".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def _expand(prompt: str) -> str:
    task = prompt.rsplit("Task:", 1)[-1].strip()
    low = task.lower()
    fmt = (
        "code"
        if any(w in low for w in ("sql", "python", "function", "script"))
        else "email"
        if "email" in low
        else "poem"
        if ("poem" in low or "haiku" in low)
        else "prose"
    )
    length = 40 if ("tweet" in low or "haiku" in low or "subject" in low) else 200
    meta = {
        "domain": "general",
        "task_type": fmt if fmt != "prose" else "explanation",
        "skills": ["clarity"],
        "audience": "general reader",
        "expected_length": length,
        "output_format": fmt,
        "language": "en",
        "freeform_constraints": ["Do not use the word 'very'.", "Include at least one question mark."],
    }
    if _h(task) % 5 == 0:  # now and then a broken reply, to exercise re-asking and fallbacks
        return "Sure! Here is the metadata: {domain: general"
    return json.dumps(meta)


_CHECKERS = {
    "very": (
        "def evaluate(response):\n    return 'very' not in response.lower().split()\n",
        [("This is fine.", True), ("This is very fine.", False), ("Nothing here", True)],
    ),
    "question": (
        "def evaluate(response):\n    return '?' in response\n",
        [("Is it?", True), ("It is.", False), ("Why not? Sure.", True)],
    ),
}


def _checker(prompt: str, seed) -> str:
    rule = re.search(r'"(.*)"', prompt)
    text = (rule.group(1) if rule else prompt).lower()
    key = "very" if "very" in text else "question" if "question" in text else None
    variant = _h(text, seed) % 6
    if key is None:
        code, cases = "def evaluate(response):\n    return len(response) > 0\n", [("x", True), ("", False)]
    else:
        code, cases = _CHECKERS[key]
    if variant == 4:  # a wrong function
        code = "def evaluate(response):\n    return False\n"
    if variant == 5:  # a crashing one
        code = "def evaluate(response):\n    return response[10**9] == 'x'\n"
    return json.dumps({"function": code, "cases": [{"response": r, "label": lab} for r, lab in cases]})


def _judge(prompt: str) -> str:
    n = len(re.findall(r"^\d+\. ", prompt.split("Requirements to judge:", 1)[-1], re.M))
    return json.dumps({"verdicts": [{"index": i, "pass": True, "reason": "looks right"} for i in range(n)]})


def _sample(prompt: str, seed) -> str:
    style = _h(prompt, seed) % 3
    words = re.findall(r"[A-Za-z]+", prompt)[:30]
    if style == 0:
        return (
            "here is my answer about "
            + " ".join(w.lower() for w in words[:12])
            + ". it stays simple and calm. is that helpful?"
        )
    if style == 1:
        return "Here is my answer, with commas, about " + ", ".join(words[:10]) + "."
    return "\n\n".join(["Answer: " + " ".join(words[i : i + 8]) + "." for i in range(0, 24, 8)])


_MAPPINGS = {
    "very": {"id": "keywords:forbidden_words", "params": {"forbidden_words": ["very"]}},
    "question": {"id": "ifgen:question_count", "params": {"num_questions": 1, "relation": "at least"}},
    "comma": {"id": "punctuation:no_comma", "params": {}},
}


def _match(prompt: str) -> str:
    rule = re.search(r'^Rule: "(.*)"$', prompt, re.M)
    text = (rule.group(1) if rule else "").lower()
    for word, mapping in _MAPPINGS.items():
        if word in text:
            return json.dumps(mapping)
    return json.dumps({"id": None, "params": {}})


def pipeline_reply(body: dict) -> str:
    prompt = last_user_text(body)
    seed = body.get("seed")
    if "Describe this task as JSON" in prompt:
        return _expand(prompt)
    if "Can one answer to the task satisfy all these rules" in prompt:
        return json.dumps({"feasible": True, "reason": "the rules are compatible"})
    if "Write a Python function `evaluate" in prompt:
        return _checker(prompt, seed)
    if "Requirements to judge:" in prompt:
        return _judge(prompt)
    if "Checkable constraints (id: what it checks" in prompt:
        return _match(prompt)
    if "what rule does this function check" in prompt:
        return json.dumps({"restated": "a rule", "same": True})
    if "Rewrite the instruction below" in prompt:
        return prompt.split("Instruction:", 1)[-1].strip()
    return _sample(prompt, seed)
