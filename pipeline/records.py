"""The records that flow between stages: their shapes, the words they use, and their ids.

Records stay plain dicts (one JSON object per line in a stage's shards) so that they survive Ray,
multiprocessing and `datasets` without adapters; the TypedDicts below say which keys every reader can rely
on, and the stages are typed with them (`Stage[Seed, Task]`: reads seeds, writes tasks). The builders at the
bottom are the only places a record's id or a constraint entry is made, so a key's order (which is what
makes shards byte-stable) and an id's recipe live in one place.

Every record's `id` is a stable content hash: a rerun recomputes the same ids, so finished items are skipped.

    seeds     Seed         one user request, normalised, language-tagged, deduplicated
    expand    Task         a seed described by metadata (incl. free-form constraints the LLM proposed)
    compose   Instruction  a task with constraints bound and rendered into one prompt
    sample    Response     one model response to an instruction (to its last user turn)
    checkers  Checker      LLM-written functions (and test cases) for one free-form constraint
    verify    Verdict      a verdict per constraint of one response (id = the response id)

Words with fixed values:
  Source    where an instruction's constraint comes from: `registry` (an id of pipeline.constraints, checked
            by its built-in checker, or by an LLM judge when soft) or `freeform` (a rule in words, checked by
            the functions `checkers` generated). A *family* (ifeval, ifevalg, ...) is not a source.
  Verifier  what produced one verdict: `builtin`, `generated`, `judge`, or `none` (nothing could).
  Shape     how an instruction's prompt is laid out: `single` (one user turn, the task with its constraints),
            `multiturn` (user: the task -> assistant: an unconstrained answer the sample stage draws -> user:
            a rewrite request carrying the constraints) or `system` (the constraints in a system message, the
            task alone in the user message). Responses answer the last user turn and are verified on it.
  MappedBy  how a free-form text became a registry constraint: `rules` (pipeline.constraints.match, at
            compose) or `llm` (an LLM's proposal made at compose, accepted by `checkers` when the proposed
            constraint's checker agrees with the text's generated test cases or checker functions).
And the patterns compose renders an instruction with (`PATTERNS`, an instruction's `pattern`).

Free-form text that is a registry constraint ("Do not use the word 'very'.") is kept as the registry entry
it states, with the original words as its `text` and a `mapped` note (`mapped_constraint`); an LLM's
proposal rides on the free-form entry as `proposed` until `checkers` accepts it, and `resolve_mapping` is
where verify and export turn an accepted one into its registry entry.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final, Literal, TypedDict, cast

from .jsonl import canonical_dumps

if TYPE_CHECKING:  # (typing has it from 3.11; the annotations below are never evaluated at run time)
    from typing_extensions import NotRequired

# -- words ------------------------------------------------------------------------------------------------

SourceName = Literal["registry", "freeform"]
VerifierName = Literal["builtin", "generated", "judge", "none"]
ShapeName = Literal["single", "multiturn", "system"]
MappedByName = Literal["rules", "llm"]


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


class Shape:
    """Values of `shape` on an instruction (and its verdicts): how the prompt is laid out."""

    SINGLE: Final = "single"  # [user: task + constraints]
    MULTITURN: Final = "multiturn"  # [user: task] -> [assistant: sampled answer] -> [user: rewrite + constraints]
    SYSTEM: Final = "system"  # [system: constraints] -> [user: task]

    ALL: Final = ("single", "multiturn", "system")


class MappedBy:
    """Values of `mapped.by` on a constraint entry: what turned free-form text into a registry constraint."""

    RULES: Final = "rules"  # pipeline.constraints.match recognised the text (compose)
    LLM: Final = "llm"  # an LLM proposed it (compose) and checkers accepted it on the text's test cases


PATTERNS: Final = ("listing", "incorporation", "example")  # how compose renders an instruction (prompts/compose/)


# -- shapes -----------------------------------------------------------------------------------------------


class Seed(TypedDict):
    id: str
    text: str
    language: str | None  # BCP-47-ish tag, "und" when undetectable
    category: str | None
    source: str  # the file or dataset the seed was read from
    meta: dict[str, Any]  # the input row's other fields
    constraints: NotRequired[list[str]]  # the row's own free-form constraints (seeds.constraints_field)


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
    freeform_from: NotRequired[str]  # "seed" when the seed row brought metadata.freeform_constraints
    llm_errors: list[str]
    model: str


class ChatMessage(TypedDict):
    role: str  # system / user / assistant
    content: str | None  # None only in an instruction's multiturn prompt: the answer the sample stage draws


class ConstraintMapping(TypedDict):
    """On a registry entry made from free-form text: how, and which free-form constraint it was."""

    by: MappedByName
    freeform_id: str  # freeform_constraint_id(text): the id the text had as a free-form constraint
    rule: str | None  # the matcher rule that fired (by == rules)


class MappingProposal(TypedDict):
    """On a free-form entry: the registry constraint an LLM says the text states (compose.llm_match)."""

    id: str
    params: dict[str, Any]


class InstructionConstraint(TypedDict):
    id: str  # a registry id, or freeform:<hash of the text>
    params: dict[str, Any]
    source: SourceName
    soft: bool  # judged by an LLM
    text: str  # how the instruction states it
    mapped: NotRequired[ConstraintMapping]  # a registry entry stated in free-form words (text = those words)
    proposed: NotRequired[MappingProposal]  # a free-form entry with an LLM proposal, used once checkers accept it


class Instruction(TypedDict):
    id: str
    task_id: str
    seed_id: str | None
    index: int  # k-th instruction of its task
    text: str  # the prompt as one string (single: the user turn; else prompt_text(messages))
    language: str | None
    category: str | None
    metadata: TaskMetadata
    constraints: list[InstructionConstraint]
    pattern: str  # one of PATTERNS
    difficulty: str  # L1..L4
    checks: dict[str, Any]  # what compose checked and rejected on the way
    shape: ShapeName
    messages: NotRequired[list[ChatMessage]]  # the prompt as chat turns (absent for single: [user: text])


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
    history: NotRequired[list[ChatMessage]]  # multiturn: the turns before the last one, as sent (answer drawn here)


class CheckerItem(TypedDict, total=False):
    """A `checkers` work item: one constraint to write functions for."""

    id: str
    kind: SourceName
    text: str
    registry_id: str  # kind == registry only
    params: dict[str, Any]  # kind == registry only
    proposed: MappingProposal  # kind == freeform with an LLM proposal (compose.llm_match)


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


class MappingCheck(TypedDict):
    """Whether an LLM's proposed registry constraint checks a free-form text as its generated cases say."""

    id: str
    params: dict[str, Any]
    accepted: bool
    evidence: str | None  # "cases" (agrees with the test cases' labels) or "functions" (with the kept functions)
    accuracy: float  # share of the test cases whose label the proposed checker reproduces
    cases: int
    reason: str


class Checker(TypedDict):
    id: str  # the free-form constraint id, or registry_checker_key(...) for kind == registry
    kind: SourceName
    constraint_text: str
    registry_id: str | None
    params: dict[str, Any] | None
    functions: list[CheckerFunction]
    cases: list[CheckerCase]
    kept: bool
    reason: str  # for people, e.g. "only 2 test case(s) survived"
    outcome: str  # kept, too_few_cases, one_sided, too_few_functions, no_function, back_translation_rejected
    accuracy: float  # mean accuracy of the kept functions
    provenance: dict[str, Any]
    mapping: NotRequired[MappingCheck]  # kind == freeform with an LLM proposal


class VerdictResult(TypedDict):
    index: int  # position of the constraint in its instruction
    id: str
    source: SourceName
    passed: bool | None  # None: could not be verified
    verifier: VerifierName
    reason: str
    mapped: NotRequired[MappedByName]  # the constraint was free-form text mapped onto this registry id


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
    shape: ShapeName  # the instruction's


# -- ids --------------------------------------------------------------------------------------------------


canonical_json = canonical_dumps  # JSON with sorted keys and no whitespace: the input to every content hash


def content_id(*parts: Any, length: int = 16) -> str:
    """Stable hex id of the given parts (order matters)."""
    h = hashlib.sha256()
    for p in parts:
        h.update(canonical_json(p).encode("utf-8"))
        h.update(b"\x1f")
    return h.hexdigest()[:length]


def seed_id(text: str, constraints: list[str] | None = None) -> str:  # one task, several constraint sets
    return content_id(text, constraints) if constraints else content_id(text)


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


def mapped_constraint(
    cid: str,
    params: dict[str, Any],
    text: str,
    *,
    by: MappedByName,
    rule: str | None = None,
    soft: bool = False,
) -> InstructionConstraint:
    """The registry entry free-form `text` states: checked by `cid`'s checker, still worded as `text`."""
    entry = registry_constraint(cid, params, text, soft)
    entry["mapped"] = {"by": by, "freeform_id": freeform_constraint_id(text), "rule": rule}
    return entry


def with_proposal(c: InstructionConstraint, cid: str, params: dict[str, Any]) -> InstructionConstraint:
    """A free-form entry carrying an LLM's proposed mapping (applied only once checkers accept it)."""
    return {**c, "proposed": {"id": cid, "params": params}}


def proposal_key(cid: str, params: dict[str, Any]) -> str:
    """What identifies one proposal: checkers accepts this key, verify and export look it up."""
    return canonical_json([cid, params])


def resolve_mapping(c: InstructionConstraint, accepted: Mapping[str, str]) -> InstructionConstraint:
    """`c` as verify and export use it: a free-form entry whose proposal checkers accepted (`accepted`:
    free-form id -> proposal_key) becomes the registry entry it maps to; anything else is returned as is."""
    p = c.get("proposed")
    if not p or not is_freeform(c) or accepted.get(c["id"]) != proposal_key(p["id"], p["params"]):
        return c
    return mapped_constraint(p["id"], p["params"], c["text"], by=MappedBy.LLM)


# -- prompt shapes ----------------------------------------------------------------------------------------


def instruction_shape(ins: Mapping[str, Any]) -> ShapeName:
    """An instruction's (or a verdict's) shape; records written before shapes existed are single."""
    shape = ins.get("shape") or Shape.SINGLE
    if shape not in Shape.ALL:
        raise ValueError(f"unknown prompt shape {shape!r} (known: {', '.join(Shape.ALL)})")
    return cast(ShapeName, shape)


def prompt_text(messages: list[ChatMessage]) -> str:
    """A chat prompt as one string (an instruction's `text`): its system and user turns, blank-line separated.
    Assistant turns are left out: in a multiturn prompt the answer is drawn after compose wrote `text`."""
    return "\n\n".join(str(m["content"]) for m in messages if m["role"] != "assistant" and m["content"])


def instruction_messages(ins: Mapping[str, Any]) -> list[ChatMessage]:
    """The prompt as chat turns, as compose wrote it (a multiturn prompt's answer is still None)."""
    msgs = ins.get("messages")
    if not msgs:
        return [{"role": "user", "content": str(ins["text"])}]
    return [{"role": str(m["role"]), "content": m["content"]} for m in msgs]
