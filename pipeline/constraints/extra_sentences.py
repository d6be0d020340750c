"""ifgen-native sentence, readability and ordering constraints.

Sentence length caps, Flesch-Kincaid grade bounds (syllables from `syllapy`),
sentence endings, questions, varied openings, sentences per paragraph and
keyword placement/order. Sentences come from `extra_common.sentences`: punkt per
line, headings and code fences skipped.
"""

from __future__ import annotations

import re
from itertools import pairwise

import syllapy

from . import samplers as S
from .base import Constraint, Param
from .extra_common import compare, first_word_index, has_word, paragraphs, relation_inverse, sentences, words
from .registry import register
from .text import split_sentences


def check_max_sentence_words(response: str, max_words: int) -> bool:
    ss = sentences(response)
    return bool(ss) and all(len(words(s)) <= max_words for s in ss)


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade level; None when the text has no words."""
    ws = re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)?", text)
    n_sent = max(1, len(sentences(text)))
    if not ws:
        return None
    syl = sum(max(1, syllapy.count(w)) for w in ws)
    return 0.39 * len(ws) / n_sent + 11.8 * syl / len(ws) - 15.59


def check_reading_grade_max(response: str, grade: float) -> bool:
    g = fk_grade(response)
    return g is not None and g <= grade


def check_reading_grade_min(response: str, grade: float) -> bool:
    g = fk_grade(response)
    return g is not None and g >= grade


_CLOSERS = "\"'”’)]*_ "


def check_sentences_end_with_period(response: str) -> bool:
    ss = sentences(response)
    return bool(ss) and all(s.rstrip(_CLOSERS).endswith(".") and not s.rstrip(_CLOSERS).endswith("..") for s in ss)


def check_question_count(response: str, num_questions: int, relation: str) -> bool:
    return compare(len(re.findall(r"\?+", response)), relation, num_questions)


def check_end_with_question(response: str) -> bool:
    return response.rstrip().rstrip("*").rstrip().endswith("?")


def _first_word(sentence: str) -> str:
    ws = words(sentence)
    return ws[0].lower() if ws else ""


def check_varied_sentence_starts(response: str) -> bool:
    firsts = [_first_word(s) for s in sentences(response)]
    return len(firsts) >= 2 and all(a != b for a, b in pairwise(firsts))


def check_sentences_per_paragraph(response: str, num_sentences: int) -> bool:
    ps = paragraphs(response)
    return bool(ps) and all(len(sentences(p)) == num_sentences for p in ps)


def check_keyword_order(response: str, first_keyword: str, second_keyword: str) -> bool:
    a, b = first_word_index(response, first_keyword), first_word_index(response, second_keyword)
    return a >= 0 and b >= 0 and a < b


def check_keyword_in_first_sentence(response: str, keyword: str) -> bool:
    ss = split_sentences(response.strip())
    return bool(ss) and has_word(ss[0], keyword)


def check_keyword_in_last_sentence(response: str, keyword: str) -> bool:
    ss = split_sentences(response.strip())
    return bool(ss) and has_word(ss[-1], keyword)


def _grade_inverse(other: str):
    def inverse(p: dict) -> tuple[str, dict]:
        return other, {"grade": p["grade"]}

    return inverse


def _swap_keywords(p: dict) -> tuple[str, dict]:
    return "ifgen:keyword_order", {"first_keyword": p["second_keyword"], "second_keyword": p["first_keyword"]}


_T = frozenset
register(
    Constraint(
        "ifgen:max_sentence_words",
        "sentence",
        "Every sentence has at most n words.",
        (Param("max_words", "int", 8, 30, sample=S.int_range(12, 25)),),
        (
            "Keep every sentence to at most {max_words} words.",
            "No sentence in your answer may be longer than {max_words} words.",
            "Write short sentences: {max_words} words per sentence at most.",
        ),
        check_max_sentence_words,
        tags=_T({"prose"}),
    ),
    Constraint(
        "ifgen:reading_grade_max",
        "readability",
        "Flesch-Kincaid grade level at most g.",
        (Param("grade", "int", 4, 10, sample=S.choice((5, 6, 7, 8, 9))),),
        (
            "Write at a reading level of grade {grade} or below (Flesch-Kincaid).",
            "Keep the text simple enough that its Flesch-Kincaid grade level is at most {grade}.",
            "Aim for plain language: the Flesch-Kincaid grade of your answer must not exceed {grade}.",
        ),
        check_reading_grade_max,
        tags=_T({"english", "prose"}),
        inverse=_grade_inverse("ifgen:reading_grade_min"),
    ),
    Constraint(
        "ifgen:reading_grade_min",
        "readability",
        "Flesch-Kincaid grade level at least g.",
        (Param("grade", "int", 8, 16, sample=S.choice((10, 11, 12, 13, 14))),),
        (
            "Write for an advanced audience: a Flesch-Kincaid grade level of at least {grade}.",
            "Use sophisticated prose whose Flesch-Kincaid grade is {grade} or higher.",
            "The reading level (Flesch-Kincaid grade) of your response must be at least {grade}.",
        ),
        check_reading_grade_min,
        tags=_T({"english", "prose"}),
        inverse=_grade_inverse("ifgen:reading_grade_max"),
    ),
    Constraint(
        "ifgen:sentences_end_with_period",
        "punctuation",
        "Every sentence ends with a period.",
        (),
        (
            "End every sentence with a period; no question marks or exclamation marks at sentence ends.",
            "Make sure each of your sentences finishes with a full stop.",
            "All sentences must end with a period (.) and nothing else.",
        ),
        check_sentences_end_with_period,
        tags=_T({"prose"}),
    ),
    Constraint(
        "ifgen:question_count",
        "punctuation",
        "Number of questions (question marks) compared with n.",
        (
            Param("num_questions", "int", 1, 6, sample=S.int_range(1, 4)),
            Param("relation", "choice", choices=S.RELATIONS),
        ),
        (
            "Ask {relation} {num_questions} questions in your response.",
            "The response must contain {relation} {num_questions} question marks.",
            "Include {relation} {num_questions} questions (sentences ending in ?).",
        ),
        check_question_count,
        inverse=relation_inverse("ifgen:question_count"),
    ),
    Constraint(
        "ifgen:end_with_question",
        "startend",
        "The response ends with a question mark.",
        (),
        (
            "Finish your response with a question.",
            "The final sentence of your answer must be a question ending in '?'.",
            "Close by asking the reader a question; the last character must be a question mark.",
        ),
        check_end_with_question,
    ),
    Constraint(
        "ifgen:varied_sentence_starts",
        "sentence",
        "No two consecutive sentences start with the same word.",
        (),
        (
            "Vary your sentence openings: no two consecutive sentences may begin with the same word.",
            "Do not start two sentences in a row with the same word.",
            "Each sentence must open with a different word from the sentence before it.",
        ),
        check_varied_sentence_starts,
        tags=_T({"prose"}),
    ),
    Constraint(
        "ifgen:sentences_per_paragraph",
        "sentence",
        "Every paragraph has exactly n sentences.",
        (Param("num_sentences", "int", 2, 5, sample=S.int_range(2, 4)),),
        (
            "Write every paragraph with exactly {num_sentences} sentences.",
            "Each paragraph must contain {num_sentences} sentences, no more and no fewer.",
            "Keep all paragraphs to precisely {num_sentences} sentences each.",
        ),
        check_sentences_per_paragraph,
        tags=_T({"prose"}),
    ),
    Constraint(
        "ifgen:keyword_order",
        "keywords",
        "Keyword A first appears before keyword B.",
        (Param("first_keyword", "keyword", sample=S.keyword), Param("second_keyword", "keyword", sample=S.keyword)),
        (
            "Use the words '{first_keyword}' and '{second_keyword}', and mention '{first_keyword}' first.",
            "Include '{first_keyword}' and '{second_keyword}'; the first '{first_keyword}' must come before the first '{second_keyword}'.",
            "Mention {first_keyword} before you mention {second_keyword} (both must appear).",
        ),
        check_keyword_order,
        inverse=_swap_keywords,
    ),
    Constraint(
        "ifgen:keyword_in_first_sentence",
        "keywords",
        "The keyword appears in the first sentence.",
        (Param("keyword", "keyword", sample=S.keyword),),
        (
            "Use the word '{keyword}' in your very first sentence.",
            "Your opening sentence must contain the word {keyword}.",
            "Mention '{keyword}' within the first sentence of the response.",
        ),
        check_keyword_in_first_sentence,
    ),
    Constraint(
        "ifgen:keyword_in_last_sentence",
        "keywords",
        "The keyword appears in the last sentence.",
        (Param("keyword", "keyword", sample=S.keyword),),
        (
            "Use the word '{keyword}' in your final sentence.",
            "The closing sentence of your answer must contain the word {keyword}.",
            "Make sure '{keyword}' appears in the last sentence you write.",
        ),
        check_keyword_in_last_sentence,
    ),
)
