"""ifgen sentence shapes: length caps, endings, questions, varied openings, sentences per paragraph.

Sentences are `_common.sentences`: punkt per line, with headings, code fences, rules and list/quote markers
skipped, so markdown structure does not count as prose.
"""

from __future__ import annotations

import re
from itertools import pairwise

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from . import define
from ._common import paragraphs, sentences, words


def max_sentence_words(response: str, max_words: int) -> bool:
    ss = sentences(response)
    return bool(ss) and all(len(words(s)) <= max_words for s in ss)


define(
    "ifgen:max_sentence_words",
    category="sentence",
    description="Every sentence has at most n words.",
    params=[Param("max_words", "int", 8, 30, sample=S.int_range(12, 25))],
    phrasings=[
        "Keep every sentence to at most {max_words} words.",
        "No sentence in your answer may be longer than {max_words} words.",
        "Write short sentences: {max_words} words per sentence at most.",
    ],
    check=max_sentence_words,
    tags=("prose",),
    conflicts=Conflicts(
        ids={
            "count:counting_composition": "the composition fixes words per sentence",
            "sentence:increment": "capped sentences vs ever longer ones",
        }
    ),
    facts=None,
    examples=[
        passes(
            "# A long heading with many many words here\nShort one. Also short.",
            "a heading is not a sentence",
            max_words=6,
        ),
        fails("This sentence clearly has more than six words in it.", max_words=6),
        fails("# Only a heading", "a response without any prose sentence fails", max_words=6),
    ],
)


_CLOSERS = "\"'”’)]*_ "


def sentences_end_with_period(response: str) -> bool:
    ss = sentences(response)
    return bool(ss) and all(s.rstrip(_CLOSERS).endswith(".") and not s.rstrip(_CLOSERS).endswith("..") for s in ss)


def period_sentences_facts(p: dict) -> F.Facts:
    return F.Facts().need("char:.", 1).need("char:?", 0, 0).need("char:!", 0, 0).need("questions", 0, 0)


define(
    "ifgen:sentences_end_with_period",
    category="punctuation",
    description="Every sentence ends with a period.",
    phrasings=[
        "End every sentence with a period; no question marks or exclamation marks at sentence ends.",
        "Make sure each of your sentences finishes with a full stop.",
        "All sentences must end with a period (.) and nothing else.",
    ],
    check=sentences_end_with_period,
    tags=("prose",),
    conflicts=Conflicts(
        ids={
            "punctuation:punctuation_dot": "no dots vs every sentence ends with one",
            "ifgen:end_with_question": "the last sentence cannot end with both",
            "punctuation:punctuation_exclamation": "redundant sentence-end rules",
        }
    ),
    facts=period_sentences_facts,
    examples=[
        passes(
            '# Title\nFirst sentence. Second one (with a note).\nThird "quoted."',
            "headings are skipped; closing brackets and quotes may follow the period",
        ),
        fails("First sentence. Is this one?"),
        fails("First sentence. Then a list item without a period", "the last sentence needs its period too"),
        fails("Trailing off...", "an ellipsis is not a period"),
    ],
)


def question_count(response: str, num_questions: int, relation: str) -> bool:
    return holds(len(re.findall(r"\?+", response)), relation, num_questions)


define(
    "ifgen:question_count",
    category="punctuation",
    description="Number of questions (question marks) compared with n.",
    params=[Param("num_questions", "int", 1, 6, sample=S.int_range(1, 4)), relation_param("relation")],
    phrasings=[
        "Ask {relation} {num_questions} questions in your response.",
        "The response must contain {relation} {num_questions} question marks.",
        "Include {relation} {num_questions} questions (sentences ending in ?).",
    ],
    check=question_count,
    inverse=relation_inverse("ifgen:question_count"),
    conflicts=NO_CONFLICTS,
    facts=F.counted("questions", "num_questions", "relation", char="?"),
    examples=[
        passes("Why? How?? Fine.", num_questions=2, relation="at least"),
        passes("No questions here.", num_questions=1, relation="less than"),
        fails("Why? Because.", num_questions=2, relation="at least"),
        fails("Why??", "a run of question marks is one question", num_questions=2, relation="at least"),
        fails("Really?", num_questions=1, relation="less than"),
    ],
)


def end_with_question(response: str) -> bool:
    return response.rstrip().rstrip("*").rstrip().endswith("?")


def end_question_facts(p: dict) -> F.Facts:
    f = F.Facts().need("questions", 1).need("char:?", 1)
    f.end.append(F.Anchor("mark", "?"))
    return f


define(
    "ifgen:end_with_question",
    category="startend",
    description="The response ends with a question mark.",
    phrasings=[
        "Finish your response with a question.",
        "The final sentence of your answer must be a question ending in '?'.",
        "Close by asking the reader a question; the last character must be a question mark.",
    ],
    check=end_with_question,
    conflicts=Conflicts(
        ids={
            "startend:quotation": "the last character must be a quotation mark",
            "ifgen:wrap_in_tags": "the response must end with the closing tag",
            "keywords:start_end": "nothing may follow the last word",
            "ifgen:email_format": "an email ends with its sign-off",
            "ifgen:tldr_summary": "the TL;DR line must come last",
        }
    ),
    facts=end_question_facts,
    examples=[
        passes("Here is the plan. Ready to start?**", "closing bold markers after the '?' are ignored"),
        fails("Ready to start? Let us go."),
    ],
)


def _first_word(sentence: str) -> str:
    ws = words(sentence)
    return ws[0].lower() if ws else ""


def varied_sentence_starts(response: str) -> bool:
    firsts = [_first_word(s) for s in sentences(response)]
    return len(firsts) >= 2 and all(a != b for a, b in pairwise(firsts))


define(
    "ifgen:varied_sentence_starts",
    category="sentence",
    description="No two consecutive sentences start with the same word.",
    phrasings=[
        "Vary your sentence openings: no two consecutive sentences may begin with the same word.",
        "Do not start two sentences in a row with the same word.",
        "Each sentence must open with a different word from the sentence before it.",
    ],
    check=varied_sentence_starts,
    tags=("prose",),
    conflicts=Conflicts(ids={"first_word:first_word_sent": "every sentence starts with the same word"}),
    facts=lambda p: F.Facts().need("sentences", 2),
    examples=[
        passes("The sky is blue. A bird flies. The end.", "only consecutive sentences are compared"),
        fails("The sky is blue. The bird flies."),
        fails("Only one sentence.", "at least two sentences are needed"),
    ],
)


def sentences_per_paragraph(response: str, num_sentences: int) -> bool:
    ps = paragraphs(response)
    return bool(ps) and all(len(sentences(p)) == num_sentences for p in ps)


define(
    "ifgen:sentences_per_paragraph",
    category="sentence",
    description="Every paragraph has exactly n sentences.",
    params=[Param("num_sentences", "int", 2, 5, sample=S.int_range(2, 4))],
    phrasings=[
        "Write every paragraph with exactly {num_sentences} sentences.",
        "Each paragraph must contain {num_sentences} sentences, no more and no fewer.",
        "Keep all paragraphs to precisely {num_sentences} sentences each.",
    ],
    check=sentences_per_paragraph,
    tags=("prose",),
    conflicts=Conflicts(ids={"count:counting_composition": "the composition fixes sentences per paragraph"}),
    facts=lambda p: F.Facts().need("sentences", int(p["num_sentences"])),
    examples=[
        passes("One. Two.\n\n***\n\nThree. Four.", "a separator line is not a paragraph", num_sentences=2),
        fails("One. Two.\n\nThree.", num_sentences=2),
    ],
)
