"""Tokenisations the IFBench checkers share.

IFBench checkers tokenise text in several distinct ways, and a verdict depends on which one a checker uses, so
each way gets one named helper here: whitespace split with punctuation trimmed, punctuation deleted, nltk's
Treebank-style word tokens, and punkt sentences (IFBench splits sentences with nltk's punkt model, the same model
`text.split_sentences` loads).
"""

from __future__ import annotations

import re
import string

from ... import text

PUNCT = string.punctuation
PUNCT_SPACE = PUNCT + " "

_PUNCT_RUN = re.compile("[" + re.escape(PUNCT) + "]+")


def drop_punct(s: str) -> str:
    """`s` with every ASCII punctuation character deleted (a regex: str.translate with a deletion table is slow
    on non-ASCII text)."""
    return _PUNCT_RUN.sub("", s)


def trim_punct(s: str) -> str:
    """`s` without leading/trailing ASCII punctuation and spaces."""
    return s.strip(PUNCT_SPACE)


def bare_words(s: str) -> list[str]:
    """Lowercased whitespace words after deleting punctuation (IFBench `_split_words`)."""
    return drop_punct(s.lower()).split()


def sentences(s: str) -> list[str]:
    """Punkt sentences, as IFBench's `split_into_sentences` (nltk.sent_tokenize)."""
    return text.split_sentences(s)


def nltk_words(s: str) -> list[str]:
    """nltk.word_tokenize(s): punkt sentences, then Treebank tokens per sentence."""
    return text.treebank_tokens(s)


def alnum_tokens(s: str) -> list[str]:
    """Treebank tokens that hold at least one letter or digit (punctuation dropped)."""
    return [t for t in nltk_words(s) if any(ch.isalnum() for ch in t)]
