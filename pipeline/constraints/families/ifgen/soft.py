"""ifgen soft constraints: tone and audience, judged by an LLM rather than by a program.

They have no program check: `check` raises NotImplementedError and verify sends them to its LLM judge (tag and
flag `soft`). So they carry no examples and no parameter facts.
"""

from __future__ import annotations

from ...core.contract import NO_CONFLICTS
from . import define


def _judged_by_llm(cid: str):
    def check(response: str, **params) -> bool:
        raise NotImplementedError(
            f"{cid} is a soft constraint: it has no program check and must be judged by an LLM (verify's judge)"
        )

    return check


define(
    "ifgen:formal_tone",
    category="custom",
    description="A formal, professional register (judged by an LLM).",
    phrasings=[
        "Use a formal, professional tone throughout.",
        "Write in a formal register suitable for an official report.",
        "Keep the language formal: no slang, jokes or casual phrasing.",
    ],
    check=_judged_by_llm("ifgen:formal_tone"),
    tags=("soft", "english", "prose"),
    soft=True,
    conflicts=NO_CONFLICTS,
    groups=("english_only", "fits_data"),
    facts=None,
)


define(
    "ifgen:explain_to_child",
    category="custom",
    description="Understandable by a ten-year-old (judged by an LLM).",
    phrasings=[
        "Explain it so that a 10-year-old could understand.",
        "Pitch your explanation at a ten-year-old child: simple words, concrete examples.",
        "Write as if you were explaining this to a curious 10-year-old.",
    ],
    check=_judged_by_llm("ifgen:explain_to_child"),
    tags=("soft", "english", "prose"),
    soft=True,
    conflicts=NO_CONFLICTS,
    groups=("english_only",),
    facts=None,
)


define(
    "ifgen:persuasive_tone",
    category="custom",
    description="A persuasive piece that argues for a position (judged by an LLM).",
    phrasings=[
        "Write persuasively, arguing clearly for one position.",
        "Make your answer a persuasive argument that tries to convince the reader.",
        "Take a side and use persuasive language to win the reader over.",
    ],
    check=_judged_by_llm("ifgen:persuasive_tone"),
    tags=("soft", "prose"),
    soft=True,
    conflicts=NO_CONFLICTS,
    facts=None,
)
