"""Conflict table and parameter rules: labelled combinations, symmetry, known names, IFEval superset."""

import re
from pathlib import Path

import pytest

from pipeline.constraints import all_constraints
from pipeline.constraints.conflicts import (
    Conflict,
    conflicting_ids,
    find_conflicts,
    id_conflict_reason,
    is_compatible,
)
from pipeline.constraints.conflicts.groups import GROUPS


def extra_ids() -> list[str]:
    return [cid for cid, c in all_constraints().items() if c.family == "ifgen"]


REFERENCE_MD = Path("/work/shared/reference_ids.md")

LOWER = ("change_case:english_lowercase", {})
UPPER = ("change_case:english_capital", {})
NO_COMMA = ("punctuation:no_comma", {})
NO_DOT = ("punctuation:punctuation_dot", {})
NO_BANG = ("punctuation:punctuation_exclamation", {})
JSON = ("detectable_format:json_format", {})
QUOTE = ("startend:quotation", {})
TITLE = ("detectable_format:title", {})


def words(n, rel):
    return ("length_constraints:number_words", {"num_words": n, "relation": rel})


def sents(n, rel):
    return ("length_constraints:number_sentences", {"num_sentences": n, "relation": rel})


def caps(n, rel):
    return ("change_case:capital_word_frequency", {"capital_frequency": n, "capital_relation": rel})


def end(phrase):
    return ("startend:end_checker", {"end_phrase": phrase})


def ps(marker="P.S."):
    return ("detectable_content:postscript", {"postscript_marker": marker})


def lang(code):
    return ("language:response_language", {"language": code})


def exists(*kws):
    return ("keywords:existence", {"keywords": list(kws)})


def forbid(*kws):
    return ("keywords:forbidden_words", {"forbidden_words": list(kws)})


def freq(k, n, rel):
    return ("keywords:frequency", {"keyword": k, "frequency": n, "relation": rel})


def letters(ch, n, rel):
    return ("keywords:letter_frequency", {"letter": ch, "let_frequency": n, "let_relation": rel})


def paras(n):
    return ("length_constraints:number_paragraphs", {"num_paragraphs": n})


def chars_max(n):
    return ("ifgen:max_chars", {"max_chars": n})


def chars_min(n):
    return ("ifgen:min_chars", {"min_chars": n})


def start(phrase):
    return ("ifgen:start_phrase", {"start_phrase": phrase})


def first_word(w):
    return ("first_word:first_word_answer", {"first_word": w})


def last_word(w):
    return ("last_word:last_word_answer", {"last_word": w})


# (items, conflicting?) — each label decided by reading the two instructions and their checkers.
CASES = [
    # case
    ([LOWER, caps(1, "at least")], True),
    ([LOWER, caps(3, "less than")], True),  # id-level, as in IFEval
    ([LOWER, UPPER], True),
    ([LOWER, ("ifgen:acronym_definitions", {})], True),
    ([LOWER, ("ifgen:start_phrase", {"start_phrase": "In short:"})], True),
    ([UPPER, ("ifgen:start_phrase", {"start_phrase": "In short:"})], True),
    ([LOWER, ("detectable_format:multiple_sections", {"section_spliter": "Section", "num_sections": 3})], True),
    ([UPPER, ("detectable_format:multiple_sections", {"section_spliter": "SECTION", "num_sections": 3})], False),
    ([LOWER, end("Any other questions?")], False),  # the end checker compares lowercased text
    ([LOWER, exists("River")], False),
    ([LOWER, ("ifgen:valid_yaml", {})], False),
    # keywords required and forbidden
    ([exists("river", "bridge"), forbid("bridge")], True),
    ([exists("river"), forbid("bridge")], False),
    ([freq("river", 2, "at least"), forbid("river")], True),
    ([freq("river", 1, "less than"), exists("river")], True),
    ([freq("river", 3, "less than"), exists("river")], False),
    ([("keywords:word_once", {"keyword": "harbor"}), ("keywords:exclude_word_harder", {"keyword": "harbor"})], True),
    ([("keywords:word_once", {"keyword": "harbor"}), freq("harbor", 2, "at least")], True),
    ([("ifgen:keyword_order", {"first_keyword": "we", "second_keyword": "plan"}), ("ifgen:no_first_person", {})], True),
    ([("ifgen:keyword_in_first_sentence", {"keyword": "your"}), ("ifgen:no_second_person", {})], True),
    ([("ifgen:keyword_order", {"first_keyword": "river", "second_keyword": "plan"}), forbid("meadow")], False),
    ([("count:count_unique", {}), freq("river", 2, "at least")], True),
    ([("words:repeats", {"small_n": 2}), freq("river", 3, "at least")], True),
    # word / char / sentence / paragraph bounds
    ([words(100, "less than"), words(150, "at least")], True),
    ([words(300, "less than"), words(150, "at least")], True),  # id-level: the same instruction twice
    ([words(200, "at least"), ("count:word_count_range", {"min_words": 50, "max_words": 100})], True),
    ([words(300, "at least"), chars_max(500)], True),
    ([words(100, "at least"), chars_max(1200)], False),
    ([chars_min(600), chars_max(500)], True),
    ([chars_min(400), chars_max(500)], False),
    ([chars_min(3000), words(50, "less than")], True),
    ([chars_min(300), words(100, "less than")], False),
    ([paras(4), sents(3, "less than")], True),  # also id-level in IFEval
    ([("paragraphs:paragraphs2", {}), sents(2, "less than")], True),
    ([("paragraphs:paragraphs2", {}), sents(4, "at least")], False),
    ([paras(5), words(4, "less than")], True),
    ([paras(3), words(200, "at least")], False),
    ([sents(10, "at least"), words(8, "less than")], True),
    ([sents(10, "at least"), chars_max(15)], True),
    ([("ifgen:question_count", {"num_questions": 3, "relation": "at least"}), sents(2, "less than")], True),
    ([("ifgen:hashtags_count", {"num_hashtags": 5}), words(4, "less than")], True),
    ([("ifgen:exact_lines", {"num_lines": 3}), ("ifgen:numbered_steps", {"num_steps": 5})], True),
    ([("ifgen:exact_lines", {"num_lines": 6}), ("ifgen:numbered_steps", {"num_steps": 5})], False),
    ([("ifgen:exact_lines", {"num_lines": 4}), ("ifgen:markdown_table", {"num_rows": 3, "num_columns": 2})], True),
    ([("ifgen:exact_lines", {"num_lines": 2}), paras(3)], True),
    ([("ifgen:sentences_per_paragraph", {"num_sentences": 3}), sents(2, "less than")], True),
    ([("ifgen:balanced_paragraphs", {"max_ratio": 2.0}), ("paragraphs:paragraphs2", {})], False),
    (
        [
            ("ifgen:balanced_paragraphs", {"max_ratio": 2.0}),
            (
                "length_constraints:nth_paragraph_first_word",
                {"num_paragraphs": 1, "nth_paragraph": 1, "first_word": "so"},
            ),
        ],
        True,
    ),
    # letters within limits
    ([letters("z", 40, "at least"), words(10, "less than")], True),
    ([letters("e", 10, "at least"), words(100, "less than")], False),
    ([letters("a", 30, "at least"), chars_max(20)], True),
    ([letters("a", 5, "at least"), letters("a", 3, "less than")], True),
    ([("letters:letter_counting", {"N": 500, "relation": "at least"}), chars_max(300)], True),
    # grade bounds
    ([("ifgen:reading_grade_max", {"grade": 6}), ("ifgen:reading_grade_min", {"grade": 10})], True),
    ([("ifgen:reading_grade_max", {"grade": 12}), ("ifgen:reading_grade_min", {"grade": 10})], False),
    # JSON and wrappers
    ([JSON, TITLE], True),
    ([JSON, ps()], True),
    ([JSON, end("Any other questions?")], True),
    ([JSON, QUOTE], True),
    ([JSON, forbid("river")], False),
    ([JSON, exists("river")], False),
    ([("ifgen:json_keys", {"keys": ["title", "tags"]}), TITLE], True),
    ([("ifgen:json_keys", {"keys": ["title", "tags"]}), NO_COMMA], True),
    ([("ifgen:json_keys", {"keys": ["title"]}), NO_COMMA], False),
    ([("ifgen:json_keys", {"keys": ["title"]}), JSON], False),
    ([("ifgen:valid_yaml", {}), JSON], False),
    ([("ifgen:valid_yaml", {}), ("ifgen:csv_columns", {"num_columns": 3})], True),
    ([("ifgen:csv_columns", {"num_columns": 3}), NO_COMMA], True),
    ([("ifgen:csv_columns", {"num_columns": 3}), LOWER], False),
    ([("ifgen:csv_columns", {"num_columns": 3}), end("Thank you for reading.")], True),
    # starts and ends
    ([end("Any other questions?"), ps()], True),
    ([end("Any other questions?"), QUOTE], True),
    ([end("Any other questions?"), ("ifgen:end_with_question", {})], False),
    ([end("Thank you for reading."), ("ifgen:end_with_question", {})], True),
    ([end("Hope this helps!"), NO_BANG], True),
    ([end("Let me know if you have additional questions."), NO_DOT], True),
    ([end("Any other questions?"), NO_DOT], False),
    ([ps("P.S."), NO_DOT], True),
    ([ps("P.P.S"), NO_DOT], True),
    ([ps("P.S."), NO_COMMA], False),
    ([QUOTE, TITLE], True),
    ([QUOTE, start("In short:")], True),
    ([QUOTE, first_word("hello")], True),
    ([QUOTE, ("ifgen:end_with_question", {})], True),
    ([QUOTE, NO_COMMA], False),
    ([start("In short:"), first_word("in")], True),  # id-level: two start rules
    ([start("To begin,"), NO_COMMA], True),
    ([start("Short answer:"), NO_COMMA], False),
    ([first_word("hello"), ("first_word:first_word_answer", {"first_word": "goodbye"})], True),
    ([last_word("river"), end("Any other questions?")], True),
    ([last_word("help"), end("I hope this helps")], True),
    ([("keywords:start_end", {}), ("ifgen:end_with_question", {})], True),
    ([("ifgen:sentences_end_with_period", {}), ("ifgen:end_with_question", {})], True),
    ([("ifgen:sentences_end_with_period", {}), end("Any other questions?")], True),
    (
        [
            ("ifgen:sentences_end_with_period", {}),
            ("ifgen:question_count", {"num_questions": 1, "relation": "at least"}),
        ],
        True,
    ),
    ([("ifgen:sentences_end_with_period", {}), NO_COMMA], False),
    ([("ifgen:tldr_summary", {"max_words": 10}), ps()], True),
    ([("ifgen:email_format", {"sign_off": "Best regards"}), ("ifgen:end_with_question", {})], True),
    ([("ifgen:email_format", {"sign_off": "Best regards"}), ("ifgen:formal_tone", {})], False),
    ([("ifgen:wrap_in_tags", {"tag_name": "answer"}), end("Any other questions?")], True),
    # digits, emoji and other characters
    ([("ifgen:no_digits", {}), ("ifgen:numbered_steps", {"num_steps": 4})], True),
    ([("ifgen:no_digits", {}), ("ifgen:iso_dates", {"num_dates": 1})], True),
    ([("ifgen:no_digits", {}), ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"})], False),
    ([("ifgen:no_emoji", {}), ("format:emoji", {})], True),
    ([("ifgen:emoji_count", {"num_emoji": 3, "relation": "at least"}), chars_max(2)], True),
    ([("ifgen:no_code_blocks", {}), ("ifgen:code_block_language", {"code_language": "python"})], True),
    ([("detectable_format:square_brackets", {}), ("ifgen:markdown_table", {"num_rows": 2, "num_columns": 2})], True),
    (
        [
            ("ifgen:markdown_table", {"num_rows": 3, "num_columns": 2}),
            ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"}),
        ],
        False,
    ),
    # languages
    ([lang("fr"), exists("river")], True),
    ([lang("fr"), ("ifgen:reading_grade_max", {"grade": 6})], True),
    ([lang("en"), ("ifgen:no_contractions", {})], True),  # id-level: English-only ids are kept apart
    ([lang("de"), ("ifgen:no_emoji", {})], False),
    ([lang("de"), ("ifgen:max_sentence_words", {"max_words": 15})], False),
    ([lang("de"), lang("fr")], True),
    # whole-answer ids and repeats
    ([("detectable_format:constrained_response", {}), exists("river")], True),
    ([("copy:copy", {"prompt_to_repeat": "Say hi."}), NO_COMMA], True),
    ([("combination:repeat_prompt", {"prompt_to_repeat": "Write a poem, please."}), NO_COMMA], True),
    ([("combination:repeat_prompt", {"prompt_to_repeat": "Write a poem please."}), NO_COMMA], False),
    ([("combination:two_responses", {}), forbid("river")], False),
    ([("combination:two_responses", {}), words(100, "at least")], True),
    (
        [
            ("ifgen:code_block_language", {"code_language": "python"}),
            ("ifgen:code_block_language", {"code_language": "rust"}),
        ],
        True,
    ),
    # plainly compatible pairs
    ([("ifgen:formal_tone", {}), ("ifgen:no_contractions", {})], False),
    ([("ifgen:numbered_steps", {"num_steps": 4}), ("ifgen:max_sentence_words", {"max_words": 15})], False),
    (
        [("ifgen:headings_count", {"num_headings": 3}), ("ifgen:bold_count", {"num_bold": 2, "relation": "at least"})],
        False,
    ),
    ([NO_COMMA, NO_DOT], False),
    ([("ifgen:no_urls", {}), ("ifgen:citation_markers", {"num_citations": 3})], False),
    ([words(200, "at least"), ("ifgen:max_paragraph_words", {"max_words": 80})], False),
    ([("ifgen:keyword_in_last_sentence", {"keyword": "garden"}), end("Thank you for reading.")], False),
]


def _label(items):
    return " + ".join(f"{i}{p or ''}" for i, p in items)[:150]


@pytest.mark.parametrize("items,expected", CASES, ids=[_label(c[0]) for c in CASES])
def test_labelled_combination(items, expected):
    found = find_conflicts(items)
    assert bool(found) == expected, found
    assert is_compatible(items) == (not expected)
    for c in found:
        assert isinstance(c, Conflict) and c.kind in ("id", "param") and c.reason
        assert c.ids == (items[0][0], items[1][0])


def test_enough_labelled_cases_of_both_kinds():
    assert len(CASES) >= 70
    assert sum(1 for _, e in CASES if e) >= 30 and sum(1 for _, e in CASES if not e) >= 25


def test_param_rules_fire_where_ids_alone_allow_the_pair():
    found = find_conflicts([end("Hope this helps!"), NO_BANG])
    assert [c.kind for c in found] == ["param"]
    assert "'!'" in found[0].reason


def _reference_names() -> set[str]:
    return set(re.findall(r"^\| `([^`]+)` \|", REFERENCE_MD.read_text(), flags=re.MULTILINE))


def _declared_ids() -> set[str]:
    """Every id a block names in its conflicts (pairs and exclusive allow-lists)."""
    ids: set[str] = set()
    for c in all_constraints().values():
        ids |= set(c.conflicts.ids) | set(c.conflicts.only_with or ())
    return ids


@pytest.mark.skipif(not REFERENCE_MD.exists(), reason="shared reference list not present")
def test_registry_holds_exactly_the_reference_ids_besides_ours():
    names = _reference_names()
    assert len(names) == 112
    assert {cid for cid, c in all_constraints().items() if c.family != "ifgen"} == names


def test_declared_conflicts_name_registered_ids_and_known_groups():
    assert not _declared_ids() - set(all_constraints())
    for c in all_constraints().values():
        assert set(c.groups) <= set(GROUPS), c.id
        assert set(c.conflicts.groups) <= set(GROUPS), c.id
        assert set(c.conflicts.only_groups) <= set(GROUPS), c.id
    for g in GROUPS.values():
        assert set(g.against) <= set(GROUPS)


def test_a_pair_is_declared_once():
    seen: dict[frozenset, str] = {}
    for cid, c in all_constraints().items():
        for other in c.conflicts.ids:
            key = frozenset((cid, other))
            assert key not in seen, f"{sorted(key)} declared by {seen[key]} and {cid}"
            seen[key] = cid


def test_table_is_symmetric_and_reflexive():
    ids = sorted(all_constraints())
    for a in ids:
        assert a in conflicting_ids(a)
        for b in conflicting_ids(a):
            assert a in conflicting_ids(b), (a, b)
            assert id_conflict_reason(a, b) and id_conflict_reason(b, a)


def test_superset_of_ifeval_conflicts():
    from if_verifiable.ifeval.instructions_registry import INSTRUCTION_CONFLICTS  # test oracle only

    for a, others in INSTRUCTION_CONFLICTS.items():
        for b in others:
            assert id_conflict_reason(a, b), (a, b)
            assert id_conflict_reason(b, a), (b, a)


IFEVALG_FACTS = [  # pairs from open-instruct IFEvalG's INSTRUCTION_CONFLICTS
    ("paragraphs:paragraphs", "paragraphs:paragraphs2"),
    ("first_word:first_word_sent", "first_word:first_word_answer"),
    ("count:counting_composition", "count:count_unique"),
    ("count:counting_composition", "count:count_increment_word"),
    ("count:counting_composition", "paragraphs:paragraphs"),
    ("count:counting_composition", "keywords:letter_frequency"),
    ("count:counting_composition", "keywords:frequency"),
    ("copy:copy", "keywords:existence"),
    ("new:copy_span_idx", "punctuation:no_comma"),
    ("copy:copying_simple", "detectable_format:title"),
    ("copy:copying_multiple", "keywords:palindrome"),
]


@pytest.mark.parametrize("a,b", IFEVALG_FACTS)
def test_superset_of_ifevalg_conflicts(a, b):
    assert id_conflict_reason(a, b) and id_conflict_reason(b, a)


def test_conflicting_ids_for_exclusive_and_plain_ids():
    everything = conflicting_ids("detectable_format:constrained_response")
    assert set(extra_ids()) <= everything and "keywords:existence" in everything
    assert conflicting_ids("ifgen:no_urls") == {
        "ifgen:no_urls",
        "detectable_format:constrained_response",
        "copy:copy",
        "new:copy_span_idx",
        "copy:copying_simple",
        "copy:copying_multiple",
        "format:options",
        "repeat:repeat_simple",
        "repeat:repeat_change",
        "repeat:repeat_span",
        "combination:repeat_prompt",
    }


def test_bad_params_raise_a_clear_error():
    with pytest.raises(ValueError, match="number_words.*num_words"):
        find_conflicts([("length_constraints:number_words", {"relation": "at least"}), NO_COMMA])
    with pytest.raises(ValueError, match="max_chars"):
        find_conflicts([("ifgen:max_chars", {"max_chars": "lots"}), NO_COMMA])


def test_unknown_ids_have_only_self_conflicts():
    assert find_conflicts([("vendor:custom", {}), NO_COMMA]) == []
    assert find_conflicts([("vendor:custom", {}), ("vendor:custom", {})])[0].kind == "id"
