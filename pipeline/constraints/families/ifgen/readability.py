"""ifgen readability bounds: the Flesch-Kincaid grade level of the response, at most or at least g.

Syllables come from `syllapy`; sentences are `_common.sentences` (markdown structure skipped). The two ids are
each other's inverse.
"""

from __future__ import annotations

import re

import syllapy

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import NO_CONFLICTS, Param, fails, passes
from . import define
from ._common import sentences

_SIMPLE = "The cat sat on the mat. It was a good cat. We fed it fish."
_HARD = (
    "Comprehensive institutional considerations necessitate substantial interdisciplinary deliberation. "
    "Organizational accountability mechanisms presuppose sophisticated administrative infrastructure."
)


def fk_grade(text: str) -> float | None:
    """Flesch-Kincaid grade level; None when the text has no words."""
    ws = re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)?", text)
    n_sent = max(1, len(sentences(text)))
    if not ws:
        return None
    syl = sum(max(1, syllapy.count(w)) for w in ws)
    return 0.39 * len(ws) / n_sent + 11.8 * syl / len(ws) - 15.59


def _grade_inverse(other: str):
    def inverse(p: dict) -> tuple[str, dict]:
        return other, {"grade": p["grade"]}

    return inverse


def reading_grade_max(response: str, grade: float) -> bool:
    g = fk_grade(response)
    return g is not None and g <= grade


define(
    "ifgen:reading_grade_max",
    category="readability",
    description="Flesch-Kincaid grade level at most g.",
    params=[Param("grade", "int", 4, 10, sample=S.choice((5, 6, 7, 8, 9)))],
    phrasings=[
        "Write at a reading level of grade {grade} or below (Flesch-Kincaid).",
        "Keep the text simple enough that its Flesch-Kincaid grade level is at most {grade}.",
        "Aim for plain language: the Flesch-Kincaid grade of your answer must not exceed {grade}.",
    ],
    check=reading_grade_max,
    tags=("english", "prose"),
    inverse=_grade_inverse("ifgen:reading_grade_min"),
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.Facts().need("grade", -F.INF, float(p["grade"])),
    examples=[
        passes(_SIMPLE, grade=5),
        fails(_HARD, grade=5),
        fails("123 456", "a text without words has no grade and fails", grade=5),
    ],
)


def reading_grade_min(response: str, grade: float) -> bool:
    g = fk_grade(response)
    return g is not None and g >= grade


define(
    "ifgen:reading_grade_min",
    category="readability",
    description="Flesch-Kincaid grade level at least g.",
    params=[Param("grade", "int", 8, 16, sample=S.choice((10, 11, 12, 13, 14)))],
    phrasings=[
        "Write for an advanced audience: a Flesch-Kincaid grade level of at least {grade}.",
        "Use sophisticated prose whose Flesch-Kincaid grade is {grade} or higher.",
        "The reading level (Flesch-Kincaid grade) of your response must be at least {grade}.",
    ],
    check=reading_grade_min,
    tags=("english", "prose"),
    inverse=_grade_inverse("ifgen:reading_grade_max"),
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=lambda p: F.Facts().need("grade", float(p["grade"])),
    examples=[
        passes(_HARD, grade=12),
        fails(_SIMPLE, grade=12),
    ],
)
