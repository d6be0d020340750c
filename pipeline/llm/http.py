"""The hot path: OpenAI-compatible chat completions over one shared aiohttp session.

Why not the openai SDK or litellm here: measured on a 2-core machine, litellm.acompletion costs ~10 ms
CPU per call and the openai SDK 6-9 ms; a bare aiohttp session with a hand-built JSON body is ~0.5 ms.
At thousands of concurrent samples the client CPU would otherwise be the bottleneck.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from ..redact import redact
from .settings import LLMSettings
from .types import RETRYABLE_STATUSES, LLMError, RetryableError, excerpt, status_cause

_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_loads = json.loads


def build_body(settings: LLMSettings, messages: list[dict], sample_index: int) -> dict[str, Any]:
    """The request JSON. `extra_body` keys are merged last (e.g. vLLM's `top_k`, `chat_template_kwargs`)."""
    body: dict[str, Any] = {
        "model": settings.wire_model,
        "messages": messages,
        "temperature": settings.temperature,
        "top_p": settings.top_p,
        "max_tokens": settings.max_tokens,
    }
    seed = settings.effective_seed(sample_index)
    if seed is not None:
        body["seed"] = seed
    if settings.extra_body:
        body.update(settings.extra_body)
    return body


def parse_retry_after(value: str | None) -> float | None:
    """Retry-After in seconds (the HTTP-date form is rare for APIs and ignored)."""
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        return None


class OpenAIHTTP:
    """One aiohttp session, its pool sized to the client's concurrency cap."""

    def __init__(self, pool_size: int):
        self._pool_size = pool_size
        self._session: aiohttp.ClientSession | None = None
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}

    async def open(self) -> None:
        if self._session is None:
            connector = aiohttp.TCPConnector(
                limit=self._pool_size, limit_per_host=self._pool_size, ttl_dns_cache=300, keepalive_timeout=60
            )
            self._session = aiohttp.ClientSession(connector=connector, skip_auto_headers=("User-Agent",))

    async def close(self) -> None:
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def post_chat(self, settings: LLMSettings, body: dict[str, Any]) -> dict[str, Any]:
        """POST one request; return the parsed JSON, or raise RetryableError / LLMError."""
        if self._session is None:
            raise RuntimeError("OpenAIHTTP used outside its async context")
        headers = {"Content-Type": "application/json"}
        key = settings.api_key()
        if key:
            headers["Authorization"] = "Bearer " + key
        elif settings.api_key_env:
            raise LLMError(f"environment variable {settings.api_key_env} (llm.api_key_env) is not set")
        url = settings.base_url + "/chat/completions"
        timeout = self._timeouts.get(settings.timeout_s)
        if timeout is None:
            timeout = self._timeouts[settings.timeout_s] = aiohttp.ClientTimeout(total=settings.timeout_s)
        try:
            async with self._session.post(
                url, data=_dumps(body).encode("utf-8"), headers=headers, timeout=timeout
            ) as resp:
                raw = await resp.read()
                status = resp.status
                retry_after = resp.headers.get("Retry-After")
        except asyncio.TimeoutError:
            cause = f"timeout after {settings.timeout_s:g}s from {settings.base_url}"
            raise RetryableError(cause, timeout=True, cause=cause) from None
        except aiohttp.ClientConnectorError as e:
            cause = f"cannot connect to {settings.base_url} (is the server running?)"
            raise RetryableError(f"{cause}: {type(e).__name__}: {e}", cause=cause) from None
        except aiohttp.ClientError as e:
            cause = f"connection error with {settings.base_url} ({type(e).__name__})"
            raise RetryableError(f"{cause}: {e}", cause=cause) from None
        if status != 200:
            cause = status_cause(status, settings.base_url)
            reason = f"HTTP {status} from {url}: {excerpt(raw)}"
            if status in RETRYABLE_STATUSES:
                raise RetryableError(
                    reason, status=status, body=excerpt(raw), retry_after=parse_retry_after(retry_after), cause=cause
                )
            raise LLMError(reason, status=status, body=excerpt(raw), cause=cause)
        try:
            data = _loads(raw)
            if not isinstance(data, dict):
                raise TypeError("top level is not an object")
            choice = data["choices"][0]
            if not isinstance(choice, dict) or not isinstance(choice.get("message"), dict):
                raise KeyError("choices[0].message")
        except (ValueError, KeyError, IndexError, TypeError) as e:
            raise RetryableError(
                f"malformed response body ({type(e).__name__}: {e}): {excerpt(raw)}",
                status=status,
                body=excerpt(raw),
                cause=f"malformed reply from {settings.base_url} (not an OpenAI chat completion)",
            ) from None
        return data


def unpack(data: dict[str, Any]) -> tuple[str, str, str | None, str, int, int]:
    """(text, reasoning_content, finish_reason, model, prompt_tokens, completion_tokens) of a reply; the texts
    with secrets redacted (a server may echo the key: pipeline.redact)."""
    choice = data["choices"][0]
    msg = choice.get("message") or {}
    text = redact(msg.get("content") or "")
    reasoning = redact(msg.get("reasoning_content") or msg.get("reasoning") or "")
    usage = data.get("usage") or {}
    return (
        text,
        reasoning,
        choice.get("finish_reason"),
        data.get("model") or "",
        int(usage.get("prompt_tokens") or 0),
        int(usage.get("completion_tokens") or 0),
    )
