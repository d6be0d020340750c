"""IFBench sentence shapes: how sentences relate to each other (lengths, alliteration, shared words at the seams).

Sentences are punkt sentences, as IFBench's nltk.sent_tokenize; words:paragraph_last_first works on lines.
"""

from __future__ import annotations

from itertools import pairwise

from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._text import PUNCT_SPACE, bare_words, drop_punct, sentences


def sentence_words(response: str) -> bool:
    sents = sentences(response)
    if len(sents) != 3 or len({len(s.strip()) for s in sents}) != 1:
        return False
    words = bare_words(" ".join(sents))
    return len(words) == len(set(words))


define(
    "ratio:sentence_words",
    category="sentence",
    description="three sentences of equal character length, no word reused",
    phrasings=[
        "Respond with exactly three sentences that all have the same number of characters and share no words.",
        "Write three sentences of identical character length, never repeating a word.",
        "Answer in three sentences, each with the same character count, using all different words.",
    ],
    check=sentence_words,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("Red cats ran. Big dogs sat. Six owls hid."),
        fails("Red cats ran. Red dogs sat. Six owls hid.", "'red' is used twice"),
        fails("Red cats ran. Big dogs sat.", "two sentences, not three"),
    ],
)


def alliteration_increment(response: str) -> bool:
    previous = -1
    for sent in sentences(response):
        heads = [w.lstrip(PUNCT_SPACE)[0] for w in sent.lower().split() if w.lstrip(PUNCT_SPACE)]
        score, in_run = 0, False
        for a, b in pairwise(heads):
            if a == b:
                score += 1 if in_run else 2  # a run of k alliterating words scores k
                in_run = True
            else:
                in_run = False
        if score <= previous:
            return False
        previous = score
    return True


define(
    "sentence:alliteration_increment",
    category="sentence",
    description="each sentence has a longer alliterative run than the one before",
    phrasings=[
        "Each sentence must contain a longer run of consecutive alliterating words than the sentence before.",
        "Build up the alliteration: every new sentence needs more consecutive words sharing a first letter.",
        "Make the alliterative sequences grow from sentence to sentence.",
    ],
    check=alliteration_increment,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("A cat. Big bad dog. Silly sad snakes slither.", "alliterating runs of 0, 2 and 4 words"),
        fails("Big bad dog. A cat.", "the run shrinks from 2 to 0"),
    ],
)


def increment(response: str, small_n: int) -> bool:
    counts = [len(drop_punct(s).split()) for s in sentences(response)]
    if not counts:
        return False
    return all(b == a + int(small_n) for a, b in pairwise(counts))


define(
    "sentence:increment",
    category="sentence",
    description="each sentence has exactly small_n more words than the previous",
    params=[Param("small_n", "int", 1, 5, sample=S.int_range(1, 5))],
    phrasings=[
        "Each sentence must have exactly {small_n} more words than the sentence before it.",
        "Grow every sentence by precisely {small_n} words compared with the previous one.",
        "Make sentence lengths increase by {small_n} words at each step.",
    ],
    check=increment,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("I ran. I ran far away.", "2 words, then 4", small_n=2),
        fails("I ran. I ran far.", "2 words, then 3", small_n=2),
    ],
)


def last_first(response: str) -> bool:
    sents = sentences(response)
    for cur, nxt in pairwise(sents):
        tail = cur.rstrip(PUNCT_SPACE).split()
        head = nxt.lstrip(PUNCT_SPACE).split()
        if not tail or not head or tail[-1].lower() != head[0].lower():
            return False
    return True


define(
    "words:last_first",
    category="words",
    description="each sentence starts with the previous sentence's last word",
    phrasings=[
        "The last word of each sentence must be the first word of the next sentence.",
        "Chain your sentences: start every sentence with the word that ended the one before.",
        "Begin each new sentence with the final word of the preceding sentence.",
    ],
    check=last_first,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("The cat sat. Sat the dog.", "any case"),
        fails("The cat sat. The dog ran."),
    ],
)


def paragraph_last_first(response: str) -> bool:
    for para in response.split("\n"):
        words = para.strip().lower().strip(PUNCT_SPACE).split()
        if words and words[0] != words[-1]:
            return False
    return True


define(
    "words:paragraph_last_first",
    category="words",
    description="each line/paragraph ends with the word it starts with",
    phrasings=[
        "Each paragraph must end with the same word it begins with; separate paragraphs with a newline.",
        "Start and finish every paragraph with the same word, one paragraph per line.",
        "Write paragraphs (split by newlines) whose first and last words are identical.",
    ],
    check=paragraph_last_first,
    conflicts=NO_CONFLICTS,
    facts=None,
    examples=[
        passes("home is where we go home\n\nsun sets on the sun.", "blank lines are skipped; the final '.' is trimmed"),
        fails("one two"),
    ],
)
