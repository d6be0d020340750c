"""LLM call settings: one pydantic model shared by the run config (`llm:`) and per-stage overrides.

The API key itself is never stored here (so it can never reach a config dump, cache key or log):
only the NAME of the environment variable that holds it.
"""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator
from pydantic_core import PydanticCustomError

from ..redact import watch


def invalid(key: str, message: str, *also: str) -> PydanticCustomError:
    """A validation error about `key` (and `also`), relative to the model raising it: error reports name the
    whole key path (`checkers.llm.api_base`) and where it was set (pipeline.config)."""
    return PydanticCustomError("invalid_setting", message, {"ifgen_keys": (key, *also)})


# Provider prefixes whose servers speak the OpenAI chat-completions wire format.
# These go through our own aiohttp hot path; other prefixes go through litellm (when no api_base is set).
OPENAI_COMPATIBLE_PREFIXES = frozenset(
    {"openai", "hosted_vllm", "vllm", "local", "custom_openai", "text-completion-openai"}
)
OPENAI_DEFAULT_BASE = "https://api.openai.com/v1"


class LLMSettings(BaseModel):
    """How to call one model. Unknown keys are an error (typos in a config must not pass silently)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    model: str = "openai/smollm2-135m-instruct"
    api_base: str | None = "http://127.0.0.1:8765/v1"
    api_key_env: str | None = None
    temperature: float = Field(0.7, ge=0.0, le=2.0)
    top_p: float = Field(1.0, gt=0.0, le=1.0)
    max_tokens: int = Field(1024, ge=1)
    seed: int = 0  # base seed; sample i is sent `seed + i` when temperature > 0
    timeout_s: float = Field(120.0, gt=0)
    max_concurrency: int = Field(64, ge=1)  # the cap; with `adaptive`, the ceiling the limit may grow to
    # Adaptive concurrency (adaptive.py): AIMD on 429/503/timeouts plus a latency signal for queueing servers.
    adaptive: bool = False
    min_concurrency: int = Field(4, ge=1)  # adaptive floor, and where the limit starts
    latency_tolerance: float = Field(2.0, gt=1.0)  # back off when window p50 latency > tolerance * best p50
    # Provider batch APIs (batch.py): `run_batch()` sends work as one OpenAI-style batch job when True.
    batch: bool = False
    batch_poll_s: float = Field(30.0, gt=0)
    # Structured output for JSON replies (chat_json): "json_schema" (OpenAI, vLLM, SGLang), "json_object" (llama.cpp:
    # grammar-constrained decoding from the schema), "off", or "auto" = json_object for the embedded model, else off.
    json_mode: Literal["auto", "off", "json_object", "json_schema"] = "auto"
    rpm: float | None = Field(None, gt=0)  # requests per minute (every HTTP attempt counts)
    tpm: float | None = Field(None, gt=0)  # tokens per minute (estimated before, corrected after)
    max_retries: int = Field(5, ge=0)
    backoff_base_s: float = Field(1.0, ge=0)  # exponential backoff with full jitter: base * 2**attempt
    backoff_max_s: float = Field(60.0, ge=0)
    retry_after_max_s: float = Field(300.0, ge=0)  # a server's Retry-After is honoured up to this
    cache: bool = True
    extra_body: dict[str, Any] = Field(default_factory=dict)
    system_prompt: str | None = None

    @model_validator(mode="after")
    def _check(self) -> LLMSettings:
        if not self.model.strip():
            raise invalid("model", "must not be empty")
        if self.api_base is not None and not self.api_base.startswith(("http://", "https://")):
            raise invalid("api_base", f"must start with http:// or https://, got {self.api_base!r}")
        if self.adaptive and self.min_concurrency > self.max_concurrency:
            raise invalid(
                "min_concurrency",
                f"({self.min_concurrency}) must be <= max_concurrency ({self.max_concurrency}) when adaptive",
                "max_concurrency",
                "adaptive",
            )
        return self

    def merged(self, overrides: dict[str, Any] | None) -> LLMSettings:
        """A copy with `overrides` applied (a stage's partial `llm:` dict). Keys replace whole values,
        except `extra_body`, whose keys are merged into the base dict. Validation runs again."""
        if not overrides:
            return self
        data = self.model_dump()
        for key, value in overrides.items():
            if key == "extra_body" and isinstance(value, dict):
                data["extra_body"] = {**data["extra_body"], **value}
            else:
                data[key] = value
        return LLMSettings.model_validate(data)

    # ---- derived facts used by the client ------------------------------------------------------
    @property
    def provider(self) -> str | None:
        """The `provider/` prefix of the model string, if any (e.g. 'openai', 'anthropic')."""
        head, sep, _ = self.model.partition("/")
        return head if sep else None

    @property
    def uses_openai_http(self) -> bool:
        """True when our own HTTP hot path serves this model: any api_base, or an OpenAI-style prefix
        (or none). False means litellm must translate (e.g. `anthropic/...` with no api_base)."""
        return self.api_base is not None or self.provider is None or self.provider in OPENAI_COMPATIBLE_PREFIXES

    @property
    def wire_model(self) -> str:
        """The model name sent in the request body: the OpenAI-style prefix stripped, anything else kept
        (a Hugging Face id like `Qwen/Qwen2.5-7B-Instruct` is sent whole)."""
        if self.provider in OPENAI_COMPATIBLE_PREFIXES:
            return self.model.split("/", 1)[1]
        return self.model

    @property
    def base_url(self) -> str:
        return (self.api_base or OPENAI_DEFAULT_BASE).rstrip("/")

    def api_key(self) -> str | None:
        """Read the key from the named environment variable at call time (never stored). With no
        `api_key_env`, only OpenAI's own endpoint (no api_base, OpenAI-style model) falls back to
        OPENAI_API_KEY; local and self-hosted servers get no key."""
        name = self.api_key_env
        if not name and self.api_base is None and self.uses_openai_http:
            name = "OPENAI_API_KEY"
        if not name:
            return None
        watch(name)  # whatever a server sends back, this value is scrubbed from it (pipeline.redact)
        return os.environ.get(name) or None

    def effective_seed(self, sample_index: int) -> int | None:
        """Seed sent to the server: distinct per sample when sampling; none needed when greedy."""
        return self.seed + sample_index if self.temperature > 0 else None
