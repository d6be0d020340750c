"""langdetect, same answers, a few times faster: what `text.detect_language` runs.

langdetect's Detector spends its time in three pure-Python loops: collapsing
spaces char by char (`append`), the n-gram state machine with a per-char
Unicode-block lookup (`_extract_ngrams`), and index loops over ~55 language
probabilities per sampled n-gram (`_update_lang_prob` / `_normalize_prob`).
This subclass keeps every decision and every floating-point operation in the
same order (so the seeded random walk, the sums and the winner are identical)
and only removes interpreter overhead: a per-char memo of the normalisation,
n-grams memoised per word,
a regex for the space collapse, numpy for the elementwise products (sums stay
left-to-right in Python).
tests/constraints/test_text_langdetect.py compares it with langdetect itself.
"""

from __future__ import annotations

import functools
import re

import numpy as np
from langdetect.detector import Detector
from langdetect.detector_factory import DetectorFactory, init_factory
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

_SPACES = re.compile(" {2,}")
_LATIN = re.compile("[A-z]")  # langdetect's 'A' <= ch <= 'z', punctuation [\\]^_` included
_NON_LATIN = re.compile("[^\x00-\u02ff]")


class _Normalised(dict):
    """str.translate table: code point -> NGram.normalize(char), filled on demand."""

    def __missing__(self, code: int) -> str:
        v = self[code] = NGram.normalize(chr(code))
        return v


_NORMALISED = _Normalised()


def _grams(word: str, trailing_space: bool, wmap: dict) -> tuple[str, ...]:
    """What NGram.add_char + Detector._extract_ngrams emit for one word that
    follows a space (or starts the text), then for the space after it if any."""
    out: list[str] = []
    grams, capital = " ", False
    for c in word + " " if trailing_space else word:
        last = grams[-1]
        if last == " ":
            grams, capital = " ", False
        elif len(grams) >= 3:
            grams = grams[1:]
        grams += c
        if c.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        if c != " " and c in wmap:  # n = 1
            out.append(c)
        if len(grams) >= 2:
            if grams[-2:] in wmap:
                out.append(grams[-2:])
            if len(grams) >= 3 and grams in wmap:
                out.append(grams)
    return tuple(out)


def _word_grams(wmap: dict):
    cache = _WORD_GRAMS.get(id(wmap))
    if cache is None or cache[0] is not wmap:
        cache = _WORD_GRAMS[id(wmap)] = (wmap, {})
    memo = cache[1]

    def get(word: str, trailing_space: bool) -> tuple[str, ...]:
        key = (word, trailing_space)
        g = memo.get(key)
        if g is None:
            if len(memo) > 200_000:
                memo.clear()
            g = memo[key] = _grams(word, trailing_space, wmap)
        return g

    return get


_WORD_GRAMS: dict[int, tuple[dict, dict]] = {}


def clear_memos() -> None:
    """Forget the per-word n-grams (the char and vector tables are model data, kept)."""
    _WORD_GRAMS.clear()


class FastDetector(Detector):
    text: str  # set by Detector.__init__

    def append(self, text: str) -> None:
        # as Detector.append: URLs and mails blanked, Vietnamese normalised, cut to
        # max_text_length, then a space following a space dropped
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        text = text[: self.max_text_length]
        self.text += _SPACES.sub(" ", text)

    def cleaning_text(self) -> None:
        # as Detector.cleaning_text: when non-Latin chars outnumber twice the
        # 'A'..'z' ones, drop the latter. langdetect compares unicode_block()'s
        # int to a block *name*, so its exception for Latin Extended Additional
        # never applies: every char from U+0300 up counts as non-Latin.
        text = self.text
        if text.isascii():
            return
        if len(_LATIN.findall(text)) * 2 < len(_NON_LATIN.findall(text)):
            self.text = _LATIN.sub("", text)

    def _extract_ngrams(self) -> list[str]:
        # NGram.add_char's state machine restarts at every space (buffer " ",
        # capitals flag off), so the n-grams of the text are the n-grams of its
        # space-separated words, in order, each word adding its trailing-space
        # grams when a space follows it. Words repeat across texts: memoise them.
        words = self.text.translate(_NORMALISED).split(" ")
        grams_of = _word_grams(self.word_lang_prob_map)
        result: list[str] = []
        last = len(words) - 1
        for k, w in enumerate(words):
            if w:
                result.extend(grams_of(w, k < last))
        return result

    def _detect_block(self) -> None:
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        vectors = _vectors(self.word_lang_prob_map)
        wmap = self.word_lang_prob_map
        langprob = [0.0] * len(self.langlist)
        choice, conv, limit = self.random.choice, self.CONV_THRESHOLD, self.ITERATION_LIMIT
        self.random.seed(self.seed)
        for _ in range(self.n_trial):
            prob = np.array(self._init_probability(), dtype=np.float64)
            alpha = self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH
            weight = alpha / self.BASE_FREQ
            # langdetect tests convergence after iterations 0, 5, 10, ...: one pick,
            # then blocks of five, each pick multiplying in order (p *= weight + m)
            n_picks, i = 1, 0
            while True:
                for _k in range(n_picks):
                    g = choice(ngrams)
                    v = vectors.get(g)
                    if v is None:
                        v = vectors[g] = np.asarray(wmap[g], dtype=np.float64)
                    prob *= v + weight
                s = sum(prob.tolist())  # left-to-right, as sum() over langdetect's list
                prob /= s
                if max(0.0, float(prob.max())) > conv or i >= limit:
                    break
                n_picks = 5
                i += 5
            langprob = [lp + p / self.n_trial for lp, p in zip(langprob, prob.tolist())]
        self.langprob = langprob


class _Vectors(dict):
    """n-gram -> its language probabilities as a float64 array, converted once."""


def _vectors(wmap: dict) -> _Vectors:
    cache = _VECTORS.get(id(wmap))
    if cache is None or cache[0] is not wmap:
        cache = _VECTORS[id(wmap)] = (wmap, _Vectors())
    return cache[1]


_VECTORS: dict[int, tuple[dict, _Vectors]] = {}


SELF_CHECK = (
    "The river runs quietly past the old mill, and nobody noticed.",
    "Le chat dort sur le canapé depuis ce matin. 今日はとても良い天気ですね。",
    "NASA AND THE EU",
)


@functools.lru_cache(maxsize=1)
def _factory():
    init_factory()
    from langdetect import detector_factory

    return detector_factory._factory


def _probabilities(cls, factory, text: str, seed: int) -> list:
    DetectorFactory.seed = seed
    d = cls(factory)
    d.append(text)
    return [(p.lang, p.prob) for p in d.get_probabilities()]


@functools.lru_cache(maxsize=1)
def detector_class() -> type[Detector]:
    """FastDetector when it reproduces this langdetect exactly (checked once), else langdetect's own."""
    f = _factory()
    same = all(_probabilities(FastDetector, f, t, 0) == _probabilities(Detector, f, t, 0) for t in SELF_CHECK)
    return FastDetector if same else Detector


def detect(text: str, seed: int = 0) -> str:
    """langdetect.detect(text) with DetectorFactory.seed = seed; raises LangDetectException alike."""
    factory = _factory()
    if not factory.langlist:
        raise LangDetectException(ErrorCode.NeedLoadProfileError, "Need to load profiles.")
    cls = detector_class()
    DetectorFactory.seed = seed
    d = cls(factory)
    d.append(text)
    return d.detect()
