"""Passing and failing responses for the length/ratio ids (extra_length) and the bans (extra_bans)."""

import pytest

from pipeline.constraints import registry

SMILE, ROCKET = "\U0001f600", "\U0001f680"

PASS = [
    ("ifgen:max_chars", {"max_chars": 12}, "  Hello world.  "),
    ("ifgen:min_chars", {"min_chars": 12}, "Hello world!"),
    ("ifgen:word_length_max", {"max_letters": 6}, "Short words only, 1234567890 is a number."),
    ("ifgen:balanced_paragraphs", {"max_ratio": 2.0}, "one two three four\n\nfive six\n\n---\n\nseven eight nine"),
    ("ifgen:max_paragraph_words", {"max_words": 4}, "one two three four\n\nfive six"),
    ("ifgen:lexical_diversity", {"min_ratio": 0.8}, "Every word here differs from the rest."),
    ("ifgen:line_max_chars", {"max_line_chars": 10}, "short line\ntiny\n"),
    ("ifgen:quotes_count", {"num_quotes": 2, "relation": "at least"}, 'He said "yes" and “no”.'),
    ("ifgen:quotes_count", {"num_quotes": 1, "relation": "less than"}, "No quotations."),
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
    ("ifgen:max_chars", {"max_chars": 10}, "Hello world."),
    ("ifgen:min_chars", {"min_chars": 13}, "Hello world!"),
    ("ifgen:word_length_max", {"max_letters": 6}, "Extraordinary."),
    ("ifgen:balanced_paragraphs", {"max_ratio": 2.0}, "one two three four five\n\nsix six"),
    ("ifgen:balanced_paragraphs", {"max_ratio": 2.0}, "a single paragraph"),
    ("ifgen:max_paragraph_words", {"max_words": 3}, "one two three four\n\nfive"),
    ("ifgen:lexical_diversity", {"min_ratio": 0.8}, "the the the the cat"),
    ("ifgen:line_max_chars", {"max_line_chars": 10}, "this line is too long"),
    ("ifgen:quotes_count", {"num_quotes": 2, "relation": "at least"}, 'Only "one" quote.'),
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
