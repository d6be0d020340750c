"""Parameter-level conflicts: rules that compare what two bound items demand of the response.

After binding, each item becomes `Facts` (its block's `facts` function, conflicts/facts.py) and every rule here
compares two items' facts — e.g. all lowercase vs. at least one capital word, a keyword both required and
forbidden, 300+ words in at most 500 characters, 4 paragraphs in 2 sentences, an end phrase vs. a closing
quotation mark. Rules are data: a name, a test and a reason template.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .facts import INF, Anchor, Facts


@dataclass(frozen=True)
class Item:
    id: str
    params: dict
    facts: Facts


@dataclass(frozen=True)
class Rule:
    """`test(a, b)` returns template fields when item a's demands clash with item b's, else None.
    Rules are tried in both orders, so a rule only needs to look one way."""

    name: str
    test: Callable[[Item, Item], dict | None]
    reason: str


LABELS = {
    "words": "words",
    "chars": "characters",
    "sentences": "sentences",
    "paragraphs": "paragraphs",
    "lines": "lines",
    "questions": "questions",
    "emoji": "emoji",
    "grade": "reading grade",
    "letters": "letters",
    "capwords": "all-capital words",
    "headings": "headings",
    "bullets": "bullet points",
    "hashtags": "hashtags",
    "bold": "bold spans",
    "quotes": "quoted passages",
    "steps": "numbered steps",
    "kw_total": "keyword occurrences",
    "max_word_repeat": "repetitions of one word",
    "char:upper": "uppercase letters",
    "char:lower": "lowercase letters",
    "char:digit": "digits",
}


def label(feature: str) -> str:
    if feature in LABELS:
        return LABELS[feature]
    kind, _, what = feature.partition(":")
    return {"kw": f"occurrences of '{what}'", "letter": f"letter '{what}'", "char": f"'{what}' characters"}.get(
        kind, feature
    )


def _num(x: float) -> str:
    return "unbounded" if x == INF else str(int(x)) if float(x).is_integer() else f"{x:g}"


def _range_clash(a: Item, b: Item) -> dict | None:
    for feat, (lo, _) in a.facts.counts.items():
        hi = b.facts.counts.get(feat, (-INF, INF))[1]
        if lo > hi:
            return {"what": label(feat), "lo": _num(lo), "hi": _num(hi)}
    return None


# (needed feature, bounding feature, units of the bound per unit needed, why). A conflict when
# lo(needed) * per_unit > hi(bound). Prefix "letter:" / "kw:" matches every feature of that kind.
CROSS_BOUNDS: tuple[tuple[str, str, float, str], ...] = (
    ("words", "chars", 2, "each word takes a character and a space"),
    ("sentences", "words", 1, "every sentence needs a word"),
    ("sentences", "chars", 2, "every sentence needs a character and an end mark"),
    ("paragraphs", "sentences", 1, "every paragraph needs a sentence"),
    ("paragraphs", "words", 1, "every paragraph needs a word"),
    ("paragraphs", "lines", 1, "every paragraph needs a line"),
    ("lines", "chars", 1, "every line needs a character"),
    ("questions", "sentences", 1, "every question is a sentence"),
    ("hashtags", "words", 1, "every hashtag is a word"),
    ("kw_total", "words", 1, "every keyword occurrence is a word"),
    ("kw:", "max_word_repeat", 1, "a keyword repeated more often than any word may repeat"),
    ("letter:", "chars", 1, "every letter is a character"),
    ("letter:", "words", 1 / 3, "ordinary words hold at most about three of one letter"),
    ("letters", "chars", 1, "every letter is a character"),
    ("emoji", "chars", 1, "every emoji is a character"),
    ("chars", "words", 1 / 25, "that many characters in so few words needs words of 25+ characters"),
)


def _cross_bound(a: Item, b: Item) -> dict | None:
    for need, bound, per_unit, why in CROSS_BOUNDS:
        hi = b.facts.counts.get(bound, (0, INF))[1]
        if hi == INF:
            continue
        for feat, (lo, _) in a.facts.counts.items():
            if (feat == need or (need.endswith(":") and feat.startswith(need))) and lo * per_unit > hi:
                return {"need": f"{_num(lo)} {label(feat)}", "bound": f"{_num(hi)} {label(bound)}", "why": why}
    return None


def _fits(x: Anchor, y: Anchor, at_start: bool) -> bool:
    """Can one response satisfy anchors x and y at the same end?"""
    if x.kind == "block" or y.kind == "block":
        if x.kind == y.kind == "block":
            return x.text == y.text
        other = y if x.kind == "block" else x
        return at_start is False and other.kind in ("mark", "word")  # a block may end with a mark or word
    if x.kind == "mark" and y.kind == "mark":
        return x.text == y.text
    if "mark" in (x.kind, y.kind):
        m, o = (x, y) if x.kind == "mark" else (y, x)
        if o.kind == "word":
            return not at_start or not m.text  # end words are compared without punctuation
        edge = o.text[:1] if at_start else o.text[-1:]
        return edge == m.text if m.text else edge.isalnum()
    xs, ys = (x.text.lower(), y.text.lower()) if (x.ci or y.ci) else (x.text, y.text)
    if x.kind == "word" or y.kind == "word":
        w, o_text = (xs, ys) if x.kind == "word" else (ys, xs)
        toks = o_text.split()
        tok = (toks[0] if at_start else toks[-1]) if toks else ""
        return w.strip(".,!?;:'\"") == tok.strip(".,!?;:'\"")
    return ys.startswith(xs) or xs.startswith(ys) if at_start else ys.endswith(xs) or xs.endswith(ys)


def _anchor_clash(where: str):
    def test(a: Item, b: Item) -> dict | None:
        for x in getattr(a.facts, where):
            for y in getattr(b.facts, where):
                if not _fits(x, y, where == "start"):
                    return {"x": _show(x), "y": _show(y)}
        return None

    return test


def _show(x: Anchor) -> str:
    if x.kind == "mark":
        return f"the mark {x.text!r}" if x.text else "a bare word"
    return f"the {x.kind} {x.text!r}" if x.kind != "block" else f"the {x.text}"


def _body_vs_decor(a: Item, b: Item) -> dict | None:
    if a.facts.body and b.facts.decor and not b.facts.body:
        return {"body": a.facts.body.upper()}
    return None


def _body_vs_body(a: Item, b: Item) -> dict | None:
    pair = {a.facts.body, b.facts.body}
    if None not in pair and len(pair) == 2 and pair != {"json", "yaml"}:
        return {"x": a.facts.body, "y": b.facts.body}
    return None


def _same_id_value(a: Item, b: Item) -> dict | None:
    """The same id twice naming different values of one whole-response property (two languages, two end
    phrases): `Facts.values` holds such properties."""
    if a.id != b.id:
        return None
    for key, x in a.facts.values.items():
        y = b.facts.values.get(key)
        if y is not None and str(x).lower() != str(y).lower():
            return {"key": key, "x": x, "y": y}
    return None


def _foreign_language(a: Item, b: Item) -> dict | None:
    if a.id != "language:response_language" or str(a.params.get("language", "en")) == "en":
        return None
    from ..core.registry import all_constraints

    c = all_constraints().get(b.id)
    if c is not None and ("english_only" in c.groups or "english" in c.tags):
        return {"lang": a.params.get("language")}
    return None


RULES: tuple[Rule, ...] = (
    Rule("range", _range_clash, "{a} needs at least {lo} {what}, {b} allows at most {hi}"),
    Rule("cross_bound", _cross_bound, "{a} needs {need} but {b} allows at most {bound} ({why})"),
    Rule("start", _anchor_clash("start"), "the response cannot start with both {x} ({a}) and {y} ({b})"),
    Rule("end", _anchor_clash("end"), "the response cannot end with both {x} ({a}) and {y} ({b})"),
    Rule("body_decor", _body_vs_decor, "{a} makes the whole response {body}, leaving no room for {b}"),
    Rule("two_bodies", _body_vs_body, "the whole response cannot be both {x} ({a}) and {y} ({b})"),
    Rule("same_id_value", _same_id_value, "{a} twice with different {key}: {x!r} vs {y!r}"),
    Rule("language", _foreign_language, "{b} is English-only but {a} asks for language {lang!r}"),
)


def param_conflicts(a: Item, b: Item) -> list[str]:
    """Reasons (one per firing rule and direction) why two bound items contradict each other."""
    out: list[str] = []
    for rule in RULES:
        for x, y in ((a, b), (b, a)):
            fields = rule.test(x, y)
            if fields is not None:
                msg = rule.reason.format(a=x.id, b=y.id, **fields)
                if msg not in out:
                    out.append(msg)
                if rule.name in ("start", "end", "two_bodies", "same_id_value"):
                    break  # symmetric rules: one direction is enough
    return out
