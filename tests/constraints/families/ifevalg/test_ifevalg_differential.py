"""Differential test: the IFEvalG blocks (pipeline/constraints/families/ifevalg) against the independent harness
in tests/oracles/ifevalg_harness.py, strict and loose, over seeded generated cases.

Generators aim at the edges of each rule (near-misses, case changes, separators
with stray spaces, abbreviations that fool the sentence splitter) and each id
must produce both verdicts, so agreement is not agreement on "always False".
"""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.constraints import all_constraints, check, check_loose
from pipeline.constraints.families.ifevalg._text import split_sentences_g
from pipeline.constraints.families.ifevalg.copying import PHRASES
from tests.oracles import ifevalg_harness as H

IDS = [cid for cid, c in all_constraints().items() if c.family == "ifevalg"]
CASES_PER_ID = 150

WORDS = [
    "the",
    "sun",
    "River",
    "river",
    "cat",
    "category",
    "level",
    "noon",
    "I",
    "a",
    "blue",
    "Blue",
    "tea",
    "Tea",
    "home",
    "done",
    "today",
    "Today",
    "moon",
    "star",
    "apple",
    "bread",
    "can't",
    "well",
    "Well",
    "zebra",
    "quiet",
    "café",
    "Éclair",
]
TRICKY = [
    "Mr.",
    "Dr.",
    "Mrs.",
    "St.",
    "e.g.",
    "i.e.",
    "U.S.",
    "U.S.A.",
    "A.",
    "3.14",
    "1.2.3",
    "...",
    "Inc.",
    "Co.",
    "Ph.D.",
    "site.com",
    "x.me",
    "He",
    "She",
    "It",
    "However",
    "This",
    "We",
]
ENDS = (".", ".", "!", "?", "", ",", '."', "...")
PROMPTS = ("Write a haiku about autumn leaves.", "List three uses of honey!", "Explain tides to a child, briefly.")


def word(rng, tricky=0.15):
    return rng.choice(TRICKY) if rng.random() < tricky else rng.choice(WORDS)


def sentence(rng, first=None, last=None, n=None, end=None, tricky=0.15):
    ws = [word(rng, tricky) for _ in range(n if n is not None else rng.randint(1, 6))]
    if first is not None:
        ws[0] = first
    if last is not None:
        ws[-1] = last
    return " ".join(ws) + (end if end is not None else rng.choice(ENDS))


def text(rng, k=None, joiners=(" ", " ", "\n", "\n\n", "  ")):
    parts = [sentence(rng) for _ in range(k or rng.randint(1, 4))]
    out = parts[0]
    for p in parts[1:]:
        out += rng.choice(joiners) + p
    return out


def frame(rng, body):
    """Sometimes add a first line / last line / asterisks, which loose scoring strips."""
    r = rng.random()
    if r < 0.15:
        return "Sure, here it is:\n" + body
    if r < 0.25:
        return body + "\nHope this helps!"
    if r < 0.32:
        return "**" + body + "**"
    return body


def case_variant(rng, s):
    return rng.choice([s, s, s.lower(), s.upper(), s.capitalize()])


def g_repeat_phrase(rng):
    phrase = rng.choice(PHRASES)
    n = rng.randint(1, 3)
    ref = phrase.split()
    copies = []
    for _ in range(max(0, n + rng.choice([0, 0, 0, -1, 1]))):
        ws = list(ref)
        kind = rng.random()
        if kind < 0.6:
            ws[rng.randrange(1, len(ws) - 1)] = rng.choice(WORDS)
        elif kind < 0.7:
            for i in rng.sample(range(1, len(ws) - 1), 2):
                ws[i] = "zzz"
        elif kind < 0.8:
            ws.insert(2, "very")
        elif kind < 0.9:
            ws[0] = ws[0].lower()
        copies.append(" ".join(ws))
    body = rng.choice([". ", "\n", " and "]).join(copies) or text(rng)
    return {"phrase": phrase, "small_n": n}, frame(rng, body)


def g_copy(rng):
    p = rng.choice(PROMPTS)
    r = rng.choice([p, case_variant(rng, p), "  " + p + "\n", p[:-1], p + " Sure!", "Answer: " + p, text(rng)])
    return {"prompt_to_repeat": p}, frame(rng, r)


def g_copy_span(rng):
    p = rng.choice(PROMPTS)
    a = rng.randint(1, len(p) - 3)
    b = rng.randint(a + 1, len(p))
    r = rng.choice([p[a:b], case_variant(rng, p[a:b]), p[a : b + 1], p[a - 1 : b], " " + p[a:b] + " ", p])
    return {"prompt_to_repeat": p, "n_start": a, "n_end": b}, frame(rng, r or "x")


def g_copying_multiple(rng):
    p, n = rng.choice(PROMPTS), rng.randint(2, 3)
    pieces = [rng.choice([p, p, case_variant(rng, p), p + " extra"]) for _ in range(n + rng.choice([0, 0, 1, -1]))]
    sep = rng.choice(["******", "\n******\n", " ****** ", "*******"])
    return {"prompt_to_repeat": p, "N": n}, frame(rng, sep.join(pieces) or p)


def g_hyphens(rng):
    parts = [sentence(rng, end=rng.choice([".", "!", "?", "."])) for _ in range(rng.randint(1, 4))]
    if rng.random() < 0.2:
        parts[0] = "well-known " + parts[0]
    return {}, frame(rng, rng.choice(["-", "-", " - ", "- ", " "]).join(parts))


def g_adjacent(rng):
    vocab = [
        "apple",
        "banana",
        "cherry",
        "dog",
        "egg",
        "fig",
        "grape",
        "hat",
        "ice",
        "jam",
        "kite",
        "lemon",
        "1",
        "2",
        "(",
        ")",
        "Zoo",
    ]
    return {}, frame(rng, " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 6))))


def g_brackets(rng):
    toks = [f"[{w}]" if rng.random() < 0.92 else w for w in text(rng, 1).split()]
    return {}, frame(rng, " ".join(toks))


def _with_keyword(rng, kw):
    pieces = [sentence(rng) for _ in range(rng.randint(1, 3))]
    for _ in range(rng.choice([0, 1, 1, 2, 3])):
        i = rng.randrange(len(pieces))
        pieces[i] = pieces[i] + " " + rng.choice([kw, kw.upper(), kw.capitalize(), kw + "s", "un" + kw])
    return " ".join(pieces)


def g_word_once(rng):
    kw = rng.choice(["tea", "cat", "home", "star"])
    return {"keyword": kw}, frame(rng, _with_keyword(rng, kw))


def g_word_count(rng):
    kw = rng.choice(["tea", "cat", "home", "star"])
    params = {"keyword": kw, "frequency": rng.randint(1, 3), "relation": rng.choice(["less than", "at least"])}
    return params, frame(rng, _with_keyword(rng, kw))


def g_exclude(rng):
    kw = rng.choice(["tea", "cat", "home"])
    body = text(rng) + rng.choice(["", f" {kw} ", f" {kw}.", f"{kw} x", f" {kw.upper()} ", f"\n{kw} "])
    return {"keyword": kw}, frame(rng, body)


def _blocks(rng, seps):
    blocks = [text(rng, rng.randint(1, 2), joiners=(" ", "\n")) for _ in range(rng.randint(1, 3))]
    body = rng.choice(seps).join(blocks)
    if rng.random() < 0.2:
        body = rng.choice(seps) + body
    if rng.random() < 0.2:
        body = body + rng.choice(seps)
    return body


def g_paragraphs(rng):
    return {}, frame(rng, _blocks(rng, ["\n***\n", " *** ", "***", "  ***  ", "\t***\n", "\n****\n", "* * *"]))


def g_paragraphs2(rng):
    return {}, frame(rng, _blocks(rng, ["\n\n", "\n\n", "\n", "\n\n\n", "\n\n\n\n", " \n\n "]))


def _word_sentences(rng, key, where):
    out = []
    for _ in range(rng.randint(1, 4)):
        w = case_variant(rng, key) if rng.random() < 0.85 else rng.choice(WORDS)
        if where == "first":
            out.append(sentence(rng, first=w + rng.choice(["", "", ","])))
        else:
            out.append(sentence(rng, last=w + rng.choice(["", "", ")"]), end=rng.choice([".", "!", "?", ""])))
    return " ".join(out)


def g_first_sent(rng):
    return {"first_word": "today"}, frame(rng, _word_sentences(rng, "today", "first"))


def g_first_answer(rng):
    return {"first_word": "Sure"}, frame(rng, _word_sentences(rng, "sure", "first"))


def g_last_sent(rng):
    return {"last_word": "home"}, frame(rng, _word_sentences(rng, "home", "last"))


def g_last_answer(rng):
    return {"last_word": "done"}, frame(rng, _word_sentences(rng, "done", "last"))


def g_bigram(rng):
    ws = text(rng, 1).split()
    out = []
    for i in range(0, len(ws) - 1, 2):
        out.append(f"<<{ws[i]} {ws[i + 1]}>>" if rng.random() < 0.9 else f"{ws[i]} {ws[i + 1]}")
    if len(ws) % 2:
        out.append(ws[-1])
    return {}, frame(rng, " ".join(out))


def g_plain(rng):
    return {}, frame(rng, text(rng) if rng.random() < 0.6 else sentence(rng, end=rng.choice([",", ""]), tricky=0))


def g_lowercase(rng):
    ws = [w.upper() if rng.random() < 0.75 else w for w in text(rng).split()]
    return {"N": rng.randint(0, 4)}, frame(rng, " ".join(ws + rng.choice([[], ["café"], ["don't"]])))


def g_letters(rng):
    body = text(rng, rng.randint(1, 2))
    n = sum(c.isascii() and c.isalpha() for c in body) + rng.randint(-2, 2)
    return {"N": max(1, n), "relation": rng.choice(["less than", "at least"])}, frame(rng, body)


def g_letters2(rng):
    body, letter = text(rng), rng.choice("aeiost")
    n = body.lower().count(letter) + rng.randint(-1, 1)
    return {"letter": letter, "let_frequency": max(1, n), "let_relation": rng.choice(["less than", "at least"])}, frame(
        rng, body
    )


def g_composition(rng):
    n_sent, n_words = rng.randint(2, 3), rng.randint(3, 4)
    clean = rng.random() < 0.5  # half the cases are built to pass, half get one kind of damage
    plain = [w for w in WORDS if w.isalpha()]

    def sent():
        k = n_words - 1 + (0 if clean or rng.random() < 0.8 else 1)
        return " ".join(rng.choice(plain) if clean else word(rng, 0.03) for _ in range(k)) + "."

    paras = [
        " ".join(sent() for _ in range(n_sent + (0 if clean or rng.random() < 0.8 else rng.choice([-1, 1]))))
        for _ in range(3 if clean else rng.choice([3, 3, 2, 4]))
    ]
    body = rng.choice(["\n***\n", " *** ", "***"] if clean else ["\n***\n", "* * *", "\n\n"]).join(paras)
    return {"n_sent": n_sent, "n_words": n_words}, frame(rng, body)


def g_unique(rng):
    vocab = ["alpha", "beta", "gamma", "delta", "Alpha", "eta", ",", ".", "!"]
    return {}, frame(rng, " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 4))))


def g_increment(rng):
    body = sentence(rng)
    for kw, k in (("moon", rng.choice([0, 1, 1, 2])), ("star", rng.choice([1, 2, 2, 3]))):
        for _ in range(k):
            body += " " + rng.choice([kw, kw.capitalize(), kw + "light"])
    return {"keyword1": "moon", "keyword2": "star"}, frame(rng, body)


def g_palindrome(rng):
    vocab = ["level", "Level", "noon", "stats", "hello", "world", "racecar", "abc", "I", "a"]
    return {}, frame(rng, " ".join(rng.choice(vocab) for _ in range(rng.randint(1, 3))))


def g_position(rng):
    n, m = rng.randint(1, 3), rng.randint(1, 3)
    sents = []
    for i in range(rng.randint(1, 4)):
        s = [word(rng, 0.05) for _ in range(rng.randint(1, 5))]
        if i == n - 1 and rng.random() < 0.7:
            while len(s) < m:
                s.append(word(rng, 0))
            s[m - 1] = rng.choice(["blue", "blue", "Blue"])
        sents.append(" ".join(s) + rng.choice([".", "!", "?"]))
    return {"keyword": "blue", "n": n, "m": m}, frame(rng, " ".join(sents))


def g_start_end(rng):
    first = rng.choice(["Well", "Today", "Hello"])
    body = sentence(rng, first=first, end="") + " " + rng.choice([first, first.lower(), first + ".", "other"])
    return {}, frame(rng, body)


GENERATORS = {
    "copy:repeat_phrase": g_repeat_phrase,
    "copy:copy": g_copy,
    "new:copy_span_idx": g_copy_span,
    "detectable_format:sentence_hyphens": g_hyphens,
    "keywords:no_adjacent_consecutive": g_adjacent,
    "detectable_format:square_brackets": g_brackets,
    "keywords:word_once": g_word_once,
    "keywords:word_count_different_numbers": g_word_count,
    "keywords:exclude_word_harder": g_exclude,
    "paragraphs:paragraphs": g_paragraphs,
    "paragraphs:paragraphs2": g_paragraphs2,
    "first_word:first_word_sent": g_first_sent,
    "first_word:first_word_answer": g_first_answer,
    "last_word:last_word_sent": g_last_sent,
    "last_word:last_word_answer": g_last_answer,
    "detectable_format:bigram_wrapping": g_bigram,
    "copy:copying_simple": g_copy,
    "copy:copying_multiple": g_copying_multiple,
    "punctuation:punctuation_dot": g_plain,
    "punctuation:punctuation_exclamation": g_plain,
    "count:lowercase_counting": g_lowercase,
    "letters:letter_counting": g_letters,
    "letters:letter_counting2": g_letters2,
    "count:counting_composition": g_composition,
    "count:count_unique": g_unique,
    "count:count_increment_word": g_increment,
    "keywords:palindrome": g_palindrome,
    "keywords:keyword_specific_position": g_position,
    "keywords:start_end": g_start_end,
}


def test_every_id_has_a_generator_and_a_harness_rule():
    assert set(GENERATORS) == set(IDS) == set(H.RULES)


@pytest.mark.parametrize("cid", IDS)
def test_matches_harness_strict_and_loose(cid):
    rng = random.Random(f"ifevalg:{cid}")
    strict_seen, loose_seen = set(), set()
    for _ in range(CASES_PER_ID):
        params, response = GENERATORS[cid](rng)
        want = H.strict(cid, response, params)
        assert check(cid, response, params) == want, ("strict", response, params)
        want_loose = H.loose(cid, response, params)
        assert check_loose(cid, response, params) == want_loose, ("loose", response, params)
        strict_seen.add(want)
        loose_seen.add(want_loose)
    assert strict_seen == {True, False}, f"{cid}: generator only produced {strict_seen}"


SPLITTER_TOKENS = TRICKY + list(WORDS) + ['"', "\u201d", "!", "?", ".", "..", "-", "\t", "Jr.", "Prof", "They"]


@settings(max_examples=400, deadline=None, derandomize=True)
@given(
    st.lists(
        st.tuples(st.sampled_from(SPLITTER_TOKENS), st.sampled_from([" ", " ", "", "\n", "  ", "\t"])), max_size=14
    )
)
def test_sentence_splitter_matches_harness(pieces):
    t = "".join(a + b for a, b in pieces)
    assert split_sentences_g(t) == H.sentences(t)
