"""Shape of the IFEvalG family: ids, kwarg names, metadata, phrasings, samplers, inverses."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from pipeline.constraints import ConstraintError, MissingParameterError, all_constraints, check, get
from pipeline.constraints.core.contract import KNOWN_TAGS

IDS = [cid for cid, c in all_constraints().items() if c.family == "ifevalg"]

REFERENCE = Path("/work/shared/reference_ids.md")
TASK = "Explain how a river carves a canyon over millions of years, using simple words for a curious child."
CTXS = [
    {"task_text": TASK, "expected_length": 150, "topic_words": ["river", "canyon", "water", "stone"]},
    {"task_text": "List three uses of honey.", "expected_length": 40},
    {"task_text": TASK, "expected_length": 900},
]


def _reference_table() -> dict[str, tuple[str, ...]]:
    """The 'open-instruct IFEvalG training additions' table of reference_ids.md."""
    text = REFERENCE.read_text()
    section = text.split("## open-instruct IFEvalG training additions", 1)[1].split("\n## ", 1)[0]
    table = {}
    for cid, kwargs in re.findall(r"^\| `([^`]+)` \| ([^|]+) \|", section, flags=re.MULTILINE):
        table[cid] = tuple(k.strip() for k in kwargs.split(",")) if kwargs.strip() != "—" else ()
    return table


@pytest.mark.skipif(not REFERENCE.exists(), reason="shared reference list not present")
def test_ids_and_kwarg_names_match_the_reference_list():
    table = _reference_table()
    assert len(table) == 29
    assert set(IDS) == set(table)
    for cid, kwargs in table.items():
        assert set(get(cid).param_names) == set(kwargs), cid


def test_metadata():
    assert len(IDS) == 29
    for cid in IDS:
        c = get(cid)
        assert (c.family, c.split) == ("ifevalg", "train")
        assert c.tags <= KNOWN_TAGS, cid
        assert len(c.phrasings) >= 3 and len(set(c.phrasings)) == len(c.phrasings), cid
        assert c.category and c.description
        if any(p.name == "prompt_to_repeat" for p in c.params):
            assert "needs_prompt" in c.tags


def _mentions(rendered: str, value) -> bool:
    items = value if isinstance(value, (list, tuple)) else [value]
    return all(str(v) in rendered for v in items)


@pytest.mark.parametrize("cid", IDS)
def test_every_phrasing_mentions_every_bound_value(cid):
    c = get(cid)
    for seed in range(6):
        params = c.bind(random.Random(seed), CTXS[seed % len(CTXS)])
        assert set(params) == set(c.param_names)
        for i in range(len(c.phrasings)):
            rendered = c.render(params, index=i)
            for name, value in params.items():
                assert _mentions(rendered, value), (cid, i, name, value)


@pytest.mark.parametrize("cid", IDS)
def test_bound_params_are_accepted_by_the_checker(cid):
    c = get(cid)
    for seed in range(4):
        params = c.bind(random.Random(seed), CTXS[seed % len(CTXS)])
        assert check(cid, "A plain answer. It has two sentences.", params) in (True, False)


def test_sampler_details():
    rng = random.Random(3)
    span = get("new:copy_span_idx")
    for seed in range(30):
        p = span.bind(random.Random(seed), CTXS[0])
        assert 0 < p["n_start"] < p["n_end"] <= len(TASK)
        # spans cover whole words, so the slice is a sensible thing to ask for
        assert TASK[p["n_start"] - 1] == " " and (p["n_end"] == len(TASK) or TASK[p["n_end"]] == " ")
        assert check("new:copy_span_idx", TASK[p["n_start"] : p["n_end"]], p)
    inc = get("count:count_increment_word")
    for seed in range(50):
        p = inc.bind(random.Random(seed), {"topic_words": ["plan", "planet", "plant", "lane"]})
        assert p["keyword1"] not in p["keyword2"] and p["keyword2"] not in p["keyword1"]
    with pytest.raises(ConstraintError):
        get("copy:copy").bind(rng, {})
    ex = get("keywords:exclude_word_harder")
    for seed in range(20):  # the keyword is a content word of the instruction excerpt, as upstream draws it
        p = ex.bind(random.Random(seed), CTXS[seed % 2])
        assert p["keyword"] in p["instruction"].lower() and len(p["instruction"].split()) <= 8
        assert p["keyword"] not in {"with", "that", "from", "using"}
    n = get("letters:letter_counting").bind(rng, {"expected_length": 100})["N"]
    assert 300 <= n <= 600


def test_inverses_flip_the_relation():
    for cid, key in [
        ("keywords:word_count_different_numbers", "relation"),
        ("letters:letter_counting", "relation"),
        ("letters:letter_counting2", "let_relation"),
    ]:
        c = get(cid)
        params = c.bind(random.Random(0), CTXS[0])
        inv_id, inv = c.inverse(params)
        assert inv_id == cid and {params[key], inv[key]} == {"less than", "at least"}
        for response in ["short", "e " * 40, "tea tea tea tea and more words here " * 30]:
            assert check(cid, response, params) != check(inv_id, response, inv)


def test_registry_errors_and_null_kwargs():
    with pytest.raises(MissingParameterError):
        check("keywords:word_once", "text", {})
    # IFBench/IFEvalG input files carry nulls for unused kwargs; they are dropped
    assert check("keywords:exclude_word_harder", "a dog", {"keyword": "cat", "instruction": None})
    with pytest.raises(ConstraintError):
        check("letters:letter_counting", "abc", {"N": 2, "relation": "at most"})
    with pytest.raises(ConstraintError):
        check("letters:letter_counting2", "abc", {"letter": "ab", "let_frequency": 1, "let_relation": "at least"})
    assert not check("keywords:palindrome", "   \n ", {})
