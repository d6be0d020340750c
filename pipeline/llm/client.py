"""LLMClient: the one object stages use to talk to models.

    async with LLMClient(settings, cache_path) as client:
        c = await client.chat([{"role": "user", "content": "hi"}], sample_index=0)

Per call: cache lookup → concurrency cap (semaphore) → rpm/tpm buckets → HTTP → parse → cache store,
inside a tenacity retry loop. An identical call already in flight (same cache key) is awaited, not sent
again: its reply is the second call's cache hit, so within one process concurrency never changes what is sent. The
semaphore is held only while a request is in flight, never during a backoff sleep, so one rate-limited item
does not idle a slot. With `settings.adaptive` the semaphore is
replaced by an AdaptiveLimiter (adaptive.py) that learns the server's capacity between
`min_concurrency` and `max_concurrency`; `client.limiter` exposes its limit and history. Routing: any `api_base` or an
OpenAI-style model prefix uses our aiohttp hot path (http.py); a non-OpenAI provider without an
api_base (e.g. `anthropic/...`) goes through `litellm.acompletion`, imported lazily on first use.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from typing_extensions import Self

from . import cost as _cost
from . import gctune
from .adaptive import AdaptiveLimiter
from .cache import ResponseCache, cache_key, open_cache
from .http import OpenAIHTTP, build_body, unpack
from .limits import RateLimits, estimate_tokens
from .retry import first_backoff, retrying
from .settings import LLMSettings
from .types import Completion, LLMError, RetryableError, excerpt, split_think, status_cause

_CACHED_FIELDS = ("text", "reasoning", "finish_reason", "model", "prompt_tokens", "completion_tokens", "cost")


class LLMClient:
    def __init__(self, settings: LLMSettings, cache_path: Path | str | None = None):
        self.settings = settings
        self.cache_path = Path(cache_path) if cache_path is not None else None
        self.usage: dict[str, Any] = _cost.new_usage()
        self._http = OpenAIHTTP(pool_size=settings.max_concurrency)
        self._cache: ResponseCache | None = None
        self._sem: asyncio.Semaphore | None = None
        self.limiter: AdaptiveLimiter | None = None  # set when settings.adaptive
        self._limits = RateLimits(settings.rpm, settings.tpm)
        # cache key -> the reply of the identical call in flight (None if it failed): single flight
        self._inflight: dict[str, asyncio.Future[Completion | None]] = {}

    async def __aenter__(self) -> Self:
        self._sem = asyncio.Semaphore(self.settings.max_concurrency)
        s = self.settings
        if s.adaptive:
            self.limiter = AdaptiveLimiter(
                initial=s.min_concurrency,
                min_limit=s.min_concurrency,
                max_limit=s.max_concurrency,
                tolerance=s.latency_tolerance,
            )
        await self._http.open()
        if self.cache_path is not None:
            self._cache = open_cache(self.cache_path)
        gctune.enter()
        return self

    async def __aexit__(self, *exc: object) -> None:
        gctune.leave()
        await self._http.close()
        if self._cache is not None:
            self._cache.release()
            self._cache = None

    # ------------------------------------------------------------------------------------------
    async def chat(
        self,
        messages: list[dict],
        *,
        settings: LLMSettings | None = None,
        sample_index: int = 0,
        raise_errors: bool = True,
    ) -> Completion:
        """One completion. Raises LLMError after retries (or returns a Completion with `error` set when
        `raise_errors=False`). Per-call `settings` may change model/sampling/timeout/retries; the
        concurrency cap and rpm/tpm limits are the client's own."""
        if self._sem is None:
            raise RuntimeError("LLMClient must be used as `async with LLMClient(...) as client`")
        s = settings or self.settings
        messages, key, hit = self.lookup(messages, s, sample_index)
        if hit is not None:
            return hit
        if key is None:
            return await self._call_or_error(s, messages, sample_index, raise_errors)
        pending = self._inflight.get(key)
        if pending is not None:  # the same call is on its way: its reply is this call's cache hit
            done = await asyncio.shield(pending)
            if done is not None:
                _cost.record(self.usage, s.model, cache_hits=1)
                fields: dict[str, Any] = {k: getattr(done, k) for k in _CACHED_FIELDS}
                return Completion(**fields, latency_s=0.0, cached=True, attempts=0)
            return await self.chat(messages, settings=s, sample_index=sample_index, raise_errors=raise_errors)
        mine: asyncio.Future[Completion | None] = asyncio.get_running_loop().create_future()
        self._inflight[key] = mine
        comp: Completion | None = None
        try:
            comp = await self._call_or_error(s, messages, sample_index, raise_errors)
            if comp.error is None:
                self.store(key, s.model, comp)
            return comp
        finally:
            del self._inflight[key]
            mine.set_result(comp if comp is not None and comp.error is None else None)

    async def _call_or_error(
        self, s: LLMSettings, messages: list[dict], sample_index: int, raise_errors: bool
    ) -> Completion:
        try:
            return await self._call(s, messages, sample_index)
        except LLMError as e:
            _cost.record(self.usage, s.model, failures=1)
            if raise_errors:
                raise
            return Completion(text="", model=s.model, error=e.reason, attempts=e.attempts)

    def lookup(
        self, messages: list[dict], s: LLMSettings, sample_index: int
    ) -> tuple[list[dict], str | None, Completion | None]:
        """(messages as sent — the system prompt prepended if configured —, cache key or None, cached
        Completion or None). A hit is counted in `usage`. Shared by `chat` and the batch runner."""
        if s.system_prompt and not (messages and messages[0].get("role") == "system"):
            messages = [{"role": "system", "content": s.system_prompt}, *messages]
        if not s.cache or self._cache is None:
            return messages, None, None
        key = cache_key(
            s.model,
            messages,
            s.temperature,
            s.top_p,
            s.max_tokens,
            s.effective_seed(sample_index),
            s.extra_body,
            sample_index,
        )
        hit = self._cache.get(key)
        if hit is None:
            return messages, key, None
        _cost.record(self.usage, s.model, cache_hits=1)
        fields: dict[str, Any] = {k: hit.get(k) for k in _CACHED_FIELDS}
        return messages, key, Completion(**fields, latency_s=0.0, cached=True, attempts=0)

    def store(self, key: str | None, model: str, comp: Completion) -> None:
        """Cache a successful reply under `key` (from `lookup`; None = caching is off)."""
        if key is not None and self._cache is not None:
            self._cache.put(key, model, {k: getattr(comp, k) for k in _CACHED_FIELDS})

    async def _attempt(
        self, s: LLMSettings, messages: list[dict], sample_index: int, est: int, started: list[float]
    ) -> dict[str, Any]:
        """One HTTP attempt under the concurrency cap and rate limits. `started` receives the time the
        first attempt was sent (latency excludes waiting for a slot, includes retries and backoff)."""
        if self.limiter is not None:
            return await self._attempt_adaptive(s, messages, sample_index, est, started)
        assert self._sem is not None  # chat() checked that the client is open
        async with self._sem:
            await self._limits.acquire(est)
            if not started:
                started.append(time.perf_counter())
            _cost.record(self.usage, s.model, requests=1)
            if s.uses_openai_http:
                return await self._http.post_chat(s, build_body(s, messages, sample_index))
            return await _litellm_call(s, messages, sample_index)

    async def _attempt_adaptive(
        self, s: LLMSettings, messages: list[dict], sample_index: int, est: int, started: list[float]
    ) -> dict[str, Any]:
        """As `_attempt`, with a slot of the adaptive limiter; the attempt's outcome and latency (measured
        after the rate-limit wait) feed its controller."""
        lim = self.limiter
        assert lim is not None  # _attempt sends here only when there is one
        token = await lim.acquire()
        latency = None
        overload = False
        try:
            await self._limits.acquire(est)
            t0 = time.perf_counter()
            if not started:
                started.append(t0)
            _cost.record(self.usage, s.model, requests=1)
            if s.uses_openai_http:
                data = await self._http.post_chat(s, build_body(s, messages, sample_index))
            else:
                data = await _litellm_call(s, messages, sample_index)
            latency = time.perf_counter() - t0
            return data
        except RetryableError as e:
            overload = e.overload
            raise
        finally:
            lim.release(token, latency, overload)

    async def _call(self, s: LLMSettings, messages: list[dict], sample_index: int) -> Completion:
        _cost.record(self.usage, s.model, calls=1)
        est = estimate_tokens(messages, s.max_tokens)
        attempts = 0
        started: list[float] = []
        try:
            try:
                attempts = 1
                data = await self._attempt(s, messages, sample_index, est, started)
            except RetryableError as first:
                if s.max_retries < 1:
                    raise
                await asyncio.sleep(first_backoff(s, first))
                async for attempt in retrying(s):
                    with attempt:
                        attempts += 1
                        _cost.record(self.usage, s.model, retries=1)
                        data = await self._attempt(s, messages, sample_index, est, started)
        except RetryableError as e:
            raise LLMError(
                f"gave up after {attempts} attempt(s): {e.reason}",
                status=e.status,
                body=e.body,
                attempts=attempts,
                cause=e.cause,
            ) from None
        except LLMError as e:
            e.attempts = attempts
            raise
        text, reasoning_field, finish, model, ptok, ctok = unpack(data)
        text, think = split_think(text)
        reasoning = "\n\n".join(p for p in (reasoning_field.strip(), think) if p)
        self._limits.settle(est, ptok + ctok if (ptok or ctok) else None)
        usd = _cost.cost_usd(s.model, ptok, ctok)
        _cost.record(self.usage, s.model, prompt_tokens=ptok, completion_tokens=ctok, cost=usd)
        return Completion(
            text=text,
            reasoning=reasoning,
            finish_reason=finish,
            model=model or s.model,
            prompt_tokens=ptok,
            completion_tokens=ctok,
            cost=usd,
            latency_s=time.perf_counter() - started[0],
            attempts=attempts,
        )


async def _litellm_call(s: LLMSettings, messages: list[dict], sample_index: int) -> dict[str, Any]:
    """Providers that need request translation. litellm is imported here, never on the hot path."""
    import litellm

    if s.api_key_env and not s.api_key():
        raise LLMError(f"environment variable {s.api_key_env} (llm.api_key_env) is not set")
    where = s.provider or s.model
    kwargs: dict[str, Any] = {
        "model": s.model,
        "messages": messages,
        "temperature": s.temperature,
        "top_p": s.top_p,
        "max_tokens": s.max_tokens,
        "timeout": s.timeout_s,
        "num_retries": 0,
        "drop_params": True,  # e.g. `seed` where a provider has none
    }
    seed = s.effective_seed(sample_index)
    if seed is not None:
        kwargs["seed"] = seed
    if s.api_key():
        kwargs["api_key"] = s.api_key()
    kwargs.update(s.extra_body)
    retryable = (
        litellm.RateLimitError,
        litellm.Timeout,
        litellm.APIConnectionError,
        litellm.InternalServerError,
        litellm.ServiceUnavailableError,
    )
    try:
        resp = await litellm.acompletion(**kwargs)
    except retryable as e:
        status = getattr(e, "status_code", None)
        raise RetryableError(
            f"{type(e).__name__}: {excerpt(str(e))}",
            status=status,
            retry_after=_retry_after_of(e),
            timeout=isinstance(e, litellm.Timeout),
            cause=status_cause(status, where) if isinstance(status, int) else f"{type(e).__name__} from {where}",
        ) from None
    except Exception as e:  # noqa: BLE001 - litellm maps provider errors to many classes
        status = getattr(e, "status_code", None)
        raise LLMError(
            f"{type(e).__name__}: {excerpt(str(e))}",
            status=status,
            cause=status_cause(status, where) if isinstance(status, int) else f"{type(e).__name__} from {where}",
        ) from None
    return resp.model_dump()


def _retry_after_of(exc: Exception) -> float | None:
    resp = getattr(exc, "response", None)
    headers = getattr(resp, "headers", None)
    if headers is None:
        return None
    from .http import parse_retry_after

    return parse_retry_after(headers.get("retry-after"))
