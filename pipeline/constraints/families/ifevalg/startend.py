"""IFEvalG start / end constraints: the first or last word of the answer or of every sentence, and an answer that
starts and ends with the same word."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Conflicts, Param, fails, passes
from ...text import treebank_tokens
from . import define
from ._common import bare, first_if_list
from ._text import split_sentences_g


def first_word_sent(response: str, *, first_word) -> bool:
    """Every rule-split sentence's first whitespace token equals the word, ignoring
    case (punctuation stays attached: "Yes," is not "yes")."""
    want = str(first_if_list(first_word)).strip().lower()
    for sentence in split_sentences_g(response):
        if not sentence.strip() or sentence.split()[0].lower() != want:
            return False
    return True


define(
    "first_word:first_word_sent",
    category="startend",
    description="Every sentence starts with the given word.",
    params=[Param("first_word", "keyword", sample=S.keyword)],
    phrasings=[
        'Begin every sentence with the word "{first_word}".',
        "Each of your sentences must start with {first_word}.",
        'Make "{first_word}" the first word of every sentence you write.',
    ],
    check=first_word_sent,
    tags=("english",),
    conflicts=Conflicts(ids={"first_word:first_word_answer": "two rules for the first word"}),
    groups=("english_only",),
    facts=F.one_value("first_word", F.word_anchor("start", "first_word")),
    examples=[
        passes("Today I rest. today we eat! TODAY we go?", "case is ignored", first_word="today"),
        fails("Today I rest. Tomorrow we eat.", first_word="today"),
        fails("Yes, I agree.", "punctuation stays attached: 'Yes,' is not 'yes'", first_word="yes"),
    ],
)


def first_word_answer(response: str, *, first_word) -> bool:
    toks = response.split()
    return bool(toks) and toks[0].lower() == str(first_if_list(first_word)).strip().lower()


define(
    "first_word:first_word_answer",
    category="startend",
    description="The response starts with the given word.",
    params=[Param("first_word", "keyword", sample=S.keyword)],
    phrasings=[
        'Start your response with the word "{first_word}".',
        "The very first word of your answer must be {first_word}.",
        'Open your reply with "{first_word}".',
    ],
    check=first_word_answer,
    conflicts=NO_CONFLICTS,
    groups=("english_only", "start_rule"),
    facts=F.one_value("first_word", F.word_anchor("start", "first_word")),
    examples=[
        passes("sure thing. Anything else?", first_word="Sure"),
        fails("Of course, sure.", first_word="Sure"),
    ],
)


def last_word_sent(response: str, *, last_word) -> bool:
    """Every sentence's last whitespace token, with non-word characters removed,
    equals the word ignoring case."""
    want = str(first_if_list(last_word)).strip().lower()
    for sentence in split_sentences_g(response):
        if not sentence.strip() or bare(sentence.split()[-1]).lower() != want:
            return False
    return True


define(
    "last_word:last_word_sent",
    category="startend",
    description="Every sentence ends with the given word (before punctuation).",
    params=[Param("last_word", "keyword", sample=S.keyword)],
    phrasings=[
        'End every sentence with the word "{last_word}" (punctuation may follow it).',
        "The last word of each sentence, before its punctuation, must be {last_word}.",
        'Finish each of your sentences with "{last_word}".',
    ],
    check=last_word_sent,
    tags=("english",),
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=F.one_value("last_word", F.word_anchor("end", "last_word")),
    examples=[
        passes("I went home. She stayed HOME!", last_word="home"),
        fails("I went home. She stayed out.", last_word="home"),
    ],
)


def last_word_answer(response: str, *, last_word) -> bool:
    toks = response.split()
    return bool(toks) and bare(toks[-1]).lower() == str(last_word).strip().lower()


define(
    "last_word:last_word_answer",
    category="startend",
    description="The response ends with the given word.",
    params=[Param("last_word", "keyword", sample=S.keyword)],
    phrasings=[
        'Make "{last_word}" the final word of your response.',
        "Your answer must end with the word {last_word}.",
        'Close your reply with the word "{last_word}"; nothing but punctuation may follow it.',
    ],
    check=last_word_answer,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=F.one_value("last_word", F.word_anchor("end", "last_word")),
    examples=[
        passes("We are finally done!!", last_word="done"),
        fails("Done, we are.", last_word="done"),
        passes("It is (done).", "non-word characters around the last word are dropped", last_word="done"),
    ],
)


def start_end(response: str) -> bool:
    """First and last Treebank tokens are equal ignoring case (a final "." is a token)."""
    toks = treebank_tokens(response)
    return len(toks) >= 2 and toks[0].lower() == toks[-1].lower()


def start_end_facts(p: dict) -> F.Facts:
    """The last token is a bare word: nothing may follow it."""
    f = F.Facts()
    f.end.append(F.Anchor("mark", ""))
    return f


define(
    "keywords:start_end",
    category="startend",
    description="Start and end with the same word, nothing after it.",
    phrasings=[
        "Begin and end your response with the same word, and put no punctuation after that last word.",
        "Your first word and your last word must be identical; do not add anything after the final word.",
        "Open and close your answer with one and the same word, with no trailing punctuation.",
    ],
    check=start_end,
    tags=("english",),
    conflicts=NO_CONFLICTS,
    facts=start_end_facts,
    examples=[
        passes("Hello there, and hello"),
        fails("Hello there, and hello.", "the last token is '.'"),
        fails("Hello", "needs two tokens"),
        fails("Don't stop, don't", "Treebank tokens: the first is 'Do', the last \"n't\""),
    ],
)
