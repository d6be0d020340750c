"""Text facts shared by the checkers: words, sentences, Treebank tokens, stopwords, language.

NLTK data cannot be downloaded at run time here, so punkt_tab and stopwords come
from the `llama-index-core` wheel, which vendors them under
`llama_index/core/_static/nltk_cache`. We locate that folder through package
metadata (no import of llama_index) and put it on nltk's search path. Language
detection is made deterministic by seeding langdetect's factory.

Speed (verify runs every checker on a response and its loose variants): every
costly fact is memoised per text, and the tools behind them are faster exact
equivalents of nltk / langdetect kept in punkt.py and language.py;
tests/constraints/text/ hold them to the
originals' output.
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path


@functools.lru_cache(maxsize=1)
def nltk_data_dir() -> str | None:
    """Folder holding tokenizers/punkt_tab and corpora/stopwords, or None."""
    env = os.environ.get("IFGEN_NLTK_DATA")
    if env and Path(env).is_dir():
        return env
    try:
        from importlib.metadata import PackageNotFoundError, distribution

        dist = distribution("llama-index-core")
        for f in dist.files or ():
            s = str(f)
            if s.endswith("_static/nltk_cache/tokenizers/punkt_tab/english/collocations.tab"):
                return str(Path(str(dist.locate_file(f))).parents[3])
    except PackageNotFoundError:
        pass
    return None


@functools.lru_cache(maxsize=1)
def _nltk():
    import nltk

    d = nltk_data_dir()
    if d and d not in nltk.data.path:
        nltk.data.path.insert(0, d)
    return nltk


@functools.lru_cache(maxsize=1)
def _punkt():
    _nltk()
    from .punkt import MemoPunkt

    try:
        return MemoPunkt("english")
    except LookupError as e:  # pragma: no cover - install problem, say so plainly
        raise RuntimeError(
            "NLTK punkt_tab data not found: install llama-index-core (--no-deps) or set IFGEN_NLTK_DATA"
        ) from e


# The costly helpers below are memoised per text: verify and the loose variants
# ask the same questions of the same response many times (punkt, Treebank and
# langdetect take milliseconds on a long response).
_MEMO = 2048


@functools.lru_cache(maxsize=_MEMO)
def _sentences(text: str) -> tuple[str, ...]:
    return tuple(_punkt().tokenize(text))


def split_sentences(text: str) -> list[str]:
    """English sentence split with the punkt model IFEval uses."""
    return list(_sentences(text))


def count_sentences(text: str) -> int:
    return len(_sentences(text))


@functools.lru_cache(maxsize=1)
def _word_tokenizer():
    from nltk.tokenize import RegexpTokenizer

    return RegexpTokenizer(r"\w+")


def word_tokens(text: str) -> list[str]:
    """Word tokens exactly as IFEval counts them: nltk RegexpTokenizer(r"\\w+").

    We call nltk rather than `re` on purpose: nltk >= 3.10 compiles the pattern
    with the `regex` engine, whose \\w keeps combining marks inside words
    (Devanagari, Thai, ...), while stdlib `re` splits them; the reference counts
    with whatever nltk is installed, so we do too.
    """
    return list(_words(text))


@functools.lru_cache(maxsize=_MEMO)
def _words(text: str) -> tuple[str, ...]:
    # Tokens are the maximal runs of \w chars, so when stdlib `re` and nltk's
    # engine agree on \w for every char of the text they give the same tokens;
    # they always do on ASCII, and stdlib `re` is several times faster.
    if text.isascii() or all(_same_w(ch) for ch in set(text)):
        return tuple(_STD_WORD.findall(text))
    return tuple(_word_tokenizer().tokenize(text))


_STD_WORD = re.compile(r"\w+")


@functools.lru_cache(maxsize=1 << 14)
def _same_w(ch: str) -> bool:
    return (_STD_WORD.fullmatch(ch) is not None) == (_word_tokenizer().tokenize(ch) == [ch])


def count_words(text: str) -> int:
    return len(_words(text))


def treebank_tokens(text: str) -> list[str]:
    """nltk.word_tokenize tokens (punkt sentences, then Treebank words): what
    IFEval counts capitalised words over; "isn't" gives "is", "n't"."""
    return list(_treebank(text))


@functools.lru_cache(maxsize=_MEMO)
def _treebank(text: str) -> tuple[str, ...]:
    # exactly nltk.word_tokenize: the same punkt model, then Treebank per sentence;
    # sentences repeat across loose variants, so each is tokenised once
    return tuple(tok for sent in _sentences(text) for tok in _treebank_sentence(sent))


@functools.lru_cache(maxsize=1 << 15)
def _treebank_sentence(sentence: str) -> tuple[str, ...]:
    return tuple(_treebank_tokenizer().tokenize(sentence))


def _treebank_tokenizer():
    _nltk()
    from .punkt import bare_treebank

    return bare_treebank()


@functools.lru_cache(maxsize=1)
def stopwords_en() -> frozenset[str]:
    nltk = _nltk()
    from nltk.corpus import stopwords

    del nltk
    return frozenset(stopwords.words("english"))


@functools.lru_cache(maxsize=_MEMO)
def detect_language(text: str) -> str | None:
    """ISO 639-1 code of `text`, deterministic; None when undecidable."""
    from langdetect.lang_detect_exception import LangDetectException

    from .language import detect

    try:
        return detect(text, seed=0)
    except LangDetectException:
        return None


def clear_caches() -> None:
    """Forget every memoised text fact (benchmarks measure cold; tests may want a clean slate)."""
    for fn in (_sentences, _words, _treebank, _treebank_sentence, detect_language):
        fn.cache_clear()
    from .language import clear_memos

    clear_memos()
    if _punkt.cache_info().currsize:
        from .punkt import MemoPunkt

        MemoPunkt._memo_sentbreak.cache_clear()
