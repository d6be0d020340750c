"""Passing and failing responses for the length/ratio ids (extra_length) and the bans (extra_bans)."""

import pytest

from pipeline.constraints import registry

SMILE, ROCKET = "\U0001f600", "\U0001f680"

PASS = [
    ("ifgen:no_emoji", {}, "Plain text :) only."),
    ("ifgen:emoji_count", {"num_emoji": 2, "relation": "at least"}, f"Launch {ROCKET} day {SMILE}"),
    ("ifgen:emoji_count", {"num_emoji": 2, "relation": "less than"}, f"Just one {ROCKET}"),
    ("ifgen:no_digits", {}, "Twenty-two apples and seven pears."),
    ("ifgen:no_urls", {}, "See the documentation for details. Version two. e.g. this."),
    ("ifgen:no_first_person", {}, "The US economy grew, i.e. it is known."),
    ("ifgen:no_second_person", {}, "The reader may disagree."),
    ("ifgen:no_contractions", {}, "It is not done. John's book is here."),
]

FAIL = [
    ("ifgen:no_emoji", {}, f"Nice {SMILE}"),
    ("ifgen:emoji_count", {"num_emoji": 2, "relation": "at least"}, f"Just one {ROCKET}"),
    ("ifgen:no_digits", {}, "We have 3 apples."),
    ("ifgen:no_digits", {}, "Arabic-Indic digit \u0663."),
    ("ifgen:no_urls", {}, "Visit https://example.org now."),
    ("ifgen:no_urls", {}, "Go to www.example"),
    ("ifgen:no_urls", {}, "It is on example.com/page."),
    ("ifgen:no_first_person", {}, "I think so."),
    ("ifgen:no_first_person", {}, "This is our plan."),
    ("ifgen:no_first_person", {}, "i'm sure."),
    ("ifgen:no_second_person", {}, "Thank YOU."),
    ("ifgen:no_contractions", {}, "It's done."),
    ("ifgen:no_contractions", {}, "We don’t know."),
    ("ifgen:no_contractions", {}, "They'll come."),
]


@pytest.mark.parametrize("cid,params,response", PASS)
def test_pass(cid, params, response):
    assert registry.check(cid, response, params)


@pytest.mark.parametrize("cid,params,response", FAIL)
def test_fail(cid, params, response):
    assert not registry.check(cid, response, params)
