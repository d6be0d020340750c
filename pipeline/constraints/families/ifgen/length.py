"""Length and proportion: characters, line width, word length, paragraph size and balance, lexical diversity,
quoted passages.

Character counts are over the stripped response; `ifgen:max_chars` and `ifgen:min_chars` are each other's
inverse. Paragraphs are blocks separated by blank lines (separator-only blocks such as --- dropped).
"""

from __future__ import annotations

import re

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from . import define
from ._common import by_length, chars_scaled, paragraphs, words


def max_chars(response: str, max_chars: int) -> bool:
    return len(response.strip()) <= max_chars


def _max_to_min(p: dict) -> tuple[str, dict]:
    return "ifgen:min_chars", {"min_chars": p["max_chars"] + 1}


define(
    "ifgen:max_chars",
    category="length",
    description="At most n characters.",
    params=[Param("max_chars", "int", 40, 20000, sample=chars_scaled(6.5, 9.0))],
    phrasings=[
        "Keep the whole response under {max_chars} characters (at most {max_chars}).",
        "Your answer must not exceed {max_chars} characters, spaces included.",
        "Use no more than {max_chars} characters in total.",
    ],
    check=max_chars,
    inverse=_max_to_min,
    conflicts=NO_CONFLICTS,
    groups=("fits_json",),
    facts=lambda p: F.Facts().need("chars", 0, int(p["max_chars"])),
    examples=[
        passes("  Hello world.  ", "surrounding whitespace is not counted", max_chars=12),
        fails("Hello world.", max_chars=10),
    ],
)


def min_chars(response: str, min_chars: int) -> bool:
    return len(response.strip()) >= min_chars


def _min_to_max(p: dict) -> tuple[str, dict]:
    return "ifgen:max_chars", {"max_chars": max(0, p["min_chars"] - 1)}


define(
    "ifgen:min_chars",
    category="length",
    description="At least n characters.",
    params=[Param("min_chars", "int", 40, 20000, sample=chars_scaled(3.5, 5.0))],
    phrasings=[
        "Write at least {min_chars} characters.",
        "The response must be {min_chars} characters long or longer, spaces included.",
        "Make your answer no shorter than {min_chars} characters.",
    ],
    check=min_chars,
    inverse=_min_to_max,
    conflicts=NO_CONFLICTS,
    groups=("fits_json",),
    facts=lambda p: F.Facts().need("chars", int(p["min_chars"])),
    examples=[
        passes("Hello world!", min_chars=12),
        fails("Hello world!", min_chars=13),
    ],
)


def line_max_chars(response: str, max_line_chars: int) -> bool:
    return all(len(ln.rstrip()) <= max_line_chars for ln in response.strip().split("\n"))


define(
    "ifgen:line_max_chars",
    category="length",
    description="No line longer than n characters.",
    params=[Param("max_line_chars", "int", 50, 120, sample=S.choice((60, 72, 80, 100)))],
    phrasings=[
        "Wrap your text so that no line exceeds {max_line_chars} characters.",
        "Every line of the response must be at most {max_line_chars} characters long.",
        "Hard-wrap lines at {max_line_chars} characters or fewer.",
    ],
    check=line_max_chars,
    conflicts=NO_CONFLICTS,
    groups=("fits_data", "layout"),
    facts=None,
    examples=[
        passes("short line\ntiny\n", max_line_chars=10),
        fails("this line is too long", max_line_chars=10),
    ],
)


def word_length_max(response: str, max_letters: int) -> bool:
    return all(len(w) <= max_letters for w in re.findall(r"[^\W\d_]+", response))


define(
    "ifgen:word_length_max",
    category="words",
    description="No word longer than n letters.",
    params=[Param("max_letters", "int", 8, 16, sample=S.int_range(10, 14))],
    phrasings=[
        "Do not use any word longer than {max_letters} letters.",
        "Every word in your answer must have {max_letters} letters or fewer.",
        "Avoid long words: the limit is {max_letters} letters per word.",
    ],
    check=word_length_max,
    tags=("english", "no_code"),
    conflicts=NO_CONFLICTS,
    groups=("english_only", "fits_data"),
    facts=None,
    examples=[
        passes("Short words only, 1234567890 is a number.", "digits are not letters", max_letters=6),
        fails("Extraordinary.", max_letters=6),
    ],
)


def _para_sizes(text: str) -> list[int]:
    """Words per paragraph (shared by the two paragraph blocks below)."""
    return [len(words(p)) for p in paragraphs(text)]


def max_paragraph_words(response: str, max_words: int) -> bool:
    sizes = _para_sizes(response)
    return bool(sizes) and max(sizes) <= max_words


define(
    "ifgen:max_paragraph_words",
    category="length",
    description="Every paragraph has at most n words.",
    params=[Param("max_words", "int", 30, 200, sample=S.scaled_int(0.25, 0.5, floor=30, cap=150))],
    phrasings=[
        "Keep every paragraph to at most {max_words} words.",
        "No paragraph may run longer than {max_words} words.",
        "Split your text so that each paragraph has {max_words} words or fewer.",
    ],
    check=max_paragraph_words,
    tags=("prose",),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("one two three four\n\nfive six", max_words=4),
        fails("one two three four\n\nfive", max_words=3),
    ],
)


def balanced_paragraphs(response: str, max_ratio: float) -> bool:
    sizes = _para_sizes(response)
    return len(sizes) >= 2 and min(sizes) > 0 and max(sizes) / min(sizes) <= max_ratio


define(
    "ifgen:balanced_paragraphs",
    category="ratio",
    description="At least two paragraphs; longest/shortest word ratio at most r.",
    params=[Param("max_ratio", "float", 1.5, 3.0, sample=S.choice((1.5, 2.0, 2.5, 3.0)))],
    phrasings=[
        "Write at least two paragraphs of similar length: the longest may have at most {max_ratio} times the words of the shortest.",
        "Keep paragraphs balanced; the word count of the longest paragraph must be within {max_ratio}x that of the shortest.",
        "Use two or more paragraphs whose lengths differ by a factor of no more than {max_ratio}.",
    ],
    check=balanced_paragraphs,
    tags=("prose",),
    conflicts=NO_CONFLICTS,
    facts=lambda p: F.Facts().need("paragraphs", 2),
    examples=[
        passes(
            "one two three four\n\nfive six\n\n---\n\nseven eight nine",
            "a --- separator is no paragraph; 4/2 is within 2.0",
            max_ratio=2.0,
        ),
        fails("one two three four five\n\nsix six", max_ratio=2.0),
        fails("a single paragraph", "at least two paragraphs are needed", max_ratio=2.0),
    ],
)


def lexical_diversity(response: str, min_ratio: float) -> bool:
    ws = [w.lower() for w in words(response)]
    return bool(ws) and len(set(ws)) / len(ws) >= min_ratio


define(
    "ifgen:lexical_diversity",
    category="ratio",
    description="Distinct words / all words is at least r.",
    params=[Param("min_ratio", "float", 0.3, 0.7, sample=by_length((0.5, 0.55, 0.6), (0.35, 0.4, 0.45)))],
    phrasings=[
        "Use varied vocabulary: at least {min_ratio} of your words (as a fraction of all words) must be distinct.",
        "The ratio of unique words to total words in your response must be at least {min_ratio}.",
        "Avoid repeating words; your type-token ratio has to reach {min_ratio} or more.",
    ],
    check=lexical_diversity,
    tags=("prose",),
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Every word here differs from the rest.", min_ratio=0.8),
        fails("the the the the cat", min_ratio=0.8),
    ],
)


_QUOTED = re.compile(r'"[^"\n]+"|“[^”\n]+”')


def quotes_count(response: str, num_quotes: int, relation: str) -> bool:
    return holds(len(_QUOTED.findall(response)), relation, num_quotes)


def quotes_facts(p: dict) -> F.Facts:
    lo, hi = F.rel(p["num_quotes"], p["relation"])
    f = F.Facts().need("quotes", lo, hi)
    return f.need('char:"', 2) if lo >= 1 else f


define(
    "ifgen:quotes_count",
    category="content",
    description="Number of double-quoted passages compared with n.",
    params=[Param("num_quotes", "int", 1, 5, sample=S.int_range(1, 4)), relation_param("relation")],
    phrasings=[
        "Include {relation} {num_quotes} quoted passages in double quotation marks.",
        'Your answer must contain {relation} {num_quotes} "quoted" phrases.',
        "Use direct quotations (in double quotes) {relation} {num_quotes} times.",
    ],
    check=quotes_count,
    inverse=relation_inverse("ifgen:quotes_count"),
    conflicts=NO_CONFLICTS,
    facts=quotes_facts,
    examples=[
        passes('He said "yes" and “no”.', "straight and curly quotes both count", num_quotes=2, relation="at least"),
        passes("No quotations.", num_quotes=1, relation="less than"),
        fails('Only "one" quote.', num_quotes=2, relation="at least"),
    ],
)
