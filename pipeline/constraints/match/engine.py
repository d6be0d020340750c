"""How rules are written and run: whole-clause regexes, one builder each, and a refusal on any doubt.

A rule is a constraint id, a few regex patterns and a builder that turns the regex match into the
id's parameters (or None when a value does not fit). Patterns must match the WHOLE clause left after
framing is peeled off (`lexicon.core`): a clause that says one thing more than the constraint, a second
constraint, a condition or a scope ("in the title"), matches no pattern, and nothing is mapped. That one
choice is what keeps precision high; recall comes from writing more patterns, never looser ones.

Patterns are written with macros in braces ({RESP}, {CNT}, {KWS}, ...) so each reads like the sentence
it recognises; `expand` turns them into regex text. Every rule is tried; when two rules map the same
clause to different results the matcher refuses (ambiguity is a reason for None, not a tie to break).
The winning params are then held against the registry: the names must be the id's parameter names and
`check` must run on a probe text without raising.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from pipeline.constraints import check, get

from . import lexicon as lx

MAX_CHARS = 400  # a constraint is a sentence or two; longer text is a task, not a constraint

RESP = (
    r"(?:(?:your|the|this|my) )?(?:(?:entire|whole|full|complete) )?"
    r"(?:response|answer|reply|output|text|writing|essay|message|post|story|poem|article)(?: text)?"
)
MODAL = (
    r"(?:must|should|has to|have to|needs to|need to|is to|shall|will|is required to|are required to|ought to|"
    r"is expected to)"
)
NEG = (
    r"(?:do not|don't|never|(?:you )?(?:must|should|may|shall|will) not|(?:you )?(?:mustn't|shouldn't|cannot|"
    r"can't|can not|won't))(?: ever)?"
)
MNEG = (
    r"(?:must not|mustn't|should not|shouldn't|cannot|can't|can not|may not|shall not|will not|won't|is not to|"
    r"are not to|does not|doesn't|do not|don't|is not allowed to|are not allowed to|never)(?: ever)?"
)


def _eg(inner: str) -> str:
    """An optional example after the constraint: ", such as <<x>>", "(e.g. [name])", ", i.e. *this*"."""
    lead = r"(?:i\.e\.|e\.g\.|for example|for instance|such as|like|as in)"
    return rf"(?:,? {lead}[,:]? {inner}|\s*\((?:{lead}[,:]? )?{inner}\))?"


MACROS: dict[str, str] = {
    "RESP": RESP,
    "VERB": r"(?:answer|respond|reply|write|use|give|include|produce|compose|provide|add|type|create|put|insert|ask|"
    r"contain|have|keep|make|employ|limit|leave|sprinkle in|pose)(?: me| us)?",
    "OBJ": rf"(?:it|this|that|everything|all of it|{RESP})",
    "MODAL": MODAL,
    "BE": rf"(?:is|are|be|{MODAL} be)",
    "NEG": NEG,
    "MNEG": MNEG,
    "AVOID": r"(?:avoid|refrain from|stay away from|steer clear of|abstain from|omit|leave out)"
    r"(?: (?:using|writing|including|saying|mentioning|the use of))?",
    "CNT": rf"(?:(?P<rel>{lx.REL_PRE}) )?(?P<n>{lx.NUM})(?: (?P<mid>{lx.REL_MID}))?",
    "CNTK": rf"(?:(?P<rel>{lx.REL_PRE}|to|at) )?(?P<n>{lx.NUM})(?: (?P<mid>{lx.REL_MID}))?",
    "POST": rf"(?:,? (?P<post>{lx.REL_POST}))?",
    "TIMES": rf"(?:(?P<rel>{lx.REL_PRE}) )?(?P<n>once|twice|thrice|a single time|{lx.NUM}(?: (?P<mid>{lx.REL_MID}))? times?)"
    rf"(?:,? (?P<post>{lx.REL_POST}))?",
    "NUMV": rf"(?P<n>{lx.NUM})",
    "VREL": rf"(?P<vrel>{lx.REL_VERB})",
    "TOTAL": r"(?: (?:in total|total|altogether|overall|in length|long|in all))?",
    "KW": rf"(?P<kw>{lx.QUOTED}|{lx.BARE})",
    "KW2": rf"(?P<kw2>{lx.QUOTED}|{lx.BARE})",
    "QKW": rf"(?P<kw>{lx.QUOTED})",
    "QKW2": rf"(?P<kw2>{lx.QUOTED})",
    "KWS": rf"(?P<kws>{lx.QLIST}|{lx.BLIST})",
    "QKWS": rf"(?P<kws>{lx.QLIST})",
    "WORDN": r"(?P<noun>(?:the|these|the following|any of the|any of these|any of the following|each of these|all of these) "
    r"(?:words?|terms?|keywords?|phrases?|expressions?|pronouns?))(?::|,)?",
    "PHRASE": rf"(?P<ph>{lx.QUOTED})",
    "LANG": rf"(?P<lang>{lx.LANG})(?: (?:\(|\[)(?:language code:? )?(?P<code>[a-z]{{2}}(?:-[a-z]{{2}})?)(?:\)|\]))?",
    "EG_SQ": _eg(r"\[[^\]]+\]"),
    "EG_ANG": _eg(r"<<[^<>]+>>"),
    "EG_STAR": _eg(r"\*[^*]+\*"),
}


def expand(pattern: str) -> str:
    return re.sub(r"\{([A-Z][A-Z0-9_]*)\}", lambda m: MACROS[m.group(1)], pattern)


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """One way (or a few) of stating `id`. Patterns are expanded when the rule is declared (an unknown macro
    fails at import) and compiled on first use: ~500 patterns take about a second to compile, a cost only
    processes that actually match should pay."""

    name: str
    id: str
    sources: tuple[str, ...]
    build: Callable[[re.Match], dict[str, Any] | None]

    @cached_property
    def patterns(self) -> tuple[re.Pattern, ...]:
        return tuple(re.compile(s, re.IGNORECASE) for s in self.sources)


RULES: list[Rule] = []


def _sources(patterns: tuple[str, ...]) -> tuple[str, ...]:
    """Macros expanded; trailing punctuation allowed after every pattern."""
    return tuple(rf"(?:{expand(p)})\s*[.!;]*" for p in patterns)


def rule(cid: str, *patterns: str):
    """Register `fn(match) -> params | None` for `cid`, tried on each of `patterns` (whole clause)."""

    def deco(fn: Callable[[re.Match], dict[str, Any] | None]):
        RULES.append(Rule(fn.__name__, cid, _sources(patterns), fn))
        return fn

    return deco


def const(cid: str, *patterns: str) -> None:
    """A rule for an id without parameters."""
    RULES.append(Rule(cid.split(":")[-1], cid, _sources(patterns), lambda m: {}))


def grp(m: re.Match, name: str) -> str | None:
    return m.group(name) if name in m.re.groupindex else None


def bound(
    m: re.Match, n: str = "n", rels: tuple[str, ...] = ("rel", "mid", "post", "vrel")
) -> tuple[str | None, int] | None:
    """(comparison, number) from a match: the bound words ("at least", "or fewer", "exceed") that agree,
    flipped when the clause negates them (a `neg` group: "do not write more than 100 words")."""
    num = lx.parse_number(grp(m, n))
    if num is None:
        return None
    ok, op = lx.combine([lx.op_of(grp(m, r)) for r in rels], negated=bool(grp(m, "neg")))
    return (op, num) if ok else None


# ---------------------------------------------------------------- running


@dataclass(frozen=True)
class Match:
    """One mapping: the registry id, its parameters, the rule that fired and the clause it read."""

    id: str
    params: dict[str, Any]
    rule: str
    clause: str = field(default="")

    def as_dict(self) -> dict[str, Any]:
        return {"id": self.id, "params": self.params, "rule": self.rule, "clause": self.clause}


_PROBE = "A short probe sentence, with one comma. And a second one."


def fits(cid: str, params: dict[str, Any]) -> bool:
    """The params name exactly the id's parameters, a language is one the registry samples, and the
    checker runs on them."""
    c = get(cid)
    names = set(c.param_names)
    required = {p.name for p in c.params if not p.optional}
    if not required <= set(params) <= names:
        return False
    for p in c.params:
        if p.kind == "language" and p.choices and params.get(p.name) not in p.choices:
            return False
    try:
        check(cid, _PROBE, params)
    except Exception:  # a value the checker cannot take: not a mapping we can stand behind
        return False
    return True


def run(text: str) -> Match | None:
    s = lx.normalise(text)
    if not s or len(s) > MAX_CHARS or lx.hedged(s):
        return None
    clause = lx.core(s)
    found: dict[tuple[str, str], Match] = {}
    for r in RULES:
        for p in r.patterns:
            m = p.fullmatch(clause)
            if m is None:
                continue
            params = r.build(m)
            if params is not None:
                found.setdefault((r.id, json.dumps(params, sort_keys=True)), Match(r.id, params, r.name, clause))
                break
    if len(found) != 1:
        return None
    (hit,) = found.values()
    return hit if fits(hit.id, hit.params) else None
