"""Seeded, realistic verify workload for bench_verify (not a test module).

A workload item is one model response (20-600 words, log-uniform) with 1-6
constraints drawn from the ids the packaged reference (`if_verifiable`)
supports: the 25 IFEval ids and the IFBench ids. Responses mix English prose
paragraphs, bullets, numbered sections, JSON (fenced or bare), foreign-language
paragraphs, postscripts, titles and the messy blocks the differential tests use.
Params come half from our own samplers (as compose binds them) and half from
the differential tests' response-aware helpers, so both verdicts occur often.
"""

from __future__ import annotations

import json
import random
import re
from dataclasses import dataclass, field

from pipeline.constraints.core import registry
from tests.constraints.families.ifbench import ifbench_cases as ifb
from tests.oracles import REFERENCE_LANGUAGES
from tests.oracles import responses as gen

# The reference cannot be run offline for words:start_verb (it needs nltk's POS tagger data).
EXCLUDED = {"words:start_verb"}
SUBJECTS = [
    "the team",
    "our city",
    "the river",
    "a small company",
    "the new policy",
    "my grandmother",
    "the market",
    "every student",
    "the old bridge",
    "this model",
    "the garden",
    "the committee",
    "Dr. Rivera",
    "Anna",
]
VERBS = [
    "changed",
    "improved",
    "surprised",
    "shaped",
    "helped",
    "challenged",
    "described",
    "explained",
    "built",
    "followed",
    "questioned",
    "supported",
    "measured",
    "reported",
    "protected",
]
OBJECTS = [
    "the way people travel",
    "our plans for the season",
    "the results of the study",
    "a quiet morning",
    "the history of the region",
    "three simple rules",
    "the cost of living",
    "an unexpected idea",
    "the local schools",
    "the quality of the water",
    "a long journey home",
    "the price of bread",
]
TAILS = [
    "",
    " last year",
    " in 2019",
    " after the storm",
    ", and nobody expected it",
    " by 3.5 percent",
    " without much help",
    " (as usual)",
    " at 5 p.m. on Monday",
    " in the U.S. and Canada",
    " again and again",
]
PROMPTS = [
    "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "Explain how photosynthesis works to a ten year old child, using simple words.",
    "Describe the history of the printing press and its effect on European society.",
    "List three tips for staying focused while studying at home.",
    "Write an email to your landlord asking to repair the heating before winter.",
    "Summarise the main arguments for and against a four-day work week.",
]


@dataclass
class Item:
    response: str
    prompt: str
    checks: list[tuple[str, str, dict]] = field(default_factory=list)  # (family, id, kwargs)


def _sentence(rng: random.Random) -> str:
    s = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)}{rng.choice(TAILS)}"
    s = s[0].upper() + s[1:]
    if rng.random() < 0.25:
        s += " " + gen.words(rng, rng.randint(2, 8))
    return s + rng.choice([".", ".", ".", "!", "?", "..."])


def _paragraph(rng: random.Random) -> str:
    if rng.random() < 0.15:
        return gen.prose(rng, rng.choice([k for k in gen.SENTENCES if k != "en"]), n=rng.randint(2, 6))
    return " ".join(_sentence(rng) if rng.random() < 0.8 else gen.sentence(rng) for _ in range(rng.randint(2, 7)))


def _bullets(rng: random.Random) -> str:
    mark = rng.choice(["* ", "- ", "1. ", "• "])
    items = [
        mark + (_sentence(rng) if rng.random() < 0.6 else gen.words(rng, rng.randint(2, 7)))
        for _ in range(rng.randint(2, 8))
    ]
    if rng.random() < 0.3:
        items.insert(1, "  - " + gen.words(rng, 4))
    return "\n".join(items)


def _sections(rng: random.Random) -> str:
    sp = rng.choice(gen.SPLITTERS)
    return "\n\n".join(f"{sp} {i}\n{_paragraph(rng)}" for i in range(1, rng.randint(2, 5) + 1))


def _json(rng: random.Random) -> str:
    obj = {
        "title": _sentence(rng),
        "points": [gen.words(rng, 3) for _ in range(rng.randint(1, 5))],
        "score": rng.randint(0, 100),
        "ok": rng.random() < 0.5,
    }
    body = json.dumps(obj, indent=rng.choice([None, 2]), ensure_ascii=False)
    return rng.choice(["```json\n" + body + "\n```", body, "```\n" + body + "\n```"])


def response(rng: random.Random) -> str:
    target = int(round(20 * (30 ** rng.random())))  # 20..600 words, log-uniform
    kind = rng.random()
    parts: list[str] = []
    if kind < 0.15:  # JSON or a messy IFBench-style block, topped up to 20 words with prose
        parts.append(_json(rng) if kind < 0.08 else ifb.messy(rng))
        while sum(len(p.split()) for p in parts) < 20:
            parts.insert(0, _paragraph(rng))
        return "\n\n".join(parts)
    if rng.random() < 0.2:
        parts.append(
            rng.choice(
                ["<<" + gen.words(rng, 3).title() + ">>", "# " + gen.words(rng, 3).title(), "Sure! Here is my answer:"]
            )
        )
    n = 0
    while n < target:
        r = rng.random()
        block = (
            _paragraph(rng)
            if r < 0.6
            else _bullets(rng)
            if r < 0.75
            else _sections(rng)
            if r < 0.82
            else gen.block(rng)
        )
        if n and n + len(block.split()) > 600:
            break
        parts.append(block)
        n += len(block.split())
    if rng.random() < 0.15:
        parts.append(rng.choice(gen.POSTSCRIPTS))
    text = rng.choice(["\n\n", "\n\n", "\n", "\n***\n"]).join(parts)
    if rng.random() < 0.05:
        text = text.lower()
    return text


def _sampled_params(cid: str, rng: random.Random, resp: str, prompt: str) -> dict | None:
    c = registry.get(cid)
    ctx = {
        "task_text": prompt,
        "topic_words": re.findall(r"[A-Za-z]{4,}", resp)[:30],
        "expected_length": max(20, len(resp.split())),
    }
    for _ in range(5):
        params = c.bind(rng, ctx)
        if params.get("language") in (None, *REFERENCE_LANGUAGES):
            return params
    return None


def _derived_params(fam: str, cid: str, rng: random.Random, resp: str, prompt: str) -> dict:
    if fam == "ifbench":
        return ifb.kwargs_for(cid, rng, resp, prompt)
    from tests.constraints.families.ifeval.test_ifeval_differential import kwargs_for

    return kwargs_for(cid, rng, resp)


def reference_ids() -> dict[str, str]:
    """id -> family for every id the reference supports and we can compare."""
    from tests.oracles import registry as oracle

    ours = registry.all_constraints()
    return {cid: fam for fam in ("ifeval", "ifbench") for cid in oracle(fam) if cid in ours and cid not in EXCLUDED}


def make(n: int, seed: int = 0) -> list[Item]:
    rng = random.Random(seed)
    ids = reference_ids()
    pool = sorted(ids)
    items = []
    for _ in range(n):
        it = Item(response(rng), rng.choice(PROMPTS))
        for cid in rng.sample(pool, rng.randint(1, 6)):
            fam = ids[cid]
            kw = (
                _sampled_params(cid, rng, it.response, it.prompt)
                if rng.random() < 0.5
                else _derived_params(fam, cid, rng, it.response, it.prompt)
            )
            if kw is not None:
                it.checks.append((fam, cid, kw))
        items.append(it)
    return items
