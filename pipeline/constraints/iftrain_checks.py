"""Checkers for the 29 open-instruct IFEvalG training constraints.

Each function restates the rule of one checker in
`open_instruct/IFEvalG/instructions.py` (allenai/open-instruct), including its
surprising corners, because RL rewards trained against those checkers must get
the same verdicts. Where upstream is odd on purpose-less detail we keep it and
say so (tests/constraints/test_iftrain_quirks.py pins each one). Where upstream
would crash or silently re-randomise a parameter, we raise ConstraintError or
use the value as given, and say so.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter

from .base import ConstraintError
from .iftrain_text import split_sentences_g, treebank_words

LESS, AT_LEAST = "less than", "at least"


def _compare(count: int, threshold: int, relation: str) -> bool:
    if relation == LESS:
        return count < threshold
    if relation == AT_LEAST:
        return count >= threshold
    raise ConstraintError(f"relation must be {LESS!r} or {AT_LEAST!r}, got {relation!r}")


def _first_if_list(value):
    """Upstream accepts a list for some word parameters and uses its first item."""
    return value[0] if isinstance(value, (list, tuple)) else value


def _pattern_hits(pattern: str, response: str) -> int:
    """Upstream counts keywords with re.findall(keyword, ..., IGNORECASE): the keyword
    is a regex (unescaped) and matches inside longer words."""
    if not pattern:
        raise ConstraintError("keyword must be a non-empty string")
    try:
        return len(re.findall(pattern, response, flags=re.IGNORECASE))
    except re.error as e:
        raise ConstraintError(f"keyword {pattern!r} is not a valid pattern: {e}") from None


def _same_text(a: str, b: str) -> bool:
    return a.strip().lower() == b.strip().lower()


# ---------------------------------------------------------------- copy family


def repeat_phrase(response: str, *, phrase: str, small_n: int) -> bool:
    """`small_n` lazy matches of "<first word> ... <last word>" (case-sensitive; the
    end words are regex text); each must have the phrase's word count and at
    most one changed word, and the last one exactly one."""
    ref = phrase.split()
    if not ref:
        raise ConstraintError("phrase must contain at least one word")
    try:
        found = re.findall(f"{ref[0]} .*? {ref[-1]}", response)
    except re.error:
        return False
    if len(found) != small_n or not found:  # small_n == 0 would crash upstream
        return False
    changed = 0
    for hit in found:
        words = hit.split()
        if len(words) != len(ref):
            return False
        changed = sum(a != b for a, b in zip(words, ref))
        if changed > 1:
            return False
    return changed == 1


def copy_exact(response: str, *, prompt_to_repeat: str) -> bool:
    """Response equals the prompt, ignoring case and surrounding whitespace."""
    return _same_text(response, prompt_to_repeat)


def copy_span_idx(response: str, *, prompt_to_repeat: str, n_start: int, n_end: int) -> bool:
    """Response equals prompt[n_start:n_end] (n_end exclusive, despite the
    instruction saying "including"), ignoring case and surrounding whitespace."""
    return _same_text(response, prompt_to_repeat[int(n_start) : int(n_end)])


def copying_multiple(response: str, *, prompt_to_repeat: str, N: int) -> bool:
    """Exactly N pieces around "******", each equal to the prompt (case-insensitive)."""
    pieces = response.split("******")
    return len(pieces) == N and all(_same_text(p, prompt_to_repeat) for p in pieces)


# ---------------------------------------------------------------- format family


def sentence_hyphens(response: str) -> bool:
    """Pieces between hyphens must be, in order, the sentences of the response
    with hyphens read as spaces, with no space around any piece. Comparison stops
    at the shorter list, so a single sentence without hyphens passes."""
    gold = split_sentences_g(response.replace("-", " "))
    pieces = response.split("-")
    return all(p == p.strip() and p == g for p, g in zip(pieces, gold))


def square_brackets(response: str) -> bool:
    """Every whitespace-separated token starts with "[" and ends with "]"."""
    return all(t.startswith("[") and t.endswith("]") for t in response.split())


def bigram_wrapping(response: str) -> bool:
    """Tokens taken in pairs (0,1), (2,3)...: the first starts with "<<", the
    second ends with ">>". An odd last token is not checked."""
    toks = response.split()
    return all(toks[i].startswith("<<") and toks[i + 1].endswith(">>") for i in range(0, len(toks) - 1, 2))


def _blocks_ok(parts: list[str], want: int) -> bool:
    """Paragraph count rule: empty first/last pieces are ignored, an empty piece
    in the middle fails, and the rest must number exactly `want`."""
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i in (0, len(parts) - 1):
                count -= 1
            else:
                return False
    return count == want


_STARS = re.compile(r"\s?\*\*\*\s?")


def two_paragraphs_stars(response: str) -> bool:
    """Two paragraphs separated by the markdown divider ***."""
    return _blocks_ok(_STARS.split(response), 2)


def two_paragraphs_blank_line(response: str) -> bool:
    """Two paragraphs separated by exactly one blank line ("\\n\\n")."""
    return _blocks_ok(response.split("\n\n"), 2)


# ---------------------------------------------------------------- words / keywords


def no_adjacent_consecutive(response: str) -> bool:
    """No two neighbouring tokens whose lowercased first characters are successive
    code points (a then b, 1 then 2, ( then ) all fail)."""
    toks = response.split()
    for left, right in itertools.pairwise(toks):
        a, b = left[0].lower(), right[0].lower()
        if len(a) != 1 or len(b) != 1:
            return False
        if ord(b) - ord(a) == 1:
            return False
    return True


def word_once(response: str, *, keyword: str) -> bool:
    return _pattern_hits(keyword.strip(), response) == 1


def word_count_different_numbers(response: str, *, keyword: str, frequency: int, relation: str) -> bool:
    return _compare(_pattern_hits(keyword.strip(), response), frequency, relation)


def exclude_word_harder(response: str, *, keyword: str, instruction: str | None = None) -> bool:
    """Fails only on the keyword with a space on both sides (case-sensitive)."""
    return f" {keyword.strip()} " not in response


def count_increment_word(response: str, *, keyword1: str, keyword2: str) -> bool:
    return _pattern_hits(keyword1.strip(), response) == 1 and _pattern_hits(keyword2.strip(), response) == 2


def palindrome(response: str) -> bool:
    """Some whitespace token reads the same reversed (case and punctuation count;
    one-character tokens such as "a" or "I" qualify)."""
    return any(t == t[::-1] for t in response.split())


def keyword_specific_position(response: str, *, keyword: str, n: int, m: int) -> bool:
    """The m-th Treebank token of the n-th rule-split sentence equals the keyword
    exactly (case-sensitive)."""
    keyword = _first_if_list(keyword).strip()
    sentences = split_sentences_g(response)
    if len(sentences) < n:
        return False
    toks = treebank_words(sentences[n - 1])
    return len(toks) >= m and toks[m - 1] == keyword


def start_end(response: str) -> bool:
    """First and last Treebank tokens are equal ignoring case (a final "." is a token)."""
    toks = treebank_words(response)
    return len(toks) >= 2 and toks[0].lower() == toks[-1].lower()


# ---------------------------------------------------------------- first / last word


def first_word_sent(response: str, *, first_word) -> bool:
    """Every rule-split sentence's first whitespace token equals the word, ignoring
    case (punctuation stays attached: "Yes," is not "yes")."""
    want = str(_first_if_list(first_word)).strip().lower()
    for sentence in split_sentences_g(response):
        if not sentence.strip() or sentence.split()[0].lower() != want:
            return False
    return True


def first_word_answer(response: str, *, first_word) -> bool:
    toks = response.split()
    return bool(toks) and toks[0].lower() == str(_first_if_list(first_word)).strip().lower()


_NOT_WORD = re.compile(r"[^\w\s]")


def last_word_sent(response: str, *, last_word) -> bool:
    """Every sentence's last whitespace token, with non-word characters removed,
    equals the word ignoring case."""
    want = str(_first_if_list(last_word)).strip().lower()
    for sentence in split_sentences_g(response):
        if not sentence.strip() or _NOT_WORD.sub("", sentence.split()[-1]).lower() != want:
            return False
    return True


def last_word_answer(response: str, *, last_word) -> bool:
    toks = response.split()
    return bool(toks) and _NOT_WORD.sub("", toks[-1]).lower() == str(last_word).strip().lower()


# ---------------------------------------------------------------- punctuation / counting


def no_dot(response: str) -> bool:
    return "." not in response


def no_exclamation(response: str) -> bool:
    return "!" not in response


_LOWER_WORD = re.compile(r"\b[a-z]+\b")


def lowercase_counting(response: str, *, N: int) -> bool:
    """At most N words made only of ASCII lowercase letters (a word = a maximal
    run of word characters, so "don't" holds two and "café" none)."""
    return len(_LOWER_WORD.findall(response)) <= N


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def letter_counting(response: str, *, N: int, relation: str) -> bool:
    return _compare(len(_ASCII_LETTER.findall(response)), N, relation)


def letter_counting2(response: str, *, letter: str, let_frequency: int, let_relation: str) -> bool:
    """Occurrences of one letter in the lowercased response (IFEval letter_frequency)."""
    letter = str(letter).strip().lower()
    if len(letter) != 1 or not ("a" <= letter <= "z"):
        raise ConstraintError(f"letter must be one ASCII letter, got {letter!r}")
    return _compare(Counter(response.lower())[letter], let_frequency, let_relation)


def counting_composition(response: str, *, n_sent: int, n_words: int) -> bool:
    """Three ***-separated paragraphs, each of exactly n_sent rule-split sentences,
    each of exactly n_words Treebank tokens (punctuation tokens count). An empty
    leading/trailing piece is still checked for sentences, so it fails."""
    parts = _STARS.split(response)
    count = len(parts)
    for i, part in enumerate(parts):
        if not part.strip():
            if i not in (0, len(parts) - 1):
                return False
            count -= 1
        sentences = split_sentences_g(part)
        if len(sentences) != n_sent:
            return False
        if any(len(treebank_words(s)) != n_words for s in sentences):
            return False
    return count == 3


def count_unique(response: str) -> bool:
    """No Treebank token repeats (case-sensitive; punctuation tokens included)."""
    toks = treebank_words(response)
    return len(toks) == len(set(toks))
