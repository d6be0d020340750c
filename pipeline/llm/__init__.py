"""The LLM layer: HTTP, retries, rate limits, response cache, token/cost accounting, JSON replies, prompts.

It knows nothing about constraints or stages. Files:
  settings.py  LLMSettings (the run config's `llm:` block; `merged()` applies a stage's overrides)
  client.py    LLMClient.chat(): cache → concurrency cap → rpm/tpm → HTTP (or litellm) → Completion
  adaptive.py  AdaptiveLimiter: AIMD + latency-gradient concurrency (settings.adaptive), instead of the fixed cap
  batch.py     run_batch(): provider batch jobs (OpenAI Files + Batches, or litellm) that fill the same cache
  batch_transport.py  the two ways a batch job reaches a provider (our aiohttp session, litellm's SDK calls)
  gctune.py    fewer cyclic-GC passes while a client is open (measured: -35 % client CPU at 1024 in flight)
  http.py      the hot path: one shared aiohttp session, hand-built OpenAI chat-completions JSON
  retry.py     tenacity policy: exponential backoff with jitter, Retry-After honoured
  limits.py    async token buckets for requests/tokens per minute
  cache.py     SQLite response cache (key and its rationale documented there)
  cost.py      prices from litellm's bundled cost map; usage dicts and add_usage()
  jsonout.py   chat_json(): extract + validate JSON, re-ask with the error on failure
  prompts.py   render()/render_messages() of the shipped jinja2 templates (pipeline.resources)
  types.py     Completion, LLMError, split_think()
litellm is imported lazily, only for providers that need request translation; its cost map is read from
its bundled JSON file (LITELLM_LOCAL_MODEL_COST_MAP=True is set before any litellm import), never fetched.
"""

import os

os.environ.setdefault("LITELLM_LOCAL_MODEL_COST_MAP", "True")

from .client import LLMClient
from .cost import add_usage, new_usage
from .jsonout import chat_json, extract_json
from .settings import LLMSettings
from .types import Completion, LLMError, split_think

__all__ = [
    "Completion",
    "LLMClient",
    "LLMError",
    "LLMSettings",
    "add_usage",
    "chat_json",
    "extract_json",
    "new_usage",
    "split_think",
]
