"""Parameter samplers shared by the constraint families.

A sampler is `fn(rng, ctx) -> value`. `ctx` carries task metadata when compose
binds parameters: `expected_length` (words), `language` (ISO 639-1),
`topic_words` (words drawn from the task), `output_format`, `task_type`, plus
the values already bound for earlier parameters of the same constraint.
Length-aware samplers scale their ranges to `expected_length`, so a tweet never
gets a 500-word minimum.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping, Sequence
from typing import Any

Ctx = Mapping[str, Any]

# Plain, common English words that fit most topics; used when the task gives none.
GENERIC_KEYWORDS = (
    "balance clarity context detail evidence example focus future growth history impact journey lesson method "
    "moment network option pattern plan practice process progress purpose quality reason result risk routine "
    "season signal simple skill solution source strategy structure support system team value vision window "
    "river bridge garden market planet harbor lantern compass meadow summit canvas anchor orbit"
).split()

LANGUAGES = (
    "en",
    "es",
    "fr",
    "de",
    "it",
    "pt",
    "nl",
    "sv",
    "fi",
    "tr",
    "ru",
    "ar",
    "hi",
    "ja",
    "ko",
    "zh-cn",
    "vi",
    "th",
    "bn",
    "ta",
    "te",
    "mr",
    "gu",
    "kn",
    "pa",
    "ur",
    "fa",
    "sw",
    "pl",
    "bg",
)
LETTERS = tuple("abcdefghijklmnopqrstuvwxyz")


def expected_length(ctx: Ctx, default: int = 200) -> int:
    try:
        v = int(ctx.get("expected_length") or default)
    except (TypeError, ValueError):
        v = default
    return max(10, min(v, 3000))


def int_range(lo: int, hi: int) -> Callable[[random.Random, Ctx], int]:
    def sample(rng: random.Random, ctx: Ctx) -> int:
        return rng.randint(lo, hi)

    return sample


def choice(options: Sequence[Any]) -> Callable[[random.Random, Ctx], Any]:
    opts = tuple(options)

    def sample(rng: random.Random, ctx: Ctx) -> Any:
        return rng.choice(opts)

    return sample


def scaled_int(frac_lo: float, frac_hi: float, floor: int = 1, cap: int | None = None):
    """An int between frac_lo and frac_hi of the expected length (in words)."""

    def sample(rng: random.Random, ctx: Ctx) -> int:
        n = expected_length(ctx)
        lo = max(floor, int(n * frac_lo))
        hi = max(lo, int(n * frac_hi))
        if cap is not None:
            hi = min(hi, cap)
            lo = min(lo, hi)
        return rng.randint(lo, hi)

    return sample


def _pool(ctx: Ctx) -> list[str]:
    words = [w for w in (ctx.get("topic_words") or []) if isinstance(w, str) and w.isalpha() and len(w) > 3]
    return words or list(GENERIC_KEYWORDS)


def keyword(rng: random.Random, ctx: Ctx) -> str:
    """One keyword, preferring the task's own words; avoids words already bound."""
    taken = {str(v).lower() for v in ctx.values() if isinstance(v, str)}
    pool = [w for w in _pool(ctx) if w.lower() not in taken] or list(GENERIC_KEYWORDS)
    return rng.choice(pool).lower()


def keywords(lo: int = 1, hi: int = 3):
    def sample(rng: random.Random, ctx: Ctx) -> list[str]:
        pool = sorted({w.lower() for w in _pool(ctx)})
        if len(pool) < hi:
            pool = sorted(set(pool) | set(GENERIC_KEYWORDS))
        return rng.sample(pool, rng.randint(lo, hi))

    return sample


def language(rng: random.Random, ctx: Ctx) -> str:
    return rng.choice(LANGUAGES)


def letter(rng: random.Random, ctx: Ctx) -> str:
    return rng.choice(LETTERS)
