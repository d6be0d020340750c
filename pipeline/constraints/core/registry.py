"""The registry: a plain dict from id to Constraint, filled by the family packages.

`check` / `check_loose` / `check_many` are the only entry points verify, scoring and rewards use. Strict and loose
follow IFEval's evaluation_lib: strict is `response.strip() and check(response)`; loose passes when any non-blank
one of eight variants of the response (as is, first line removed, last line removed, both; each with or without
asterisks) passes.

Families are the packages under `constraints/families/` named in `FAMILIES`; every module in them is imported
once, and each `define(...)` block registers itself. Nothing else lists constraint ids.
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from .contract import FAMILIES, Constraint, ConstraintError, MissingParameterError, UnknownConstraintError

REGISTRY: dict[str, Constraint] = {}
_LOADED = False  # every family imported
_LOADING = False  # the loading thread is importing (its own nested calls return at once)
_LOCK = threading.RLock()  # other threads (e.g. a reward run in a thread pool) wait for the whole registry


def register(*constraints: Constraint) -> None:
    for c in constraints:
        if c.id in REGISTRY:
            raise ConstraintError(f"duplicate constraint id {c.id!r}")
        REGISTRY[c.id] = c


def _load() -> None:
    """Import every module of every family package once (each `define` registers its constraint)."""
    global _LOADED, _LOADING
    if _LOADED:
        return
    with _LOCK:
        if _LOADED or _LOADING:
            return
        _LOADING = True
        try:
            for family in FAMILIES:
                pkg = importlib.import_module(f"{__package__.rpartition('.')[0]}.families.{family}")
                for mod in sorted(m.name for m in pkgutil.iter_modules(pkg.__path__)):
                    if not mod.startswith("_"):
                        importlib.import_module(f"{pkg.__name__}.{mod}")
            ordered = sorted(REGISTRY.items())  # by id, whatever the module layout
            REGISTRY.clear()
            REGISTRY.update(ordered)
            _LOADED = True
        finally:
            _LOADING = False


def all_constraints() -> dict[str, Constraint]:
    """Every registered constraint, by id (sorted)."""
    _load()
    return REGISTRY


def get(constraint_id: str) -> Constraint:
    _load()
    try:
        return REGISTRY[constraint_id]
    except KeyError:
        raise UnknownConstraintError(f"unknown constraint id {constraint_id!r}") from None


def clean_params(c: Constraint, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """Drop null values (IFBench input files carry them), reject missing ones, ignore unknown ones."""
    given = {k: v for k, v in params.items() if v is not None} if params else {}
    for name in c.required_names:  # per check: the common case (nothing missing) is one lookup each
        if name not in given:
            missing = [n for n in c.required_names if n not in given]
            raise MissingParameterError(f"{c.id}: missing parameter(s) {', '.join(missing)}")
    known = c.known_names
    return given if known.issuperset(given) else {k: v for k, v in given.items() if k in known}


def check(constraint_id: str, response: str, params: Mapping[str, Any] | None = None) -> bool:
    """Strict verdict. Empty or whitespace-only responses always fail."""
    c = get(constraint_id)
    p = clean_params(c, params)
    if not response or not response.strip():
        return False
    return bool(c.check(response, **p))


def check_loose(constraint_id: str, response: str, params: Mapping[str, Any] | None = None) -> bool:
    c = get(constraint_id)
    p = clean_params(c, params)
    return _loose(c, p, distinct_variants(response or ""))


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


def distinct_variants(response: str) -> list[str]:
    """The non-blank loose variants, each once, in IFEval's order. A checker is a
    pure function of the text, so a repeated variant (no asterisks, one line)
    cannot change the verdict."""
    return [r for r in dict.fromkeys(loose_variants(response)) if r.strip()]


def _loose(c: Constraint, p: dict[str, Any], variants: list[str]) -> bool:
    return any(c.check(r, **p) for r in variants)


Mode = Literal["strict", "loose", "both"]


def check_many(
    response: str, checks: Iterable[tuple[str, Mapping[str, Any] | None]], loose: bool = False, mode: Mode | None = None
) -> list[Any]:
    """Verdicts for several (id, params) pairs on one response, by position; the same verdicts as `check` /
    `check_loose` one by one. The loose variants are built once, and the text facts the checkers share
    (sentences, words, tokens, language) are computed once per variant through the text package's memos.

    mode "strict" (default) or "loose" (also `loose=True`) gives a bool per pair; "both" gives (strict, loose)
    per pair at one check less than two calls: loose's first variant is the response itself, so its verdict is
    the strict one.
    """
    mode = mode or ("loose" if loose else "strict")
    resolved = [(c, clean_params(c, k)) for c, k in ((get(i), k) for i, k in checks)]
    blank = not response or not response.strip()
    if mode == "strict":
        return [False] * len(resolved) if blank else [bool(c.check(response, **p)) for c, p in resolved]
    variants = distinct_variants(response or "")
    if mode == "loose":
        return [_loose(c, p, variants) for c, p in resolved]
    if blank:
        return [(False, _loose(c, p, variants)) for c, p in resolved]
    rest = variants[1:]  # [0] is the response: non-blank, and first
    out = []
    for c, p in resolved:
        strict = bool(c.check(response, **p))
        out.append((strict, strict or _loose(c, p, rest)))
    return out
