"""Every place where we knowingly differ from the IFEval reference, pinned down.

All of them are inputs the reference cannot score deterministically: it raises,
or draws a random value. On every well-formed input the differential tests
demand identical verdicts.
"""

from __future__ import annotations

import re
import string

import pytest

from pipeline.constraints import MissingParameterError, check
from tests.oracles import reference_check, registry


def _ref(cid, resp, kw, loose=False):
    return reference_check("ifeval", cid, resp, kw, loose)


def test_keyword_that_is_not_a_valid_regex_is_matched_literally() -> None:
    # reference: re.search("f(x", ...) raises re.error
    with pytest.raises(re.error):
        _ref("keywords:existence", "Let f(x = 2.", {"keywords": ["f(x"]})
    assert check("keywords:existence", "Let f(x = 2.", {"keywords": ["f(x"]})
    assert not check("keywords:existence", "Let fx = 2.", {"keywords": ["f(x"]})
    with pytest.raises(re.error):
        _ref("keywords:forbidden_words", "no parens", {"forbidden_words": ["a)"]})
    assert check("keywords:forbidden_words", "no parens", {"forbidden_words": ["a)"]})


def test_valid_regex_keywords_stay_regexes_like_the_reference() -> None:
    kw = {"keywords": ["colou?r"]}
    assert check("keywords:existence", "Nice color.", kw) == _ref("keywords:existence", "Nice color.", kw) is True


def test_keywords_given_as_one_string_mean_one_keyword() -> None:
    # reference: sorted("cat") -> checks the letters 'a', 'c', 't' separately
    assert _ref("keywords:existence", "act", {"keywords": "cat"})
    assert not check("keywords:existence", "act", {"keywords": "cat"})


def test_language_codes_outside_the_reference_list_are_checked_not_rejected() -> None:
    # reference: build_description formats LANGUAGE_CODES[code] -> KeyError for codes it does not list
    text = "我们明天去公园散步。今天天气很好，我们一起去吃饭吧。"
    with pytest.raises(KeyError):
        _ref("language:response_language", text, {"language": "zh-cn"})
    assert check("language:response_language", text, {"language": "zh-cn"})
    assert not check("language:response_language", text, {"language": "tr"})


@pytest.mark.parametrize(
    "letter, text, count",
    [("#", "#sun #sea #salt #sky", 4), ("!", "Wow! Yes! Go!", 3), ("1", "1, 2, 11", 3), ("é", "Été, café", 3)],
)
def test_a_non_letter_is_counted_literally_instead_of_a_random_letter(letter: str, text: str, count: int) -> None:
    # IFEval's own input_data.jsonl asks for at least 4 '#' (key 1122) and 6 '!' (key 1129). The reference
    # replaces any letter outside a-z with random.choice(ascii_letters), so its verdict is random; we count the
    # character the prompt names.
    ref = registry("ifeval")["keywords:letter_frequency"]("keywords:letter_frequency")
    ref.build_description(letter=letter, let_frequency=count, let_relation="at least")
    assert ref._letter in string.ascii_lowercase and ref._letter != letter
    for n, rel, expected in ((count, "at least", True), (count + 1, "at least", False), (count, "less than", False)):
        kw = {"letter": letter, "let_frequency": n, "let_relation": rel}
        assert check("keywords:letter_frequency", text, kw) is expected


@pytest.mark.parametrize("letter", ["ab", "", 7])
def test_a_letter_that_is_not_one_character_raises(letter) -> None:
    # the reference draws a random letter for these too; the scorer reports them as invalid kwargs
    with pytest.raises(ValueError):
        check("keywords:letter_frequency", "abc", {"letter": letter, "let_frequency": 1, "let_relation": "at least"})


@pytest.mark.parametrize("nth", [0, 4])
def test_out_of_range_nth_paragraph_raises_instead_of_random_index(nth: int) -> None:
    kw = {"num_paragraphs": 3, "nth_paragraph": nth, "first_word": "a"}
    with pytest.raises(ValueError):
        check("length_constraints:nth_paragraph_first_word", "a\n\nb\n\nc", kw)


def test_missing_kwargs_raise_instead_of_random_defaults() -> None:
    # reference: build_description() with no kwargs draws random thresholds
    with pytest.raises(MissingParameterError):
        check("length_constraints:number_words", "one two", {"relation": "at least"})


def test_numeric_strings_are_coerced() -> None:
    # reference: "3" < 0 raises TypeError while building
    with pytest.raises(TypeError):
        _ref("length_constraints:number_words", "one two three", {"num_words": "3", "relation": "at least"})
    assert check("length_constraints:number_words", "one two three", {"num_words": "3", "relation": "at least"})


def test_negative_thresholds_are_taken_literally() -> None:
    # reference: a negative threshold is replaced by a random one
    assert check("length_constraints:number_sentences", "One.", {"num_sentences": -1, "relation": "at least"})


def test_invalid_relation_raises_in_both() -> None:
    kw = {"num_words": 3, "relation": "at most"}
    with pytest.raises(ValueError):
        _ref("length_constraints:number_words", "a b", kw)
    with pytest.raises(ValueError):
        check("length_constraints:number_words", "a b", kw)
