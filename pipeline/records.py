"""The records that flow between stages: their shapes, the words they use, and their ids.

Records stay plain dicts (one JSON object per line in a stage's shards) so that they survive Ray,
multiprocessing and `datasets` without adapters; the TypedDicts below say which keys every reader can rely
on, and the stages are typed with them (`Stage[Seed, Task]`: reads seeds, writes tasks). The builders at the
bottom are the only places a record's id or a constraint entry is made, so a key's order (which is what
makes shards byte-stable) and an id's recipe live in one place.

Every record has an `id` that is a stable content hash: rerunning a stage recomputes the same ids, which is
what lets the runner skip finished items.

    seeds     Seed         one user request, normalised, language-tagged, deduplicated
    expand    Task         a seed described by metadata (incl. free-form constraints the LLM proposed)
    compose   Instruction  a task with constraints bound and rendered into one prompt
    sample    Response     one model response to an instruction
    checkers  Checker      LLM-written functions (and test cases) for one free-form constraint
    verify    Verdict      a verdict per constraint of one response (id = the response id)

Two words with fixed values:
  Source    where an instruction's constraint comes from: `registry` (an id of pipeline.constraints, checked
            by its built-in checker, or by an LLM judge when soft) or `freeform` (a rule in words proposed
            by `expand`, checked by the functions `checkers` generated). A constraint's *family* (ifeval,
            ifevalg, ifbench, ifgen) is a property of registry constraints, not a source.
  Verifier  what produced one verdict: `builtin`, `generated`, `judge`, or `none` (nothing could).
And the patterns compose renders an instruction with (`PATTERNS`, an instruction's `pattern`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any, Final, Literal, TypedDict

# -- words ------------------------------------------------------------------------------------------------

SourceName = Literal["registry", "freeform"]
VerifierName = Literal["builtin", "generated", "judge", "none"]


class Source:
    """Values of `source` on an instruction's constraint (and of `kind` on a checker)."""

    REGISTRY: Final = "registry"
    FREEFORM: Final = "freeform"


class Verifier:
    """Values of `verifier` on a verdict result."""

    BUILTIN: Final = "builtin"  # the registry constraint's own checker
    GENERATED: Final = "generated"  # majority of the kept LLM-written functions
    JUDGE: Final = "judge"  # an LLM judge (soft constraints)
    NONE: Final = "none"  # nothing could decide (no kept function, judge disabled, checker error)


PATTERNS: Final = ("listing", "incorporation", "example")  # how compose renders an instruction (prompts/compose/)


# -- shapes -----------------------------------------------------------------------------------------------


class Seed(TypedDict):
    id: str
    text: str
    language: str | None  # BCP-47-ish tag, "und" when undetectable
    category: str | None
    source: str  # the file or dataset the seed was read from
    meta: dict[str, Any]  # the input row's other fields


class TaskMetadata(TypedDict):
    domain: str
    task_type: str
    skills: list[str]
    audience: str
    expected_length: int
    output_format: str
    language: str
    freeform_constraints: list[str]


class Task(TypedDict):
    id: str
    seed_id: str
    text: str
    language: str
    category: str | None
    metadata: TaskMetadata
    fallback_fields: list[str]  # metadata fields filled by a deterministic fallback, not the LLM
    llm_errors: list[str]
    model: str


class InstructionConstraint(TypedDict):
    id: str  # a registry id, or freeform:<hash of the text>
    params: dict[str, Any]
    source: SourceName
    soft: bool  # judged by an LLM
    text: str  # how the instruction states it


class Instruction(TypedDict):
    id: str
    task_id: str
    seed_id: str | None
    index: int  # k-th instruction of its task
    text: str
    language: str | None
    category: str | None
    metadata: TaskMetadata
    constraints: list[InstructionConstraint]
    pattern: str  # one of PATTERNS
    difficulty: str  # L1..L4
    checks: dict[str, Any]  # what compose checked and rejected on the way


class Response(TypedDict):
    id: str
    instruction_id: str
    task_id: str | None
    model: str
    sample_index: int
    text: str
    reasoning: str  # <think> content and reasoning fields, moved out of `text`
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int
    cost: float
    latency_s: float
    cached: bool


class CheckerItem(TypedDict, total=False):
    """A `checkers` work item: one constraint to write functions for."""

    id: str
    kind: SourceName
    text: str
    registry_id: str  # kind == registry only
    params: dict[str, Any]  # kind == registry only


class CheckerFunction(TypedDict, total=False):
    code: str
    accuracy: float
    kept: bool
    sample_index: int
    errors: list[str]
    back_translation: dict[str, Any] | None  # with checkers.back_translation


class CheckerCase(TypedDict):
    response: str
    label: bool
    kept: bool


class Checker(TypedDict):
    id: str  # the free-form constraint id, or registry_checker_key(...) for kind == registry
    kind: SourceName
    constraint_text: str
    registry_id: str | None
    params: dict[str, Any] | None
    functions: list[CheckerFunction]
    cases: list[CheckerCase]
    kept: bool
    reason: str
    accuracy: float  # mean accuracy of the kept functions
    provenance: dict[str, Any]


class VerdictResult(TypedDict):
    index: int  # position of the constraint in its instruction
    id: str
    source: SourceName
    passed: bool | None  # None: could not be verified
    verifier: VerifierName
    reason: str


class GeneratedAgreement(TypedDict):
    id: str  # registry id
    builtin: bool
    generated: bool | None


class Verdict(TypedDict):
    id: str  # = response_id
    response_id: str
    instruction_id: str
    task_id: str
    model: str | None
    results: list[VerdictResult]
    n_verifiable: int
    all_pass: bool
    fraction: float  # passed / verifiable
    generated_agreement: list[GeneratedAgreement]


# -- ids --------------------------------------------------------------------------------------------------


def canonical_json(obj: Any) -> str:
    """JSON with sorted keys and no whitespace: the input to every content hash."""
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)


def content_id(*parts: Any, length: int = 16) -> str:
    """Stable hex id of the given parts (order matters)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(canonical_json(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def seed_id(text: str) -> str:
    return content_id(text)


def task_id(seed_id: str) -> str:
    return content_id("task", seed_id)


def instruction_id(task_id: str, index: int, text: str) -> str:
    return content_id("instruction", task_id, index, text)


def freeform_constraint_id(text: str) -> str:
    return "freeform:" + content_id(text, length=12)


def response_id(instruction_id: str, model: str, sample_index: int) -> str:
    return content_id("response", instruction_id, model, sample_index)


def registry_checker_key(constraint_id: str, params: dict[str, Any]) -> str:
    """Id of a checker generated for a bound registry constraint (checkers.registry_too)."""
    return content_id("registry-checker", constraint_id, params)


def preference_pair_id(strategy: str, prompt_id: str, chosen_id: str, rejected_id: str) -> str:
    """Id of one exported DPO row."""
    return content_id(strategy, prompt_id, chosen_id, rejected_id)


# -- constraint entries -----------------------------------------------------------------------------------


def registry_constraint(cid: str, params: dict[str, Any], text: str, soft: bool = False) -> InstructionConstraint:
    return {"id": cid, "params": params, "source": Source.REGISTRY, "soft": soft, "text": text}


def freeform_constraint(text: str) -> InstructionConstraint:
    return {"id": freeform_constraint_id(text), "params": {}, "source": Source.FREEFORM, "soft": False, "text": text}


def is_registry(c: Mapping[str, Any]) -> bool:
    """A constraint entry from the registry (entries written before `source` existed count as registry)."""
    return c.get("source", Source.REGISTRY) == Source.REGISTRY


def is_freeform(c: Mapping[str, Any]) -> bool:
    return c.get("source") == Source.FREEFORM
