"""Field validation and deterministic fallbacks for `expand`.

A small model often returns half-right JSON. Each field is checked on its own;
a field that is missing or implausible is derived from the seed text with plain
rules (keywords for the task type, explicit word counts, the seed's language
tag). The rules are crude on purpose: they only have to be sane and stable.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

OUTPUT_FORMATS = ("prose", "list", "code", "json", "email", "poem", "table", "dialogue", "short")

# (pattern in the seed text, task_type, output_format, expected_length)
_RULES: tuple[tuple[str, str, str, int], ...] = (
    (r"\bsubject line|\bheadline|\btitle\b|\bslogan|\btagline", "headline", "short", 12),
    (r"\btweet|\bsocial media post|\bcaption|\binstagram|\blinkedin post", "social post", "short", 50),
    (r"\bhaiku", "poem", "poem", 20),
    (r"\bpoem|\bsonnet|\blimerick|\bverse|\blyrics|\bpoema|\bgedicht|\bpoème", "poem", "poem", 120),
    (
        r"\bsql\b|\bquery\b|\bregex|\bfunction\b|\bscript\b|\bcode\b|\bpython\b|\bjavascript\b|\bbash\b|\bclass\b",
        "code",
        "code",
        150,
    ),
    (r"\bjson\b|\byaml\b|\bschema\b", "structured data", "json", 120),
    (r"\btable\b|\bcompare\b|\bcomparison\b", "comparison", "table", 200),
    (r"\bemail\b|\be-mail\b|\bletter\b|\bcorreo\b|\bcourriel\b", "email", "email", 180),
    (r"\blist\b|\bchecklist\b|\btips\b|\bideas\b|\bsteps\b|\bagenda\b", "list", "list", 180),
    (r"\bdialogue\b|\bconversation\b|\bscript for\b|\binterview\b", "dialogue", "dialogue", 300),
    (r"\bessay\b|\barticle\b|\bblog post\b|\breport\b|\bstory\b|\btutorial\b", "essay", "prose", 600),
    (r"\bsummar", "summary", "prose", 150),
    (r"\bexplain\b|\bdescribe\b|\bwhy\b|\bhow\b", "explanation", "prose", 250),
    (r"\bplan\b|\bstrategy\b|\broadmap\b|\bschedule\b", "plan", "list", 300),
)

_DOMAINS = {
    "code": "software",
    "data": "data analysis",
    "email": "communication",
    "business": "business",
    "science": "science",
    "education": "education",
    "advice": "personal advice",
    "creative": "creative writing",
    "writing": "writing",
    "analysis": "analysis",
    "poetry": "creative writing",
    "social": "marketing",
}

_SKILLS = {
    "code": ["programming", "precision"],
    "email": ["tone", "clarity"],
    "poem": ["imagery", "rhythm"],
    "essay": ["argument", "structure"],
    "summary": ["condensing", "accuracy"],
    "list": ["organisation"],
    "explanation": ["clarity", "domain knowledge"],
    "plan": ["planning", "prioritisation"],
}

# Free-form constraints a short function can check, by output format (used only when the LLM gave too few).
_FREEFORM = {
    "code": [
        "Include at least one comment line.",
        "Do not use the word 'simply'.",
        "Keep every line under 100 characters.",
    ],
    "poem": [
        "Every line must start with a capital letter.",
        "Do not use the word 'love'.",
        "Include at least one question.",
    ],
    "email": ["Start with a greeting line.", "Mention a specific date.", "Do not use exclamation marks."],
    "short": ["Use no more than 15 words.", "Do not use the letter 'z'.", "End with a period."],
}
_FREEFORM_DEFAULT = [
    "Mention at least two concrete numbers.",
    "Do not use the word 'very'.",
    "Include at least one question.",
    "End with a one-sentence summary starting with 'In short'.",
]

_LEN_RE = re.compile(r"(\d{2,4})\s*(?:-|\s)?\s*(?:word|palabra|mot|wort|parole)", re.I)


def _rule(text: str) -> tuple[str, str, int] | None:
    low = text.lower()
    for pat, task_type, fmt, length in _RULES:
        if re.search(pat, low):
            return task_type, fmt, length
    return None


def fb_task_type(seed: dict, meta: dict) -> str:
    r = _rule(seed["text"])
    return r[0] if r else "response"


def fb_output_format(seed: dict, meta: dict) -> str:
    r = _rule(seed["text"])
    return r[1] if r else "prose"


def fb_expected_length(seed: dict, meta: dict) -> int:
    m = _LEN_RE.search(seed["text"])
    if m:
        return max(5, min(int(m.group(1)), 3000))
    r = _rule(seed["text"])
    return r[2] if r else 200


def fb_domain(seed: dict, meta: dict) -> str:
    return _DOMAINS.get((seed.get("category") or "").lower(), (seed.get("category") or "general").lower())


def fb_skills(seed: dict, meta: dict) -> list[str]:
    return list(_SKILLS.get(meta.get("task_type", ""), ["clarity", "relevance"]))


def fb_audience(seed: dict, meta: dict) -> str:
    return "general reader"


def fb_language(seed: dict, meta: dict) -> str:
    return (seed.get("language") or "en").lower()


def fb_freeform(seed: dict, meta: dict) -> list[str]:
    return list(_FREEFORM.get(meta.get("output_format", ""), _FREEFORM_DEFAULT))


FIELD_FALLBACKS: dict[str, Callable[[dict, dict], Any]] = {
    "domain": fb_domain,
    "task_type": fb_task_type,
    "skills": fb_skills,
    "audience": fb_audience,
    "expected_length": fb_expected_length,
    "output_format": fb_output_format,
    "language": fb_language,
    "freeform_constraints": fb_freeform,
}


def _short_text(v: Any, max_len: int = 60) -> str | None:
    if isinstance(v, str):
        v = " ".join(v.split())
        if 2 <= len(v) <= max_len:
            return v.lower()
    return None


def coerce_field(name: str, value: Any, seed: dict) -> Any:
    """The field's value if plausible, else None (the caller falls back)."""
    if value is None:
        return None
    if name in ("domain", "task_type"):
        return _short_text(value)
    if name == "audience":
        return _short_text(value, 80)
    if name == "skills":
        if isinstance(value, str):
            value = [value]
        if isinstance(value, list):
            out = [s for s in (_short_text(x, 40) for x in value) if s]
            return out[:4] or None
        return None
    if name == "expected_length":
        try:
            n = int(float(value))
        except (TypeError, ValueError):
            return None
        return n if 5 <= n <= 3000 else None
    if name == "output_format":
        v = _short_text(value)
        return v if v in OUTPUT_FORMATS else None
    if name == "language":
        v = _short_text(value, 8)
        seed_lang = (seed.get("language") or "").lower()
        if v is None or not re.fullmatch(r"[a-z]{2}(-[a-z]{2})?", v):
            return None
        return seed_lang if seed_lang and seed_lang != v else v  # the loader's tag wins over the model's
    if name == "freeform_constraints":
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            return None
        out = []
        for x in value:
            if isinstance(x, str):
                x = " ".join(x.split())
                if 8 <= len(x) <= 200 and x not in out:
                    out.append(x)
        return out or None
    return value
