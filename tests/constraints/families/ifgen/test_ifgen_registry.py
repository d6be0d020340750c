"""Registry-level properties of the ifgen-native ids: count, metadata, phrasings, inverses, soft ids."""

import random

import pytest

from pipeline import constraints as registry
from pipeline.constraints.core.contract import KNOWN_TAGS

IDS = [cid for cid, c in registry.all_constraints().items() if c.family == "ifgen"]
CTXS = (
    {"expected_length": 40},
    {"expected_length": 200, "topic_words": ["harbor", "lantern", "meadow"]},
    {"expected_length": 900},
)


def test_at_least_45_hard_ids_plus_soft():
    hard = [i for i in IDS if not registry.get(i).soft]
    soft = [i for i in IDS if registry.get(i).soft]
    assert len(hard) >= 45
    assert 2 <= len(soft) <= 4


@pytest.mark.parametrize("cid", IDS)
def test_metadata(cid):
    c = registry.get(cid)
    assert cid.startswith("ifgen:") and c.family == "ifgen" and c.split == "train"
    assert len(c.phrasings) >= 3 and len(set(c.phrasings)) == len(c.phrasings)
    assert c.tags <= KNOWN_TAGS, c.tags - KNOWN_TAGS
    assert c.category and c.description
    assert ("soft" in c.tags) == c.soft


@pytest.mark.parametrize("cid", IDS)
def test_every_phrasing_mentions_every_bound_value(cid):
    c = registry.get(cid)
    for seed in range(4):
        for ctx in CTXS:
            params = c.bind(random.Random(seed), ctx)
            assert set(params) == set(c.param_names)
            for i in range(len(c.phrasings)):
                text = c.render(params, index=i)
                for name, value in params.items():
                    items = value if isinstance(value, (list, tuple)) else [value]
                    for v in items:
                        assert str(v) in text, (cid, i, name, v, text)


@pytest.mark.parametrize("cid", [i for i in IDS if registry.get(i).inverse])
def test_inverse_maps_to_a_registered_id_with_its_params(cid):
    c = registry.get(cid)
    for seed in range(3):
        params = c.bind(random.Random(seed), {"expected_length": 250})
        inv_id, inv_params = c.inverse(params)
        inv = registry.get(inv_id)
        assert set(inv_params) == set(inv.param_names)


def test_bound_lengths_scale_with_expected_length():
    c = registry.get("ifgen:max_chars")
    short = [c.bind(random.Random(s), {"expected_length": 30})["max_chars"] for s in range(20)]
    long = [c.bind(random.Random(s), {"expected_length": 1000})["max_chars"] for s in range(20)]
    assert max(short) < min(long)


@pytest.mark.parametrize("cid", [i for i in IDS if registry.get(i).soft])
def test_soft_ids_refuse_to_check(cid):
    with pytest.raises(NotImplementedError, match="LLM"):
        registry.check(cid, "Some response text.", {})


# A few inverse pairs checked on real text: the failing response satisfies the inverse.
@pytest.mark.parametrize(
    "cid,params,response",
    [
        ("ifgen:max_chars", {"max_chars": 10}, "This is far longer than ten characters."),
        ("ifgen:min_chars", {"min_chars": 100}, "Too short."),
        ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"}, "Only **one** bold."),
        ("ifgen:question_count", {"num_questions": 1, "relation": "less than"}, "Is it? Yes."),
        ("ifgen:keyword_order", {"first_keyword": "river", "second_keyword": "bridge"}, "A bridge over a river."),
        ("ifgen:no_emoji", {}, "Great job \U0001f600"),
        (
            "ifgen:reading_grade_max",
            {"grade": 5},
            (
                "Institutional considerations notwithstanding, comprehensive "
                "interdisciplinary methodologies necessitate substantial deliberation."
            ),
        ),
        ("ifgen:quotes_count", {"num_quotes": 1, "relation": "at least"}, "No quotes here."),
        ("ifgen:emoji_count", {"num_emoji": 2, "relation": "at least"}, "One \U0001f600 only."),
    ],
)
def test_inverse_accepts_the_failing_response(cid, params, response):
    assert not registry.check(cid, response, params)
    inv_id, inv_params = registry.get(cid).inverse(params)
    assert registry.check(inv_id, response, inv_params)
