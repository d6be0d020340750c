"""Field types the config sections share: the strict section base, names checked against the registry
(families, patterns, constraint ids) and the partial `llm:` blocks (LLMOverride, ModelSpec)."""

from __future__ import annotations

import difflib
from typing import TYPE_CHECKING, Annotated, Any, Optional

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    create_model,
    model_serializer,
)

from ..llm.settings import LLMSettings
from ..records import PATTERNS


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=True)


# -- names checked against the registry -------------------------------------------------------------


def _one_of(kind: str, name: str, valid: list[str] | tuple[str, ...]) -> str:
    if name in valid:
        return name
    close = difflib.get_close_matches(name.lower(), [v.lower() for v in valid], n=1)
    hint = f" (did you mean {next(v for v in valid if v.lower() == close[0])!r}?)" if close else ""
    raise ValueError(f"unknown {kind} {name!r}{hint}; valid: {', '.join(valid)}")


def _family(name: str) -> str:
    from ..constraints.core.contract import FAMILIES

    return _one_of("family", name, FAMILIES)


def _constraint_id(name: str) -> str:
    from ..constraints import all_constraints

    ids = list(all_constraints())
    if name in ids:
        return name
    close = difflib.get_close_matches(name, ids, n=3)
    hint = f" (did you mean {', '.join(map(repr, close))}?)" if close else ""
    raise ValueError(f"unknown constraint id {name!r}{hint}; `ifgen constraints list` shows all {len(ids)}")


FamilyName = Annotated[str, AfterValidator(_family)]  # a family of pipeline.constraints (FAMILIES)
PatternName = Annotated[str, AfterValidator(lambda p: _one_of("pattern", p, PATTERNS))]  # records.PATTERNS
ConstraintId = Annotated[str, AfterValidator(_constraint_id)]  # an id of the constraint registry


# -- per-stage LLM blocks ---------------------------------------------------------------------------


class Given(BaseModel):
    """A partial settings block: only the keys given count, and only they are saved (so a block written as
    `{temperature: 0.2}` is dumped as written, and reloading it changes nothing)."""

    model_config = ConfigDict(extra="forbid", validate_assignment=True)

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        return {k: v for k, v in data.items() if k in self.model_fields_set}

    def given(self) -> dict[str, Any]:
        """The keys given, with their (validated) values."""
        return {k: getattr(self, k) for k in type(self).model_fields if k in self.model_fields_set}


def _all_optional(model: type[BaseModel]) -> dict[str, Any]:
    """Every field of `model`, same type and bounds, optional (default None)."""
    annotated: Any = Annotated  # built at run time from the field's own type and bounds
    fields: dict[str, Any] = {}
    for name, f in model.model_fields.items():
        args = (f.annotation, *f.metadata)
        ann = annotated[args] if f.metadata else f.annotation
        fields[name] = (Optional[ann], Field(None, description=f.description))  # noqa: UP045 - a runtime type
    return fields


if TYPE_CHECKING:

    class LLMOverride(Given):
        def __getattr__(self, name: str) -> Any: ...

else:
    LLMOverride = create_model(
        "LLMOverride",
        __base__=Given,
        __doc__="A stage's `llm:` block: any LLMSettings field, overriding the top-level `llm` value.",
        **_all_optional(LLMSettings),
    )

_MODEL_SPEC_KEYS = ("model", "api_base", "temperature", "max_tokens", "system_prompt", "weight", "n", "batch")


class ModelSpec(LLMOverride):
    """One model of `sample.models`: any LLMSettings field (None = inherit from sample.llm / llm), its weight
    and its own n. Saved with the keys it always had, plus any other field that is set."""

    weight: float = 1.0
    n: int | None = None  # responses per instruction from this model (default sample.n)

    @model_serializer(mode="wrap")
    def _given_only(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data = handler(self)
        rest = {k: v for k, v in data.items() if k not in _MODEL_SPEC_KEYS and v is not None}
        return {**{k: data[k] for k in _MODEL_SPEC_KEYS}, **rest}

    def overrides(self) -> dict[str, Any]:
        """The LLM settings this model sets (None = inherit, so not an override)."""
        return {k: getattr(self, k) for k in LLMSettings.model_fields if getattr(self, k) is not None}
