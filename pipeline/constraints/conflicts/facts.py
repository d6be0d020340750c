"""What a bound instruction demands of the response, as comparable facts.

Each constraint's block may declare `facts=lambda p: ...` (a function of its bound parameters) returning `Facts`;
the rules in `conflicts/rules.py` compare two items' facts:
  counts   feature -> (lo, hi): words, chars, sentences, paragraphs, lines,
           questions, emoji, grade, "kw:<word>", "letter:<x>", "char:<class>" ...
           A ban is the range (0, 0); a requirement is (1, inf) or tighter.
  start / end  anchors the first / last characters: a literal phrase, a word,
           a single closing mark ("" = a bare word, nothing after it) or a block
           (postscript, TL;DR line, sign-off) that must sit there.
  body     "json" / "yaml" / "csv" when the whole response is data.
  decor    True when the item adds text outside such a body (title, P.S., ...).
  values   parameter -> value for a parameter that names one property of the whole response (its language,
           its end phrase): the same id twice with different values cannot both hold.
The builders below (`counted`, `bans`, `needs`, ...) cover the common shapes, so most blocks need one line.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..core.contract import Constraint

INF = float("inf")
Range = tuple[float, float]


@dataclass(frozen=True)
class Anchor:
    kind: str  # "phrase" | "word" | "mark" | "block"
    text: str
    ci: bool = True  # compared case-insensitively


@dataclass
class Facts:
    counts: dict[str, Range] = field(default_factory=dict)
    start: list[Anchor] = field(default_factory=list)
    end: list[Anchor] = field(default_factory=list)
    body: str | None = None
    decor: bool = False
    values: dict[str, Any] = field(default_factory=dict)

    def need(self, feature: str, lo: float, hi: float = INF) -> Facts:
        old = self.counts.get(feature, (-INF, INF))
        self.counts[feature] = (max(old[0], lo), min(old[1], hi))
        return self


Extractor = Callable[[dict], Facts]


def rel(n: Any, relation: Any) -> Range:
    """IFEval relation as a closed integer range: at least n -> [n, inf); less than n -> [0, n-1]."""
    n = int(n)
    return (n, INF) if relation == "at least" else (0, n - 1)


def literal(f: Facts, text: str, case_sensitive: bool) -> Facts:
    """Characters a verbatim string forces into the response."""
    for ch in str(text):
        if ch.isdigit():
            f.need("char:digit", 1)
        elif ch.isalpha():
            if case_sensitive and ch.isupper():
                f.need("char:upper", 1)
            elif case_sensitive and ch.islower():
                f.need("char:lower", 1)
        elif not ch.isspace():
            f.need("char:" + ch, 1)
    return f


def kw(f: Facts, word: Any, lo: float, hi: float = INF) -> Facts:
    """Occurrences of one keyword."""
    return f.need("kw:" + str(word).strip().lower(), lo, hi)


def each_kw(f: Facts, words: Any, lo: float, hi: float = INF) -> Facts:
    """Occurrences of every keyword of a list (or of one string)."""
    for w in [words] if isinstance(words, str) else list(words or ()):
        kw(f, w, lo, hi)
    return f


FIRST_PERSON = ("i", "me", "my", "mine", "myself", "we", "us", "our", "ours", "ourselves")
SECOND_PERSON = ("you", "your", "yours", "yourself", "yourselves")


def counted(feature: str, n_key: str, rel_key: str | None = None, char: str | None = None) -> Extractor:
    """A count feature from `n_key` (exact, or with a relation) plus the char it needs when > 0."""

    def ex(p: dict) -> Facts:
        n = int(p[n_key])
        lo, hi = rel(n, p[rel_key]) if rel_key else (n, n)
        f = Facts().need(feature, lo, hi)
        return f.need("char:" + char, 1) if char and lo >= 1 else f

    return ex


def bans(*features: str) -> Extractor:
    """Each feature must not occur at all."""

    def ex(p: dict) -> Facts:
        f = Facts()
        for feat in features:
            f.need(feat, 0, 0)
        return f

    return ex


def needs(*features: str, **extra: int) -> Extractor:
    """Each feature at least once (or at least the given number of times)."""

    def ex(p: dict) -> Facts:
        f = Facts()
        for feat in features:
            f.need(feat, 1)
        for feat, n in extra.items():
            f.need(feat, n)
        return f

    return ex


def word_ban(words: tuple[str, ...]) -> Extractor:
    """None of these words may occur (e.g. first-person pronouns)."""

    def ex(p: dict) -> Facts:
        f = Facts()
        for w in words:
            kw(f, w, 0, 0)
        return f

    return ex


def word_anchor(where: str, key: str) -> Extractor:
    """The response starts / ends (`where`) with the word bound to `key`, which therefore occurs."""

    def ex(p: dict) -> Facts:
        f = kw(Facts(), p[key], 1)
        getattr(f, where).append(Anchor("word", str(p[key]).strip()))
        return f

    return ex


def one_value(key: str, extractor: Extractor | None = None) -> Extractor:
    """Facts naming the bound `key` as the one value of a whole-response property (plus `extractor`'s facts)."""

    def ex(p: dict) -> Facts:
        f = extractor(p) if extractor else Facts()
        f.values[key] = p.get(key)
        return f

    return ex


def facts_for(c: Constraint, params: dict | None) -> Facts:
    """Facts of one bound item; a constraint that declares none demands nothing the rules compare."""
    if not c.facts:
        return Facts()
    p = {k: v for k, v in (params or {}).items() if v is not None}
    try:
        f = c.facts(p)
    except KeyError as e:
        raise ValueError(f"{c.id}: parameter {e.args[0]!r} missing, cannot check conflicts") from None
    except (TypeError, ValueError) as e:
        raise ValueError(f"{c.id}: bad parameter value in {p!r}: {e}") from None
    total = sum(lo for feat, (lo, _) in f.counts.items() if feat.startswith("kw:") and lo > 0)
    if total:
        f.need("kw_total", total)
    return f
