"""The fast langdetect subclass must give langdetect's own answers, to the last bit.

Compared on the probability lists (languages and float values), not only the
winner, so any change in the order of floating-point operations would show.
"""

from __future__ import annotations

import random

import pytest
from langdetect import DetectorFactory
from langdetect.detector import Detector
from langdetect.lang_detect_exception import LangDetectException

from pipeline.constraints import text
from pipeline.constraints.text.language import FastDetector, _factory
from tests.oracles import responses as gen

FIXED = [
    "The river runs quietly past the old mill.",
    "Le chat dort sur le canapé depuis ce matin.",
    "今日はとても良い天気ですね。カタカナ",
    "Сегодня хорошая погода",
    "آج موسم بہت اچھا ہے۔ ی",
    "Tiếng Việt có dấu",
    "ẠẢẤ ẦẨ",
    "NASA AND THE EU SIGNED THE DEAL",
    "mixed  spaces   and\ttabs\n\nnew   lines",
    "x",
    "Visit https://example.com/a?b=1 or mail me@example.org now please",
    "ț ș Romanian",
    "ㄅㄆㄇ 한국어 문장",
    "123 !!",
    "",
    "   ",
    "español, français, deutsch: ÄÖÜ ß ñ ç",
    "今日は東京タワー[x]^_` abc ẠẢ 天気",
    "Москва abc def Россия",
    "ab 東",
]


def _probabilities(cls, s: str):
    DetectorFactory.seed = 0
    d = cls(_factory())
    d.append(s)
    try:
        return [(lp.lang, lp.prob) for lp in d.get_probabilities()]
    except LangDetectException as e:
        return ("error", e.get_code())


def _cases() -> list[str]:
    rng = random.Random(11)
    out = list(FIXED)
    for _ in range(120):
        s = gen.response(rng)
        out.append(rng.choice([s, s.replace("*", ""), s.upper(), s[: rng.randint(1, 40)]]))
    return out


@pytest.mark.parametrize("chunk", range(4))
def test_probabilities_identical_to_langdetect(chunk: int) -> None:
    cases = _cases()[chunk::4]
    for s in cases:
        assert _probabilities(FastDetector, s) == _probabilities(Detector, s), s


def test_detect_language_matches_langdetect_detect() -> None:
    from langdetect import detect

    for s in FIXED[:12]:
        DetectorFactory.seed = 0
        try:
            want = detect(s)
        except LangDetectException:
            want = None
        assert text.detect_language(s) == want, s


def test_fast_detector_is_in_use() -> None:
    from pipeline.constraints.text.language import detector_class

    assert detector_class() is FastDetector


def test_long_text_is_cut_like_langdetect() -> None:
    s = ("Le chat dort. " * 400) + ("The dog runs. " * 900)
    assert _probabilities(FastDetector, s) == _probabilities(Detector, s)
