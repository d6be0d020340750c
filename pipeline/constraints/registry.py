"""The registry: a plain dict from id to Constraint, filled by the family modules.

`check` / `check_loose` are the only entry points verify, scoring and reward use.
Strict and loose follow IFEval's evaluation_lib: strict is
`response.strip() and check(response)`; loose passes when any non-blank one of
eight variants of the response (as is, first line removed, last line removed,
both; each with or without asterisks) passes.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from .base import Constraint, ConstraintError, MissingParameterError, UnknownConstraintError

REGISTRY: dict[str, Constraint] = {}
_LOADED = False


def register(*constraints: Constraint) -> None:
    for c in constraints:
        if c.id in REGISTRY:
            raise ConstraintError(f"duplicate constraint id {c.id!r}")
        REGISTRY[c.id] = c


def _load() -> None:
    """Import the family modules once; each calls `register` at import time."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    import importlib

    for mod in ("ifeval", "iftrain", "ifbench", "extra"):
        try:
            importlib.import_module(f"{__package__}.{mod}")
        except ModuleNotFoundError as e:  # a family not written yet
            if e.name != f"{__package__}.{mod}":
                raise


def all_constraints() -> dict[str, Constraint]:
    _load()
    return REGISTRY


def get(constraint_id: str) -> Constraint:
    _load()
    try:
        return REGISTRY[constraint_id]
    except KeyError:
        raise UnknownConstraintError(f"unknown constraint id {constraint_id!r}") from None


def clean_params(c: Constraint, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop null values (IFBench input files carry them), reject missing ones."""
    given = {k: v for k, v in (params or {}).items() if v is not None}
    missing = [p.name for p in c.params if not p.optional and p.name not in given]
    if missing:
        raise MissingParameterError(f"{c.id}: missing parameter(s) {', '.join(missing)}")
    known = set(c.param_names)
    return {k: v for k, v in given.items() if k in known}


def check(constraint_id: str, response: str, params: Mapping[str, Any] | None = None) -> bool:
    """Strict verdict. Empty or whitespace-only responses always fail."""
    c = get(constraint_id)
    p = clean_params(c, params)
    if not response or not response.strip():
        return False
    return bool(c.check(response, **p))


def loose_variants(response: str) -> list[str]:
    """IFEval's eight loose variants, in its order: the response, without
    asterisks, then first / last / both lines removed (stripped), each of those
    again without asterisks. Callers skip variants that are blank."""
    lines = response.split("\n")
    first_removed = "\n".join(lines[1:]).strip()
    last_removed = "\n".join(lines[:-1]).strip()
    both_removed = "\n".join(lines[1:-1]).strip()
    trimmed = [first_removed, last_removed, both_removed]
    return [response, response.replace("*", ""), *trimmed, *(r.replace("*", "") for r in trimmed)]


def check_loose(constraint_id: str, response: str, params: Mapping[str, Any] | None = None) -> bool:
    c = get(constraint_id)
    p = clean_params(c, params)
    return _loose(c, p, distinct_variants(response or ""))


def distinct_variants(response: str) -> list[str]:
    """The non-blank loose variants, each once, in IFEval's order. A checker is a
    pure function of the text, so a repeated variant (no asterisks, one line)
    cannot change the verdict."""
    return [r for r in dict.fromkeys(loose_variants(response)) if r.strip()]


def _loose(c: Constraint, p: dict[str, Any], variants: list[str]) -> bool:
    return any(c.check(r, **p) for r in variants)


def check_all(
    ids: Iterable[str], response: str, kwargs: Iterable[Mapping[str, Any] | None], loose: bool = False
) -> list[bool]:
    """Verdicts by position, so a repeated id is scored once per occurrence."""
    fn = check_loose if loose else check
    return [fn(i, response, k) for i, k in zip(ids, kwargs, strict=True)]


def check_many(
    response: str, checks: Iterable[tuple[str, Mapping[str, Any] | None]], loose: bool = False
) -> list[bool]:
    """Verdicts for several (id, params) pairs on one response, by position; the
    same verdicts as `check` / `check_loose` one by one. The loose variants are
    built once, and the text facts the checkers share (sentences, words, tokens,
    language) are computed once per variant through text.py's memos."""
    resolved = [(c, clean_params(c, k)) for c, k in ((get(i), k) for i, k in checks)]
    if not loose:
        if not response or not response.strip():
            return [False] * len(resolved)
        return [bool(c.check(response, **p)) for c, p in resolved]
    variants = distinct_variants(response or "")
    return [_loose(c, p, variants) for c, p in resolved]


def check_many_both(response: str, checks: Iterable[tuple[str, Mapping[str, Any] | None]]) -> list[tuple[bool, bool]]:
    """(strict, loose) per pair. Loose's first variant is the response itself, so
    its verdict is the strict one: each pair costs one check less than two calls."""
    resolved = [(c, clean_params(c, k)) for c, k in ((get(i), k) for i, k in checks)]
    if not response or not response.strip():
        variants = distinct_variants(response or "")
        return [(False, _loose(c, p, variants)) for c, p in resolved]
    rest = distinct_variants(response)[1:]  # [0] is the response: non-blank, and first
    out = []
    for c, p in resolved:
        strict = bool(c.check(response, **p))
        out.append((strict, strict or _loose(c, p, rest)))
    return out
