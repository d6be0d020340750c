"""What a constraint is: one block holding everything about one verifiable instruction.

A constraint is data plus one pure function of text: its id, category and description, typed parameters with
samplers, phrasings, the checker, applicability tags, what it cannot share a prompt with (its conflicts and the
conflict groups it belongs to), the facts its bound parameters demand of a response (for parameter-level conflict
rules), and worked examples that pass and fail. Nothing here knows about LLMs, files or stages: compose samples
from these objects, verify and the scorer call `check`.

Each family package makes its own `define` with `definer(family=..., split=...)`; a category module is then a
list of `define(...)` blocks, and importing it registers them. Adding a constraint is one block.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # pragma: no cover
    from ..conflicts.facts import Facts

# A sampler binds one parameter value. It receives a seeded RNG and a context
# mapping (task metadata such as expected_length, language, topic words, and the
# values already bound for earlier parameters of the same constraint).
Sampler = Callable[[random.Random, Mapping[str, Any]], Any]
FactsFn = Callable[[dict[str, Any]], "Facts"]

SPLITS = ("train", "eval_only")
FAMILIES = ("ifeval", "ifevalg", "ifbench", "ifgen")

# Applicability tags used by compose; a constraint may carry any of them.
#   long        needs a response of a few hundred words or more
#   short       suits short responses only
#   english     only meaningful for English text
#   code        suits code tasks (and only those when tagged code_only)
#   code_only   only for tasks whose output is code
#   no_code     unsuitable for code output (e.g. "no digits")
#   poetry, email, list, prose, json, structured   fits those output kinds
#   needs_prompt  the checker needs the prompt text (copy / repeat ids)
#   soft        judged by an LLM, not by `check`
KNOWN_TAGS = frozenset(
    [
        "long", "short", "english", "code", "code_only", "no_code", "poetry", "email", "list", "prose", "json",
        "structured", "needs_prompt", "soft",
    ]
)  # fmt: skip


class ConstraintError(ValueError):
    """Base class for misuse of the registry (never raised for a failing response)."""


class UnknownConstraintError(ConstraintError, KeyError):
    def __str__(self) -> str:  # KeyError quotes its message; keep it readable
        return str(self.args[0]) if self.args else "unknown constraint"


class MissingParameterError(ConstraintError):
    pass


@dataclass(frozen=True)
class Param:
    """One typed parameter. `kind` is one of int, float, str, keyword, keywords,
    choice, language, letter, text. `sample` binds a value; `choices`, `low`, `high`
    document the range (and drive the default sampler when `sample` is None)."""

    name: str
    kind: str
    low: float | None = None
    high: float | None = None
    choices: tuple[Any, ...] = ()
    sample: Sampler | None = None
    optional: bool = False  # the reference checker accepts its absence
    doc: str = ""

    def bind(self, rng: random.Random, ctx: Mapping[str, Any]) -> Any:
        if self.sample is not None:
            return self.sample(rng, ctx)
        if self.choices:
            return rng.choice(self.choices)
        if self.kind == "int" and self.low is not None and self.high is not None:
            return rng.randint(int(self.low), int(self.high))
        if self.kind == "float" and self.low is not None and self.high is not None:
            return round(rng.uniform(self.low, self.high), 2)
        raise ConstraintError(f"parameter {self.name!r} has no sampler")


@dataclass(frozen=True)
class Example:
    """A worked example: `check(id, text, params)` must give `passes` (strict, or IFEval-loose when `loose`).
    The registry test runs every one; `note` says what the example pins."""

    text: str
    params: Mapping[str, Any]
    passes: bool
    note: str = ""
    loose: bool = False


def passes(text: str, /, note: str = "", **params: Any) -> Example:
    """A text that satisfies the constraint with these params."""
    return Example(text, params, True, note)


def fails(text: str, /, note: str = "", **params: Any) -> Example:
    """A text that breaks the constraint with these params."""
    return Example(text, params, False, note)


@dataclass(frozen=True)
class Conflicts:
    """What a constraint cannot share a prompt with. Conflicts are symmetric: a pair is declared once, in either
    block, and the lookup reads it both ways (and every id conflicts with itself).

    ids:      other id -> why.
    groups:   conflict group -> why: conflicts with every member of the group (groups: conflicts/groups.py).
    only_with / only_groups / reason: an exclusive constraint (the whole answer is fixed: a copy, JSON, one of
              given options) conflicts with every id except these ids and the members of these groups.
    """

    ids: Mapping[str, str] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    only_with: tuple[str, ...] | None = None
    only_groups: tuple[str, ...] = ()
    reason: str = ""

    @property
    def exclusive(self) -> bool:
        return self.only_with is not None


NO_CONFLICTS = Conflicts()


def exclusive(reason: str, ids: tuple[str, ...] = (), groups: tuple[str, ...] = ()) -> Conflicts:
    """Conflicts with everything except `ids` and the members of `groups`."""
    return Conflicts(only_with=tuple(ids), only_groups=tuple(groups), reason=reason)


class _Unset:
    """Marks a field the block did not declare (the registry test fails on it)."""

    def __repr__(self) -> str:
        return "UNSET"

    def __bool__(self) -> bool:
        return False


UNSET: Any = _Unset()


@dataclass(frozen=True)
class Constraint:
    """One verifiable constraint.

    `check(response, **params) -> bool` must be pure, deterministic and fast.
    `phrasings` are str.format templates over the parameter names; every one must
    mention every parameter value it is formatted with (tests enforce this).
    `inverse`, when set, maps (params) -> (inverse_id, inverse_params) so the
    DPO reverse-constraint strategy can re-render an instruction the failing
    response satisfies.
    `facts(params) -> Facts` says what bound parameters demand of a response (words, characters, anchors at the
    start or end, a whole-response body...) for the parameter-level conflict rules; `None` declares that the
    constraint demands nothing those rules compare.
    """

    id: str
    category: str
    description: str
    params: tuple[Param, ...]
    phrasings: tuple[str, ...]
    check: Callable[..., bool]
    family: str = "ifgen"
    split: str = "train"
    tags: frozenset[str] = field(default_factory=frozenset)
    inverse: Callable[[dict], tuple[str, dict]] | None = None
    soft: bool = False
    conflicts: Conflicts = UNSET
    groups: frozenset[str] = frozenset()
    facts: FactsFn | None = UNSET
    examples: tuple[Example, ...] = ()

    @cached_property
    def param_names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.params)

    @cached_property
    def required_names(self) -> tuple[str, ...]:
        """The parameters a check cannot go without (in declaration order)."""
        return tuple(p.name for p in self.params if not p.optional)

    @cached_property
    def known_names(self) -> frozenset[str]:
        return frozenset(self.param_names)

    def bind(self, rng: random.Random, ctx: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """Sample a value for every parameter, each seeing those bound before it."""
        local: dict[str, Any] = dict(ctx or {})
        out: dict[str, Any] = {}
        for p in self.params:
            v = p.bind(rng, {**local, **out})
            out[p.name] = v
        return out

    def render(self, params: Mapping[str, Any], rng: random.Random | None = None, index: int | None = None) -> str:
        """Instruction text for bound params; picks a phrasing by index or rng."""
        if index is None:
            index = (rng or random.Random(0)).randrange(len(self.phrasings))
        values = {k: _display(v) for k, v in params.items()}
        for p in self.params:  # a language code also renders as "{name}_name", e.g. French
            if p.kind == "language" and p.name in params:
                values[f"{p.name}_name"] = LANGUAGE_NAMES.get(str(params[p.name]), str(params[p.name]))
        return self.phrasings[index % len(self.phrasings)].format(**values)


def definer(family: str, split: str = "train", tags: tuple[str, ...] = ()) -> Callable[..., Constraint]:
    """The `define` of one family: fills in its family, split and default tags, and registers each block."""
    if family not in FAMILIES:
        raise ConstraintError(f"unknown family {family!r}; one of {', '.join(FAMILIES)}")

    def define(
        id: str,
        *,
        category: str,
        description: str,
        check: Callable[..., bool],
        phrasings: tuple[str, ...] | list[str],
        params: tuple[Param, ...] | list[Param] = (),
        tags: tuple[str, ...] | list[str] | None = None,
        split: str = split,
        inverse: Callable[[dict], tuple[str, dict]] | None = None,
        soft: bool = False,
        conflicts: Conflicts = UNSET,
        groups: tuple[str, ...] | list[str] = (),
        facts: FactsFn | None = UNSET,
        examples: tuple[Example, ...] | list[Example] = (),
    ) -> Constraint:
        from .registry import register

        c = Constraint(
            id=id,
            category=category,
            description=description,
            params=tuple(params),
            phrasings=tuple(phrasings),
            check=check,
            family=family,
            split=split,
            tags=frozenset(tags if tags is not None else default_tags),
            inverse=inverse,
            soft=soft,
            conflicts=conflicts,
            groups=frozenset(groups),
            facts=facts,
            examples=tuple(examples),
        )
        register(c)
        return c

    default_tags = tuple(tags)
    return define


# ISO 639-1 code (langdetect spelling) -> English name, for instruction text.
LANGUAGE_NAMES = {
    "en": "English", "es": "Spanish", "fr": "French", "de": "German", "it": "Italian", "pt": "Portuguese",
    "nl": "Dutch", "sv": "Swedish", "fi": "Finnish", "tr": "Turkish", "ru": "Russian", "ar": "Arabic",
    "hi": "Hindi", "ja": "Japanese", "ko": "Korean", "zh-cn": "Simplified Chinese", "zh-tw": "Traditional Chinese",
    "vi": "Vietnamese", "th": "Thai", "bn": "Bengali", "ta": "Tamil", "te": "Telugu", "mr": "Marathi",
    "gu": "Gujarati", "kn": "Kannada", "pa": "Punjabi", "ur": "Urdu", "fa": "Persian", "sw": "Swahili",
    "pl": "Polish", "bg": "Bulgarian", "uk": "Ukrainian", "he": "Hebrew", "ne": "Nepali", "ml": "Malayalam",
    "cs": "Czech", "el": "Greek", "ro": "Romanian", "hu": "Hungarian", "da": "Danish", "no": "Norwegian",
    "id": "Indonesian",
}  # fmt: skip


def _display(value: Any) -> Any:
    """How a parameter value appears inside instruction text."""
    if isinstance(value, (list, tuple)):
        return ", ".join(str(v) for v in value)
    return value
