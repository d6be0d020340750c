"""Synthetic instruction-like corpora with planted near-duplicates.

Test and benchmark data, not pipeline code: the dedupe tests and `bench/bench_dedupe.py` need the same
realistic, reproducible input (10-80 word instructions, edited copies at known edit counts, and "hard
negatives" that share topic words but are not near-duplicates). Generating it in one place keeps the two
honest with each other.

The vocabulary is built from syllables so that a 500k corpus is not made of a
few hundred repeated words (which would make every pair look alike and the
benchmark meaningless); function words and instruction openers keep the
shape close to real prompts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

_OPENERS = [
    "Write",
    "Explain",
    "Describe",
    "Summarize",
    "Compose",
    "Draft",
    "Create",
    "List",
    "Outline",
    "Give",
    "Compare",
    "Translate",
    "Rewrite",
    "Analyze",
    "Plan",
    "Suggest",
]
_FUNCTION = [
    "the",
    "a",
    "of",
    "to",
    "and",
    "in",
    "for",
    "with",
    "about",
    "that",
    "on",
    "your",
    "is",
    "as",
    "by",
    "from",
    "at",
    "or",
    "it",
    "be",
    "this",
    "an",
    "should",
    "must",
]
_SYLLABLES = [
    "ka",
    "lo",
    "mi",
    "ter",
    "an",
    "ro",
    "vel",
    "sun",
    "dra",
    "pi",
    "mon",
    "tor",
    "el",
    "ba",
    "qui",
    "ne",
    "sol",
    "ar",
    "fen",
    "tu",
    "gri",
    "ox",
    "lam",
    "po",
    "cer",
    "dis",
    "ul",
    "ven",
    "hy",
    "mer",
    "ci",
    "nor",
    "ta",
    "bel",
    "zo",
    "ki",
    "pra",
    "sti",
    "um",
    "ga",
]
_PUNCT = [".", ",", ";", ":", "!", "?"]


def _vocab(rng: random.Random, size: int) -> list[str]:
    words: set[str] = set()
    while len(words) < size:
        words.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


@dataclass
class PlantedCorpus:
    """texts plus the planted structure: `origin[i]` is the base index text i was
    derived from (itself for bases and negatives), `kind[i]` says how."""

    texts: list[str] = field(default_factory=list)
    origin: list[int] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)


class _Maker:
    def __init__(self, seed: int, vocab_size: int = 20000, topics: int = 400):
        self.rng = random.Random(seed)
        vocab = _vocab(self.rng, vocab_size)
        # Each topic owns a small word pool, so texts of one topic share words.
        self.topics = [self.rng.sample(vocab, 30) for _ in range(topics)]
        self.vocab = vocab

    def sentence(self, n_words: int, topic: list[str]) -> list[str]:
        rng = self.rng
        words = [rng.choice(_OPENERS)]
        while len(words) < n_words:
            r = rng.random()
            if r < 0.35:
                words.append(rng.choice(_FUNCTION))
            elif r < 0.75:
                words.append(rng.choice(topic))
            else:
                words.append(rng.choice(self.vocab))
            if rng.random() < 0.06:
                words[-1] += rng.choice(_PUNCT)
        words[-1] += "."
        return words

    def typo(self, w: str) -> str:
        rng = self.rng
        if len(w) < 2:
            return w + rng.choice("abcdefgh")
        i = rng.randrange(len(w))
        op = rng.randrange(4)
        c = rng.choice("abcdefghijklmnopqrstuvwxyz")
        if op == 0:
            return w[:i] + c + w[i + 1 :]
        if op == 1:
            return w[:i] + w[i + 1 :]
        if op == 2:
            return w[:i] + c + w[i:]
        j = min(i + 1, len(w) - 1)
        return w[:i] + w[j] + w[i] + w[j + 1 :] if j != i else w

    def edit(self, words: list[str], n_edits: int, topic: list[str]) -> list[str]:
        rng = self.rng
        out = list(words)
        for _ in range(n_edits):
            op = rng.randrange(6)
            i = rng.randrange(len(out))
            if op == 0:
                out[i] = self.typo(out[i])
            elif op == 1 and len(out) > 2:
                j = min(i + 1, len(out) - 1)
                out[i], out[j] = out[j], out[i]
            elif op == 2:
                out[i] = out[i].rstrip(",.;:!?") + rng.choice(_PUNCT)
            elif op == 3:
                out[i] = out[i].upper() if rng.random() < 0.3 else out[i].capitalize()
            elif op == 4:
                out.insert(i, rng.choice(topic + _FUNCTION))
            elif len(out) > 3:
                del out[i]
        return out


def _geometric(rng: random.Random, mean: float) -> int:
    """Count with P(k) = (1-q) q^k and the given mean."""
    q = mean / (1.0 + mean)
    k = 0
    while rng.random() < q:
        k += 1
    return k


def planted_corpus(
    n: int,
    seed: int = 0,
    dup_rate: float = 0.3,
    negative_rate: float = 0.15,
    exact_rate: float = 0.05,
    topics: int = 400,
) -> PlantedCorpus:
    """Exactly n texts, shuffled: families of one base plus geometric numbers of
    edited copies (up to ~30% of words edited, spread across a 0.9 ratio),
    exact copies with case/space noise, and same-topic rewrites that keep
    roughly half the words (true negatives). The *_rate arguments are the
    expected shares of the corpus. Family sizes do not depend on n, so a larger
    corpus has more families, not bigger ones."""
    m = _Maker(seed, topics=topics)
    rng = m.rng
    base_rate = max(1e-9, 1.0 - dup_rate - negative_rate - exact_rate)
    rows: list[tuple[str, int, str]] = []  # (text, family-local origin row, kind)
    while len(rows) < n:
        topic = rng.choice(m.topics)
        words = m.sentence(rng.randint(10, 80), topic)
        b = len(rows)
        rows.append((" ".join(words), b, "base"))
        for _ in range(_geometric(rng, dup_rate / base_rate)):
            budget = max(1, int(len(words) * rng.uniform(0.02, 0.3)))
            rows.append((" ".join(m.edit(words, rng.randint(1, budget), topic)), b, "near"))
        for _ in range(_geometric(rng, exact_rate / base_rate)):
            text = " ".join(words)
            text = rng.choice([text, text.lower(), "  " + text + " ", text.replace(" ", "  ")])
            rows.append((text, b, "exact"))
        for _ in range(_geometric(rng, negative_rate / base_rate)):
            out = [w if rng.random() < 0.5 else rng.choice(topic + _FUNCTION) for w in words]
            rows.append((" ".join(out), len(rows), "negative"))
    rows = rows[:n]
    perm = list(range(n))
    rng.shuffle(perm)
    new_pos = {old: new for new, old in enumerate(perm)}
    c = PlantedCorpus()
    for old in perm:
        text, origin, kind = rows[old]
        c.texts.append(text)
        c.origin.append(new_pos.get(origin, -1))  # -1: base cut off by truncation
        c.kind.append(kind)
    return c


def instruction_texts(n: int, seed: int = 0, docs_per_topic: int = 125) -> list[str]:
    """n realistic instruction-like strings (10-80 words) with ~30% planted
    near/exact duplicates — the benchmark's input. The number of topics grows
    with n (about `docs_per_topic` texts share a 30-word topic pool), as in a
    real corpus; a fixed topic count would make every larger corpus
    quadratically more repetitive, which measures the generator, not dedupe."""
    return planted_corpus(n, seed=seed, topics=max(1, n // docs_per_topic)).texts
