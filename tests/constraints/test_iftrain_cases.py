"""Hand-written pass/fail cases for the 29 IFEvalG training constraints.

Each block restates, in our words, the upstream rule it pins; all rules come from
allenai/open-instruct `open_instruct/IFEvalG/instructions.py` (sentence splitting
from `open_instruct/IFEvalG/instructions_util.py`). Expected verdicts were worked
out by hand from those rules, not by running our code.
"""

from __future__ import annotations

import pytest

from pipeline.constraints import registry

PROMPT = "Write a haiku about autumn leaves."
PHRASE = "The early bird catches the worm"

CASES = [
    # copy:repeat_phrase (RepeatPhraseChecker): exactly small_n matches of "first ... last";
    # each the same length as the phrase, differing in at most one word, the last in exactly one.
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 2},
        "The early cat catches the worm. The early bird eats the worm.",
        True,
    ),
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 2},
        "The early cat catches the worm. The late cat catches the worm.",
        False,
    ),  # two changes
    (
        "copy:repeat_phrase",
        {"phrase": PHRASE, "small_n": 3},
        "The early cat catches the worm. The early bird eats the worm.",
        False,
    ),  # only two found
    ("copy:repeat_phrase", {"phrase": PHRASE, "small_n": 1}, "The early bird catches the worm.", False),  # no change
    # copy:copy (CopyChecker): stripped, lowercased response equals the stripped, lowercased prompt.
    ("copy:copy", {"prompt_to_repeat": PROMPT}, "  write a HAIKU about autumn leaves.\n", True),
    ("copy:copy", {"prompt_to_repeat": PROMPT}, "Write a haiku about autumn leaves. Leaves fall...", False),
    # new:copy_span_idx (CopySpanIdxChecker): response equals prompt[n_start:n_end] (end exclusive).
    ("new:copy_span_idx", {"prompt_to_repeat": PROMPT, "n_start": 8, "n_end": 13}, "haiku", True),
    ("new:copy_span_idx", {"prompt_to_repeat": PROMPT, "n_start": 8, "n_end": 13}, "haiku ", True),
    ("new:copy_span_idx", {"prompt_to_repeat": PROMPT, "n_start": 8, "n_end": 13}, "a haiku", False),
    # detectable_format:sentence_hyphens (SentenceHyphenChecker): the pieces between "-" equal the
    # sentences of the response read with "-" as a space, and carry no surrounding whitespace.
    ("detectable_format:sentence_hyphens", {}, "I woke up.-The sun was out.-We walked.", True),
    ("detectable_format:sentence_hyphens", {}, "I woke up. - The sun was out.", False),
    ("detectable_format:sentence_hyphens", {}, "A well-known fact.-Another one.", False),
    # keywords:no_adjacent_consecutive (AdjacentLetterChecker): neighbouring tokens must not start
    # with letters one apart in the alphabet (a->b), compared lowercased.
    ("keywords:no_adjacent_consecutive", {}, "Zebras eat grass quietly", True),
    ("keywords:no_adjacent_consecutive", {}, "A big dog", False),  # a then b
    ("keywords:no_adjacent_consecutive", {}, "big apple", True),  # b then a is allowed
    # detectable_format:square_brackets (SquareBracketChecker): every whitespace token is [..].
    ("detectable_format:square_brackets", {}, "[Hello] [world!]", True),
    ("detectable_format:square_brackets", {}, "[Hello] world", False),
    ("detectable_format:square_brackets", {}, "[Hello world]", False),
    # keywords:word_once (KeywordFrequencyOnceChecker): case-insensitive occurrences == 1.
    ("keywords:word_once", {"keyword": "river"}, "The River was calm.", True),
    ("keywords:word_once", {"keyword": "river"}, "A river and a river.", False),
    ("keywords:word_once", {"keyword": "river"}, "No water here.", False),
    # keywords:word_count_different_numbers (KeywordFrequencyCheckerDifferent): occurrences vs frequency.
    (
        "keywords:word_count_different_numbers",
        {"keyword": "tea", "frequency": 2, "relation": "at least"},
        "Tea, then more tea.",
        True,
    ),
    (
        "keywords:word_count_different_numbers",
        {"keyword": "tea", "frequency": 2, "relation": "less than"},
        "Tea, then more tea.",
        False,
    ),
    (
        "keywords:word_count_different_numbers",
        {"keyword": "tea", "frequency": 2, "relation": "less than"},
        "Just coffee.",
        True,
    ),
    # keywords:exclude_word_harder (ExcludeWordHarderChecker): fails on " keyword " (case-sensitive).
    ("keywords:exclude_word_harder", {"keyword": "cat"}, "I have a dog at home.", True),
    ("keywords:exclude_word_harder", {"keyword": "cat"}, "I have a cat at home.", False),
    # paragraphs:paragraphs (ParagraphBasicChecker): split on optional-space *** optional-space; empty
    # first/last pieces are dropped, an empty middle piece fails; exactly 2 remain.
    ("paragraphs:paragraphs", {}, "First part.\n***\nSecond part.", True),
    ("paragraphs:paragraphs", {}, "Only one part.", False),
    ("paragraphs:paragraphs", {}, "One.\n***\nTwo.\n***\nThree.", False),
    ("paragraphs:paragraphs", {}, "***\nOne.\n***\nTwo.\n***", True),
    # paragraphs:paragraphs2 (ParagraphBasicChecker2): same counting over "\n\n".
    ("paragraphs:paragraphs2", {}, "First paragraph.\n\nSecond paragraph.", True),
    ("paragraphs:paragraphs2", {}, "First.\nStill first.", False),
    ("paragraphs:paragraphs2", {}, "One.\n\n\n\nTwo.", False),  # empty piece in the middle
    # first_word:first_word_sent (FirstWordSentChecker): every sentence's first whitespace token
    # equals the word, ignoring case.
    ("first_word:first_word_sent", {"first_word": "today"}, "Today I rest. today we eat! TODAY we go?", True),
    ("first_word:first_word_sent", {"first_word": "today"}, "Today I rest. Tomorrow we eat.", False),
    # first_word:first_word_answer (FirstWordAnswerChecker): the response's first token, ignoring case.
    ("first_word:first_word_answer", {"first_word": "Sure"}, "sure thing. Anything else?", True),
    ("first_word:first_word_answer", {"first_word": "Sure"}, "Of course, sure.", False),
    # last_word:last_word_sent (LastWordSentChecker): every sentence's last token, stripped of
    # non-word characters, equals the word ignoring case.
    ("last_word:last_word_sent", {"last_word": "home"}, "I went home. She stayed HOME!", True),
    ("last_word:last_word_sent", {"last_word": "home"}, "I went home. She stayed out.", False),
    # last_word:last_word_answer (LastWordAnswerChecker): the response's last token, same cleaning.
    ("last_word:last_word_answer", {"last_word": "done"}, "We are finally done!!", True),
    ("last_word:last_word_answer", {"last_word": "done"}, "Done, we are.", False),
    # detectable_format:bigram_wrapping (BiGramWrappingChecker): tokens in pairs, <<first second>>.
    ("detectable_format:bigram_wrapping", {}, "<<I am>> <<at home>>", True),
    ("detectable_format:bigram_wrapping", {}, "<<I am at>> <<home>>", False),
    ("detectable_format:bigram_wrapping", {}, "I am at home", False),
    # copy:copying_simple (CopyingSimpleChecker): same rule as copy:copy.
    ("copy:copying_simple", {"prompt_to_repeat": PROMPT}, "Write a haiku about autumn leaves.", True),
    ("copy:copying_simple", {"prompt_to_repeat": PROMPT}, "Here: Write a haiku about autumn leaves.", False),
    # copy:copying_multiple (CopyingMultipleChecker): exactly N pieces around "******", each the prompt.
    (
        "copy:copying_multiple",
        {"prompt_to_repeat": PROMPT, "N": 2},
        "Write a haiku about autumn leaves.\n******\nwrite a haiku about autumn leaves.",
        True,
    ),
    (
        "copy:copying_multiple",
        {"prompt_to_repeat": PROMPT, "N": 3},
        "Write a haiku about autumn leaves.\n******\nWrite a haiku about autumn leaves.",
        False,
    ),
    (
        "copy:copying_multiple",
        {"prompt_to_repeat": PROMPT, "N": 2},
        "Write a haiku about autumn leaves.\n******\nLeaves drift down.",
        False,
    ),
    # punctuation:punctuation_dot (PunctuationDotChecker): no "." at all.
    ("punctuation:punctuation_dot", {}, "No dots here, none at all!", True),
    ("punctuation:punctuation_dot", {}, "Pi is 3.14", False),
    # punctuation:punctuation_exclamation (PunctuationExclamationChecker): no "!" at all.
    ("punctuation:punctuation_exclamation", {}, "Calm and quiet.", True),
    ("punctuation:punctuation_exclamation", {}, "Wow!", False),
    # count:lowercase_counting (LowercaseCountingChecker): words of only a-z number at most N.
    ("count:lowercase_counting", {"N": 2}, "THE SUN is UP and BRIGHT", True),  # "is", "and"
    ("count:lowercase_counting", {"N": 2}, "The sun is up", False),  # sun, is, up
    # letters:letter_counting (LetterCountingChecker): ASCII letters vs N.
    ("letters:letter_counting", {"N": 5, "relation": "at least"}, "Hello", True),
    ("letters:letter_counting", {"N": 5, "relation": "less than"}, "Hello", False),
    ("letters:letter_counting", {"N": 5, "relation": "less than"}, "Hi 123!", True),
    # letters:letter_counting2 (LetterFrequencyChecker): one letter in the lowercased response.
    ("letters:letter_counting2", {"letter": "e", "let_frequency": 3, "let_relation": "at least"}, "EeE", True),
    ("letters:letter_counting2", {"letter": "e", "let_frequency": 3, "let_relation": "less than"}, "EeE", False),
    ("letters:letter_counting2", {"letter": "z", "let_frequency": 1, "let_relation": "less than"}, "abc", True),
    # count:counting_composition (CountingCompositionChecker): 3 paragraphs split on ***, each of
    # n_sent sentences, each of n_words nltk word tokens (punctuation included).
    (
        "count:counting_composition",
        {"n_sent": 2, "n_words": 3},
        "Birds sing loudly. Dogs bark.\n***\nCats nap. Fish swim.\n***\nSun shines. Rain falls.",
        False,
    ),
    (
        "count:counting_composition",
        {"n_sent": 2, "n_words": 3},
        "Birds sing. Dogs bark.\n***\nCats nap. Fish swim.\n***\nSun shines. Rain falls.",
        True,
    ),
    (
        "count:counting_composition",
        {"n_sent": 2, "n_words": 3},
        "Birds sing. Dogs bark.\n***\nCats nap. Fish swim.",
        False,
    ),
    # count:count_unique (CountUniqueChecker): no nltk word token appears twice (case-sensitive).
    ("count:count_unique", {}, "Every word differs here", True),
    ("count:count_unique", {}, "The cat saw the dog", True),  # "The" and "the" differ
    ("count:count_unique", {}, "One. Two.", False),  # "." twice
    # count:count_increment_word (CountIncrementWordChecker): keyword1 once, keyword2 twice.
    ("count:count_increment_word", {"keyword1": "moon", "keyword2": "star"}, "The moon, a star, another star.", True),
    ("count:count_increment_word", {"keyword1": "moon", "keyword2": "star"}, "The moon and a star.", False),
    # keywords:palindrome (PalindromeBasicChecker): some whitespace token equals its reverse.
    ("keywords:palindrome", {}, "we saw a racecar", True),
    ("keywords:palindrome", {}, "Good morning everyone", False),
    ("keywords:palindrome", {}, "Racecar", False),  # case matters
    # keywords:keyword_specific_position (KeywordSpecificPositionChecker): the m-th nltk token of
    # the n-th sentence equals the keyword exactly.
    ("keywords:keyword_specific_position", {"keyword": "blue", "n": 2, "m": 3}, "Hi there. The sky blue today.", True),
    ("keywords:keyword_specific_position", {"keyword": "blue", "n": 2, "m": 3}, "Hi there. The blue sky.", False),
    ("keywords:keyword_specific_position", {"keyword": "blue", "n": 3, "m": 1}, "Blue. Blue.", False),
    # keywords:start_end (StartEndChecker): first and last nltk tokens equal, ignoring case.
    ("keywords:start_end", {}, "Hello there, and hello", True),
    ("keywords:start_end", {}, "Hello there, and hello.", False),  # last token is "."
    ("keywords:start_end", {}, "Hello", False),  # needs two tokens
]


@pytest.mark.parametrize("cid,params,response,expected", CASES)
def test_hand_written_case(cid, params, response, expected):
    assert registry.check(cid, response, params) is expected


def test_every_id_has_a_pass_and_a_fail_case():
    from pipeline.constraints.iftrain import IDS

    verdicts = {cid: set() for cid in IDS}
    for cid, _, _, expected in CASES:
        verdicts[cid].add(expected)
    assert {cid for cid, v in verdicts.items() if v != {True, False}} == set()
