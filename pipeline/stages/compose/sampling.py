"""How compose picks constraints for one task: applicability, diversity, conflicts.

Pure functions over the registry and a seeded RNG, so they can be property
tested without an LLM: `draw_constraints` always terminates (bounded resamples,
a shrinking pool) and never returns a combination the conflict API rejects.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

from ...constraints import Constraint, all_constraints, conflicting_ids, find_conflicts

# MulDimIF-style difficulty levels -> how many constraints
LEVEL_COUNTS = {"L1": (1, 1), "L2": (2, 2), "L3": (3, 4), "L4": (5, 6)}

_STOP = frozenset(
    """a an the and or but of to in on for with about into from by at as is are be this that these those
your you my our their its it write create make give draft explain describe list provide compose prepare design
what which how why when who please short brief simple new one two three some each every using""".split()
)


@dataclass
class DrawResult:
    constraints: list[tuple[Constraint, dict[str, Any]]]
    target: int
    resamples: int = 0
    rejections: dict[str, int] = field(default_factory=dict)


def topic_words(text: str, limit: int = 12) -> list[str]:
    """Content words of the task text, used to choose natural keywords."""
    out: list[str] = []
    for w in re.findall(r"[A-Za-z]{4,}", text):
        lw = w.lower()
        if lw not in _STOP and lw not in out:
            out.append(lw)
    return out[:limit]


def applicable(c: Constraint, meta: dict[str, Any]) -> bool:
    """Whether a constraint suits a task's metadata (no 500-word minimum on a tweet)."""
    fmt = (meta.get("output_format") or "").lower()
    lang = (meta.get("language") or "en").lower()
    length = int(meta.get("expected_length") or 200)
    tags = c.tags
    if "code_only" in tags and fmt != "code":
        return False
    if fmt == "code" and ("no_code" in tags or "poetry" in tags):
        return False
    if "english" in tags and not lang.startswith("en"):
        return False
    if "long" in tags and length < 150:
        return False
    if "short" in tags and length > 150:
        return False
    if "json" in tags and fmt in ("poem", "email", "dialogue"):
        return False
    if "email" in tags and fmt not in ("email", "prose"):
        return False
    return True


def candidate_pool(meta: dict[str, Any], families: list[str], include_eval_only: bool) -> list[Constraint]:
    pool = []
    for c in all_constraints().values():
        if c.family not in families:
            continue
        if c.split == "eval_only" and not include_eval_only:
            continue
        if applicable(c, meta):
            pool.append(c)
    return sorted(pool, key=lambda c: c.id)


def target_count(rng: random.Random, lo: int, hi: int, weights: list[float] | None, level: str | None) -> int:
    if level:
        a, b = LEVEL_COUNTS[level]
        return rng.randint(a, b)
    options = list(range(lo, hi + 1))
    if weights and len(weights) == len(options):
        return rng.choices(options, weights=weights, k=1)[0]
    return rng.choice(options)


def _weight(c: Constraint, meta: dict[str, Any], cat_counts: dict[str, int]) -> float:
    w = 1.0 / (1 + 3 * cat_counts.get(c.category, 0))  # category diversity
    fmt = (meta.get("output_format") or "").lower()
    if fmt == "code" and "code" in c.tags:
        w *= 3
    if fmt == "poem" and "poetry" in c.tags:
        w *= 3
    if fmt == "email" and "email" in c.tags:
        w *= 3
    if fmt == "list" and "list" in c.tags:
        w *= 2
    if c.soft:
        w *= 0.3
    return w


def draw_constraints(
    rng: random.Random, pool: list[Constraint], target: int, ctx: dict[str, Any], max_resamples: int
) -> DrawResult:
    """Sample up to `target` mutually compatible constraints with bound parameters."""
    res = DrawResult([], target)
    chosen_ids: set[str] = set()
    blocked: set[str] = set()
    cat_counts: dict[str, int] = {}
    meta = ctx
    tries = 0
    while len(res.constraints) < target and tries < target + max_resamples:
        tries += 1
        options = [c for c in pool if c.id not in chosen_ids and c.id not in blocked]
        if not options:
            res.rejections["pool_exhausted"] = res.rejections.get("pool_exhausted", 0) + 1
            break
        c = rng.choices(options, weights=[_weight(o, meta, cat_counts) for o in options], k=1)[0]
        try:
            params = c.bind(rng, ctx)
        except Exception as e:  # a sampler that cannot serve this context: never use it for this task
            blocked.add(c.id)
            key = f"bind_error:{type(e).__name__}"
            res.rejections[key] = res.rejections.get(key, 0) + 1
            res.resamples += 1
            continue
        conflicts = find_conflicts([(k.id, p) for k, p in res.constraints] + [(c.id, params)])
        if conflicts:
            kind = conflicts[0].kind
            res.rejections[f"conflict_{kind}"] = res.rejections.get(f"conflict_{kind}", 0) + 1
            res.resamples += 1
            if kind == "id":
                blocked.add(c.id)
            continue
        res.constraints.append((c, params))
        chosen_ids.add(c.id)
        blocked |= conflicting_ids(c.id)
        cat_counts[c.category] = cat_counts.get(c.category, 0) + 1
    return res
