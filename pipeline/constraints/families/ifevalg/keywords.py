"""IFEvalG keyword constraints: a word once, N times, twice after another, never, or at a given position.

Keyword counts follow upstream: the keyword is a case-insensitive regex searched anywhere, so "cat" is found in
"category"; the excluded and positioned keywords are compared case-sensitively.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import Any

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from ...core.relations import holds, relation_inverse, relation_param
from ...text import stopwords_en, treebank_tokens
from . import define
from ._common import first_if_list, pattern_hits
from ._text import split_sentences_g


def word_once(response: str, *, keyword: str) -> bool:
    return pattern_hits(keyword.strip(), response) == 1


define(
    "keywords:word_once",
    category="keywords",
    description="Use the keyword exactly once.",
    params=[Param("keyword", "keyword", sample=S.keyword)],
    phrasings=[
        'Use the word "{keyword}" exactly one time in your answer.',
        'Mention "{keyword}" once, and only once.',
        "The word {keyword} must appear in your response a single time.",
    ],
    check=word_once,
    conflicts=NO_CONFLICTS,
    groups=("english_only", "fits_data"),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 1, 1),
    examples=[
        passes("The River was calm.", "case-insensitive", keyword="river"),
        fails("A river and a river.", keyword="river"),
        fails("No water here.", keyword="river"),
        fails("The cat sat in a category.", "the keyword is a regex found inside longer words", keyword="cat"),
    ],
)


def word_count_different_numbers(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    return holds(pattern_hits(keyword.strip(), response), relation, frequency)


define(
    "keywords:word_count_different_numbers",
    category="keywords",
    description="Keyword count compared with a threshold.",
    params=[
        Param("keyword", "keyword", sample=S.keyword),
        Param("frequency", "int", 1, 4, sample=S.int_range(1, 4)),
        relation_param("relation"),
    ],
    phrasings=[
        'Use the word "{keyword}" {relation} {frequency} times.',
        "The word {keyword} should occur {relation} {frequency} times in your reply.",
        'Make sure "{keyword}" shows up {relation} {frequency} times.',
    ],
    check=word_count_different_numbers,
    inverse=relation_inverse("keywords:word_count_different_numbers", "relation"),
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], *F.rel(p["frequency"], p["relation"])),
    examples=[
        passes("Tea, then more tea.", keyword="tea", frequency=2, relation="at least"),
        fails("Tea, then more tea.", keyword="tea", frequency=2, relation="less than"),
        passes("Just coffee.", keyword="tea", frequency=2, relation="less than"),
    ],
)


_PUNCT = "\"'.,;:!?()[]{}<>*`"


def _keyword_candidates(text: str) -> list[str]:
    words = (w.strip(_PUNCT) for w in text.split())
    return [w for w in words if len(w) > 3 and w.isascii() and w.isalpha() and w.lower() not in stopwords_en()]


def instruction_excerpt(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """Up to 8 words of the task text around a content word. Upstream's
    exclude_word_harder draws its keyword from the `instruction` text (that is
    what makes it "harder": the word is in the request), and so do we."""
    words = str(ctx.get("task_text") or "").split()
    spots = [i for i, w in enumerate(words) if _keyword_candidates(w)]
    if not spots:
        return " ".join(rng.sample(S.GENERIC_KEYWORDS, 4))
    i = rng.choice(spots)
    lo = max(0, i - rng.randint(0, 4))
    return " ".join(words[lo : lo + 8])


def keyword_from_instruction(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    cands = _keyword_candidates(str(ctx.get("instruction") or ""))
    return rng.choice(cands).lower() if cands else S.keyword(rng, ctx)


def exclude_word_harder(response: str, *, keyword: str, instruction: str | None = None) -> bool:
    """Fails only on the keyword with a space on both sides (case-sensitive)."""
    return f" {keyword.strip()} " not in response


define(
    "keywords:exclude_word_harder",
    category="keywords",
    description="Never use the keyword as a standalone word.",
    params=[
        Param(
            "instruction",
            "text",
            sample=instruction_excerpt,
            optional=True,
            doc="excerpt of the task text holding the keyword; the checker ignores it",
        ),
        Param("keyword", "keyword", sample=keyword_from_instruction),
    ],
    phrasings=[
        'The request says "{instruction}"; answer it without ever using the word "{keyword}".',
        'Avoid the word {keyword} entirely in your response, even though it appears in "{instruction}".',
        'Do not write the word "{keyword}" anywhere (it comes from "{instruction}").',
    ],
    check=exclude_word_harder,
    conflicts=NO_CONFLICTS,
    groups=("content_ban", "english_only"),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 0, 0),
    examples=[
        passes("I have a dog at home.", keyword="cat"),
        fails("I have a cat at home.", keyword="cat"),
        passes("Cat lovers love a cat.", "only ' cat ' with a space on both sides counts", keyword="cat"),
    ],
)


def second_keyword(rng: random.Random, ctx: Mapping[str, Any]) -> str:
    """A keyword that neither contains nor is contained in keyword1 (upstream counts
    substrings, so "plan"/"planet" would make the pair unsatisfiable)."""
    first = str(ctx.get("keyword1", "")).lower()
    for _ in range(50):
        w = S.keyword(rng, ctx)
        if first not in w and w not in first:
            return w
    return next(w for w in S.GENERIC_KEYWORDS if first not in w and w not in first)


def count_increment_word(response: str, *, keyword1: str, keyword2: str) -> bool:
    return pattern_hits(keyword1.strip(), response) == 1 and pattern_hits(keyword2.strip(), response) == 2


define(
    "count:count_increment_word",
    category="keywords",
    description="keyword1 exactly once and keyword2 exactly twice.",
    params=[Param("keyword1", "keyword", sample=S.keyword), Param("keyword2", "keyword", sample=second_keyword)],
    phrasings=[
        'Use the word "{keyword1}" exactly once and the word "{keyword2}" exactly twice.',
        "Include {keyword1} one time and {keyword2} two times.",
        'Mention "{keyword1}" once and "{keyword2}" twice, no more and no less.',
    ],
    check=count_increment_word,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.kw(F.kw(F.Facts(), p["keyword1"], 1, 1), p["keyword2"], 2, 2),
    examples=[
        passes("The moon, a star, another star.", keyword1="moon", keyword2="star"),
        fails("The moon and a star.", keyword1="moon", keyword2="star"),
        passes("cat, concatenate, dog", "'concatenate' holds a second 'cat'", keyword1="dog", keyword2="cat"),
    ],
)


def keyword_specific_position(response: str, *, keyword: str, n: int, m: int) -> bool:
    """The m-th Treebank token of the n-th rule-split sentence equals the keyword
    exactly (case-sensitive)."""
    keyword = first_if_list(keyword).strip()
    sentences = split_sentences_g(response)
    if len(sentences) < n:
        return False
    toks = treebank_tokens(sentences[n - 1])
    return len(toks) >= m and toks[m - 1] == keyword


define(
    "keywords:keyword_specific_position",
    category="keywords",
    description="Keyword as the m-th word of the n-th sentence.",
    params=[
        Param("keyword", "keyword", sample=S.keyword),
        Param("n", "int", 1, 5, sample=S.int_range(1, 5)),
        Param(
            "m",
            "int",
            2,
            10,
            sample=S.int_range(2, 10),
            doc="from 2: the check is case-sensitive, so a sentence-initial keyword would need odd casing",
        ),
    ],
    phrasings=[
        'Put the word "{keyword}" in sentence number {n}, as word number {m} of that sentence.',
        "In the {n}-th sentence of your answer, the {m}-th word must be {keyword}.",
        'Make "{keyword}" the word at position {m} in sentence {n}.',
    ],
    check=keyword_specific_position,
    tags=("english",),
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.kw(F.Facts(), p["keyword"], 1).need("sentences", int(p["n"])),
    examples=[
        passes("Hi there. The sky blue today.", keyword="blue", n=2, m=3),
        fails("Hi there. The blue sky.", keyword="blue", n=2, m=3),
        fails("Blue. Blue.", "only two sentences, and the match is case-sensitive", keyword="blue", n=3, m=1),
    ],
)
