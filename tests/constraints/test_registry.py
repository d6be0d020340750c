"""Registry contract, checked over EVERY registered id (all families).

The phrasing test is the guard that an instruction text never hides a bound
value: each phrasing names each parameter, and the rendered text contains each
value (or each item of a list value).
"""

from __future__ import annotations

import random
import string

import pytest

from pipeline.constraints import MissingParameterError, UnknownConstraintError
from pipeline.constraints.core import registry
from pipeline.constraints.core.contract import FAMILIES, KNOWN_TAGS, SPLITS
from tests.oracles import loose_variants as reference_loose_variants

ALL = registry.all_constraints()
IDS = sorted(ALL)

CTX = {
    "task_text": "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "topic_words": ["lighthouse", "keeper", "message", "bottle", "story", "ocean"],
    "expected_length": 250,
    "language": "en",
    "output_format": "prose",
    "task_type": "creative",
}


def _fields(template: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(template) if f}


def _mentions(text: str, value) -> bool:
    if isinstance(value, (list, tuple)):
        return all(str(v) in text for v in value)
    return str(value) in text


@pytest.mark.parametrize("cid", IDS)
def test_every_phrasing_mentions_every_bound_value(cid: str) -> None:
    c = ALL[cid]
    names = set(c.param_names)
    allowed = names | {f"{p.name}_name" for p in c.params if p.kind == "language"}
    for tpl in c.phrasings:
        fields = _fields(tpl)
        assert names <= fields, f"{cid}: phrasing misses {names - fields}: {tpl!r}"
        assert fields <= allowed, f"{cid}: phrasing uses unknown fields {fields - allowed}: {tpl!r}"
    for seed in range(5):
        params = c.bind(random.Random(seed), CTX)
        assert set(params) == names
        for i in range(len(c.phrasings)):
            text = c.render(params, index=i)
            for name, value in params.items():
                assert _mentions(text, value), f"{cid} phrasing {i}: {name}={value!r} not in {text!r}"


@pytest.mark.parametrize("cid", IDS)
def test_metadata_is_well_formed(cid: str) -> None:
    c = ALL[cid]
    assert c.id == cid and ":" in cid
    assert c.family in FAMILIES and c.split in SPLITS
    assert c.tags <= KNOWN_TAGS, c.tags - KNOWN_TAGS
    assert c.category and c.description and len(c.phrasings) >= 3
    assert len(set(c.param_names)) == len(c.param_names)
    if c.inverse is not None:
        params = c.bind(random.Random(0), CTX)
        inv_id, inv_params = c.inverse(params)
        assert inv_id in ALL
        assert set(inv_params) >= {p.name for p in ALL[inv_id].params if not p.optional}


def test_unknown_id_and_missing_parameter() -> None:
    with pytest.raises(UnknownConstraintError) as e:
        registry.check("nope:nothing", "text")
    assert "nope:nothing" in str(e.value)
    with pytest.raises(KeyError):  # also a KeyError, for dict-style callers
        registry.get("nope:nothing")
    with pytest.raises(MissingParameterError):
        registry.check("keywords:frequency", "text", {"keyword": "a", "frequency": None, "relation": "at least"})


def test_null_and_unknown_kwargs_are_dropped() -> None:
    kw = {"num_words": 2, "relation": "at least", "num_bullets": None, "unrelated": 5}
    assert registry.check("length_constraints:number_words", "one two", kw)
    assert registry.check("punctuation:no_comma", "fine", {"keyword": None, "frequency": None})


def test_blank_response_fails_even_when_the_checker_would_pass() -> None:
    assert registry.check("keywords:forbidden_words", "ok", {"forbidden_words": ["x"]})
    for blank in ("", " ", "\n\t"):
        assert not registry.check("keywords:forbidden_words", blank, {"forbidden_words": ["x"]})
        assert not registry.check_loose("keywords:forbidden_words", blank, {"forbidden_words": ["x"]})


@pytest.mark.parametrize("resp", ["a\nb\nc", "**x**\n\n*y*\n", "single", "\n", "a*b\r\nc*d", ""])
def test_loose_variants_are_the_references_in_its_order(resp: str) -> None:
    assert registry.loose_variants(resp) == reference_loose_variants(resp)


def test_loose_skips_blank_variants() -> None:
    # "x\n" minus its first line is blank; blank variants must not be checked (no_comma would pass them)
    assert not registry.check_loose("punctuation:no_comma", "a, b\n")
    assert registry.check_loose("punctuation:no_comma", "Intro, sure\nplain text")


def test_check_many_scores_by_position() -> None:
    ids = ["keywords:existence", "keywords:existence", "punctuation:no_comma"]
    kws = [{"keywords": ["cat"]}, {"keywords": ["dog"]}, None]
    assert registry.check_many("a cat, indeed", zip(ids, kws)) == [True, False, False]
    assert registry.check_many("a cat, indeed\nx", zip(ids, kws), loose=True) == [True, False, True]
