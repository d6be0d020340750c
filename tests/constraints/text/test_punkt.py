"""The faster punkt / Treebank / word tokenizers (text.punkt, text.word_tokens) give nltk's own output.

Compared against freshly built, unmodified nltk objects on generated responses,
their loose variants (first / last lines dropped, asterisks removed) and the
self-check texts, with every memo cleared first.
"""

from __future__ import annotations

import random

import nltk
import pytest
from nltk.tokenize import NLTKWordTokenizer, PunktTokenizer

from pipeline.constraints import text
from pipeline.constraints.core import registry
from pipeline.constraints.text import tokens
from pipeline.constraints.text.punkt import SELF_CHECK, MemoPunkt
from tests.constraints.families.ifbench import ifbench_cases
from tests.oracles import responses as gen

EXTRA = [
    "He said (\"Stop.\") and left. 'Fine.' she replied.\u201d Then: [done.] {ok.} Next -- one.",
    "Mr. and Mrs. Smith went to Washington D.C. on Jan. 5. They stayed... two nights? Yes!! OK.",
    "Line one.\nLine two\n\nLine three.   \n  \t Trailing.\x0b\x0cform feed. end",
    "1. First item.\n2. Second item.\n3) Third.\n- bullet. * star.",
    "\u00abBonjour.\u00bb Il part. \u2018Quoted.\u2019 Done.",
    "Field\x1cSep. Next\x1dOne.\x1e Done\x1f. End.",  # separators: stdlib re calls them spaces, regex not
    "CANNOT Gimme LEMME more'n wanna 'Twas gotta GONNA D'ye; \ufb01 cannot \u017f 'ti\u017f ok.",
    "It's 'quoted' -- isn't it?...  ''Yes'' \"ok\" can't won't gonna d'ye 'tis. [a] {b} <c> (d) e: f, g; @h #i",
]


def _texts() -> list[str]:
    rng = random.Random(5)
    out = list(SELF_CHECK) + EXTRA
    for i in range(150):
        r = gen.response(rng) if i % 2 else ifbench_cases.messy(rng)
        out.extend(registry.distinct_variants(r))
    return out


@pytest.fixture(scope="module")
def reference_punkt():
    tokens._nltk()
    return PunktTokenizer("english")


def test_fast_paths_are_on_with_this_nltk() -> None:
    from pipeline.constraints.text.punkt import bare_treebank

    assert tokens._punkt()._fast
    assert bare_treebank().fast


def test_sentences_identical_to_nltk(reference_punkt) -> None:
    text.clear_caches()
    ours = MemoPunkt("english")
    for s in _texts():
        assert ours.tokenize(s) == reference_punkt.tokenize(s), s
        assert list(ours.span_tokenize(s, realign_boundaries=False)) == list(
            reference_punkt.span_tokenize(s, realign_boundaries=False)
        ), s


def test_treebank_tokens_identical_to_nltk_word_tokenize() -> None:
    text.clear_caches()
    for s in _texts():
        assert text.treebank_tokens(s) == nltk.word_tokenize(s), s
    plain = NLTKWordTokenizer()
    for s in EXTRA:
        assert tokens._treebank_tokenizer().tokenize(s) == plain.tokenize(s)


def test_a_diverging_fast_path_is_switched_off() -> None:
    class Broken(MemoPunkt):
        def _spans(self, t):
            return [(0, len(t))]

    assert not Broken("english")._fast
    assert Broken("english").tokenize("One. Two.") == ["One.", "Two."]


def test_word_tokens_identical_to_nltk_regexp_tokenizer() -> None:
    from nltk.tokenize import RegexpTokenizer

    plain = RegexpTokenizer(r"\w+")
    text.clear_caches()
    extra = ["नमस्ते दुनिया", "ไทย ภาษา", "x² ½ Ⅻ a‿b e\u0301 café", "東京タワー abc", "snake_case 3.14 ü"]
    for s in _texts() + extra:
        assert text.word_tokens(s) == plain.tokenize(s), s
