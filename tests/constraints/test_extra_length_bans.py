"""Passing and failing responses for the length/ratio ids (extra_length); the bans' cases are examples in their
blocks (families/ifgen/bans.py, word_bans.py)."""

import pytest

from pipeline.constraints import registry

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
]


@pytest.mark.parametrize("cid,params,response", PASS)
def test_pass(cid, params, response):
    assert registry.check(cid, response, params)


@pytest.mark.parametrize("cid,params,response", FAIL)
def test_fail(cid, params, response):
    assert not registry.check(cid, response, params)
