"""Stage 2, expand (CodecLM-style encoding): seed task -> structured metadata.

Reads: seeds (records.Seed). Writes: expand/ shards of records.Task; stats.json (fallbacks by field).

An LLM describes each seed as JSON (domain, task type, skills, audience,
expected length, output format, language, and 2-5 AutoIF-style free-form
constraints). Invalid output is re-asked (`chat_json`); whatever still fails is
repaired field by field with deterministic fallbacks, so a tiny model never
blocks a run. Each task records which fields came from a fallback.
"""

from __future__ import annotations

import json
from typing import Any, cast

from pydantic import BaseModel, ConfigDict, Field

from ... import records
from ...llm.jsonout import chat_json, extract_json, response_format
from ...llm.prompts import render_messages
from ...records import Seed, Task, task_id
from ..base import Stage
from .fallbacks import FIELD_FALLBACKS, OUTPUT_FORMATS, coerce_field

FIELDS = (
    "domain",
    "task_type",
    "skills",
    "audience",
    "expected_length",
    "output_format",
    "language",
    "freeform_constraints",
)


class TaskMetadata(BaseModel):
    model_config = ConfigDict(extra="ignore")

    domain: str = Field(min_length=2, max_length=60)
    task_type: str = Field(min_length=2, max_length=60)
    skills: list[str] = Field(min_length=1, max_length=6)
    audience: str = Field(min_length=2, max_length=80)
    expected_length: int = Field(ge=1, le=5000)
    output_format: str
    language: str = Field(min_length=2, max_length=8)
    freeform_constraints: list[str] = Field(default_factory=list, max_length=8)


class ExpandStage(Stage[Seed, Task]):
    name = "expand"
    uses_llm = True
    prompts = ("expand",)

    def settings(self) -> dict[str, Any]:
        return self.section_settings(llm=True)  # min/max_freeform, attempts; the model and sampling

    async def process(self, seed: Seed) -> list[Task]:
        cfg = self.config.expand
        # with schema-constrained decoding the example only invites copying, so it is left out
        structured = response_format(self.llm.settings, TaskMetadata) is not None
        messages = render_messages(
            "expand",
            task=seed["text"],
            formats=OUTPUT_FORMATS,
            show_example=not structured,
            example=json.dumps(EXAMPLE),
            min_freeform=cfg.min_freeform,
            max_freeform=cfg.max_freeform,
        )
        value, errors, comp = await chat_json(self.llm, messages, TaskMetadata, attempts=cfg.attempts)
        raw: dict[str, Any] = value.model_dump() if value is not None else _partial(comp.text)
        raw = {k: v for k, v in raw.items() if not _copied(k, v)}
        meta, fallback = repair(raw, dict(seed), cfg.min_freeform, cfg.max_freeform)
        task: records.Task = {
            "id": task_id(seed["id"]),
            "seed_id": seed["id"],
            "text": seed["text"],
            "language": meta["language"],
            "category": seed.get("category"),
            "metadata": cast("records.TaskMetadata", meta),  # repair() fills every field
            "fallback_fields": fallback,
            "llm_errors": errors[-3:],
            "model": comp.model,
        }
        if seed.get("constraints"):  # the seed row's own constraints replace the proposed ones
            meta["freeform_constraints"] = list(seed["constraints"])
            task["fallback_fields"] = [f for f in fallback if f != "freeform_constraints"]
            task["freeform_from"] = "seed"
        return [task]

    def finish(self) -> dict[str, Any]:
        n = 0
        by_field: dict[str, int] = {f: 0 for f in FIELDS}
        fully_llm = from_seed = 0
        for t in self.own_records():
            n += 1
            from_seed += t.get("freeform_from") == "seed"
            for f in t.get("fallback_fields", []):
                by_field[f] = by_field.get(f, 0) + 1
            fully_llm += not t.get("fallback_fields")
        return {
            "tasks": n,
            "fully_from_llm": fully_llm,
            "fallbacks_by_field": by_field,
            "freeform_from_seed": from_seed,  # tasks whose free-form constraints the seed row gave
        }


EXAMPLE: dict[str, Any] = {
    "domain": "travel",
    "task_type": "email",
    "skills": ["persuasion"],
    "audience": "hotel manager",
    "expected_length": 150,
    "output_format": "email",
    "language": "en",
    "freeform_constraints": ["Mention the check-in date.", "Do not use exclamation marks."],
}


def _copied(field: str, value: Any) -> bool:
    """A small model often copies the prompt's example; such a value says nothing about this task."""
    if field in ("expected_length", "language", "output_format"):
        return False  # common values; copying them is not evidence of anything
    if field == "freeform_constraints" and isinstance(value, list):
        return any(v in EXAMPLE[field] for v in value)
    return value == EXAMPLE.get(field)


def _partial(text: str) -> dict[str, Any]:
    try:
        v = extract_json(text)
    except Exception:
        return {}
    return v if isinstance(v, dict) else {}


def repair(raw: dict[str, Any], seed: dict[str, Any], min_ff: int, max_ff: int) -> tuple[dict[str, Any], list[str]]:
    """Keep every valid field of `raw`; fill the rest from deterministic fallbacks; say which."""
    meta: dict[str, Any] = {}
    fallback: list[str] = []
    for f in FIELDS:
        v = coerce_field(f, raw.get(f), seed)
        if v is None:
            v = FIELD_FALLBACKS[f](seed, meta)
            fallback.append(f)
        meta[f] = v
    ff = meta["freeform_constraints"][:max_ff]
    if len(ff) < min_ff:
        extra = [c for c in FIELD_FALLBACKS["freeform_constraints"](seed, meta) if c not in ff]
        ff = ff + extra[: min_ff - len(ff)]
        if "freeform_constraints" not in fallback:
            fallback.append("freeform_constraints")
    meta["freeform_constraints"] = ff
    return meta, fallback
