"""Provider batch APIs: send many chat requests as one asynchronous batch job (OpenAI: half price, its own
rate-limit pool, results within 24 h) and feed the replies into the same SQLite cache as `chat`.

    from pipeline.llm.batch import run_batch
    async with LLMClient(settings, cache_path) as client:
        results = await run_batch(client, [(messages, settings_or_None, sample_index), ...], poll_s=30)
        # results[i] is a Completion (cached=True when it came from the cache) or an LLMError

For the `sample` stage (when `settings.batch` is True): call `run_batch` once with all of a shard's
requests, then the normal `client.chat` path for the same requests answers from the cache; lines that
failed in the batch are not cached, so `chat` retries them over the normal path.

Per call: every request is looked up in the cache (hits are returned, not sent); the rest are grouped by
(endpoint, model, key), each group becomes one JSONL input file (one line per request, `custom_id` = its
position; duplicate requests are sent once), which is uploaded (`POST /files`, purpose=batch), turned into
a batch (`POST /batches`, endpoint /v1/chat/completions, completion_window 24h), polled every `poll_s`
seconds until it is completed/failed/expired/cancelled, and whose output and error files are downloaded and
mapped back by `custom_id`. A line answered with status 200 and a well-formed chat completion becomes a
Completion (cost at the provider's batch price) and is cached; any other line becomes an LLMError naming
the status and the provider's message; a request missing from both files (batch failed, expired or
cancelled) becomes an LLMError naming the batch id and its status. Files are deleted afterwards
(best effort) so they do not accumulate in the provider's storage.

Routing (batch_transport.py): `azure/`, `vertex_ai/`, `bedrock/`, `mistral/` models go through litellm's
batch SDK calls; every other model whose chat path is our HTTP client (any api_base, or an OpenAI-style
prefix) uses the OpenAI Files + Batches endpoints at its `base_url` through the `openai` SDK; anything else
is an LLMError (that provider has no batch API litellm can drive).
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from . import cost as _cost
from .batch_transport import LITELLM_BATCH_PROVIDERS, LiteLLMBatchTransport, OpenAIBatchTransport
from .http import build_body, unpack
from .settings import LLMSettings
from .types import Completion, LLMError, RetryableError, excerpt, split_think

if TYPE_CHECKING:
    from .client import LLMClient

BatchRequest = tuple[list[dict], "LLMSettings | None", int]
FINAL_STATUSES = frozenset({"completed", "failed", "expired", "cancelled"})
MAX_LINES = 50_000  # OpenAI's per-batch line limit: bigger groups are split


async def run_batch(
    client: LLMClient,
    requests: Sequence[BatchRequest],
    *,
    poll_s: float | None = None,
    max_wait_s: float = 25 * 3600.0,
    transport: str = "auto",
) -> list[Completion | LLMError]:
    """Answer `requests` (messages, settings or None for the client's, sample_index) through provider
    batch jobs; one result per request, in order. See the module docstring."""
    return await BatchRunner(client, poll_s=poll_s, max_wait_s=max_wait_s, transport=transport).run(requests)


class BatchRunner:
    def __init__(
        self,
        client: LLMClient,
        *,
        poll_s: float | None = None,
        max_wait_s: float = 25 * 3600.0,
        transport: str = "auto",
    ):
        if transport not in ("auto", "http", "litellm"):
            raise ValueError(f"transport must be auto, http or litellm, got {transport!r}")
        self.client = client
        self.poll_s = poll_s
        self.max_wait_s = max_wait_s
        self.transport = transport
        self.batches: list[dict[str, Any]] = []  # the final batch objects, for logs and tests

    def _transport(self, s: LLMSettings) -> OpenAIBatchTransport | LiteLLMBatchTransport:
        mode = self.transport
        if mode == "auto":
            mode = "litellm" if s.provider in LITELLM_BATCH_PROVIDERS else "http" if s.uses_openai_http else ""
        if mode == "litellm":
            return LiteLLMBatchTransport(s, s.provider if s.provider in LITELLM_BATCH_PROVIDERS else "openai")
        if mode == "http":
            return OpenAIBatchTransport(s)
        raise LLMError(
            f"no batch API for model {s.model!r}: use an OpenAI-compatible api_base or one of "
            f"{', '.join(sorted(LITELLM_BATCH_PROVIDERS))}"
        )

    async def run(self, requests: Sequence[BatchRequest]) -> list[Completion | LLMError]:
        results: list[Completion | LLMError | None] = [None] * len(requests)
        groups: dict[tuple, dict[str, Any]] = {}
        for i, (messages, settings, sample_index) in enumerate(requests):
            s = settings or self.client.settings
            msgs, key, hit = self.client.lookup(messages, s, sample_index)
            if hit is not None:
                results[i] = hit
                continue
            gk = (self.transport, s.base_url if s.uses_openai_http else s.provider, s.model, s.api_key_env)
            g = groups.setdefault(gk, {"settings": s, "lines": {}, "order": []})
            dedupe = key or f"{i}"
            line = g["lines"].get(dedupe)
            if line is None:
                line = g["lines"][dedupe] = {
                    "custom_id": f"r{i}",
                    "settings": s,
                    "key": key,
                    "indices": [],
                    "body": build_body(s, msgs, sample_index),
                }
                g["order"].append(line)
            line["indices"].append(i)
        jobs = [
            (g["settings"], g["order"][start : start + MAX_LINES])
            for g in groups.values()
            for start in range(0, len(g["order"]), MAX_LINES)
        ]
        # the jobs run concurrently: each mostly waits on the provider
        for (_, chunk), answers in zip(jobs, await asyncio.gather(*(self._run_group(s, c) for s, c in jobs))):
            for line, res in zip(chunk, answers):
                for i in line["indices"]:
                    results[i] = res
        return results  # type: ignore[return-value]

    # ---- one batch job ---------------------------------------------------------------------------
    async def _run_group(self, s: LLMSettings, lines: list[dict[str, Any]]) -> list[Completion | LLMError]:
        tr: OpenAIBatchTransport | LiteLLMBatchTransport | None = None
        try:
            tr = self._transport(s)
            wire_model = s.wire_model if isinstance(tr, OpenAIBatchTransport) else s.model.split("/", 1)[-1]
            jsonl = "".join(
                json.dumps(
                    {
                        "custom_id": ln["custom_id"],
                        "method": "POST",
                        "url": "/v1/chat/completions",
                        "body": {**ln["body"], "model": wire_model},
                    },
                    ensure_ascii=False,
                    separators=(",", ":"),
                )
                + "\n"
                for ln in lines
            )
            batch, answers = await self._submit_and_wait(s, tr, jsonl.encode("utf-8"))
        except (LLMError, RetryableError) as e:
            err = e if isinstance(e, LLMError) else LLMError(e.reason, status=e.status, body=e.body, cause=e.cause)
            _cost.record(self.client.usage, s.model, calls=len(lines), failures=len(lines))
            return [err] * len(lines)
        finally:
            if tr is not None:
                await tr.aclose()
        out: list[Completion | LLMError] = []
        for ln in lines:
            res = self._result(ln, answers.get(ln["custom_id"]), batch)
            if isinstance(res, Completion):
                self.client.store(ln["key"], s.model, res)
            out.append(res)
        return out

    async def _submit_and_wait(self, s: LLMSettings, tr: Any, jsonl: bytes) -> tuple[dict[str, Any], dict[str, dict]]:
        poll_s = self.poll_s if self.poll_s is not None else s.batch_poll_s
        file_id = await _retry(s, tr.upload, jsonl)
        batch = await _retry(s, tr.create, file_id)
        deadline = time.monotonic() + self.max_wait_s
        failures = 0
        while batch.get("status") not in FINAL_STATUSES:
            if time.monotonic() > deadline:
                try:
                    await tr.cancel(batch["id"])
                except (LLMError, RetryableError):
                    pass
                raise LLMError(
                    f"batch {batch['id']} still {batch.get('status')!r} after {self.max_wait_s:g}s; cancelled"
                )
            await asyncio.sleep(poll_s)
            try:
                batch = await tr.retrieve(batch["id"])
                failures = 0
            except RetryableError:  # a blip while polling a 24 h job is no reason to give it up
                failures += 1
                if failures > max(3, s.max_retries):
                    raise
        self.batches.append(batch)
        answers: dict[str, dict] = {}
        for fid in (batch.get("output_file_id"), batch.get("error_file_id")):
            if fid:
                raw = await _retry(s, tr.content, fid)
                for n, text in enumerate(raw.decode("utf-8", "replace").splitlines(), 1):
                    if not text.strip():
                        continue
                    try:
                        item = json.loads(text)
                        answers[str(item["custom_id"])] = item
                    except (ValueError, KeyError, TypeError):
                        raise LLMError(
                            f"batch {batch['id']}: file {fid} line {n} is not a result line: {excerpt(text, 200)}"
                        ) from None
        for fid in (file_id, batch.get("output_file_id"), batch.get("error_file_id")):
            if fid:
                try:
                    await tr.delete(fid)
                except (LLMError, RetryableError):
                    pass
        return batch, answers

    def _result(self, line: dict[str, Any], item: dict | None, batch: dict[str, Any]) -> Completion | LLMError:
        s: LLMSettings = line["settings"]
        usage = self.client.usage
        if item is None:
            why = _batch_errors(batch)
            _cost.record(usage, s.model, calls=1, failures=1)
            return LLMError(
                f"batch {batch.get('id')} ended {batch.get('status')!r} without a result for this "
                f"request{': ' + why if why else ''}"
            )
        resp = item.get("response") or {}
        status = resp.get("status_code")
        body: Any = resp.get("body")
        _cost.record(usage, s.model, calls=1, requests=1)
        if item.get("error") or status != 200:
            err = item.get("error") or (body.get("error") if isinstance(body, dict) else None) or body
            msg = err.get("message") if isinstance(err, dict) else err
            _cost.record(usage, s.model, failures=1)
            return LLMError(
                f"batch line failed with HTTP {status}: {excerpt(str(msg), 300)}",
                status=status,
                body=excerpt(json.dumps(body)),
                attempts=1,
            )
        try:
            text, reasoning_field, finish, model, ptok, ctok = unpack(body)
            if not isinstance(text, str):
                raise TypeError("content is not a string")
        except (KeyError, IndexError, TypeError, AttributeError) as e:
            _cost.record(usage, s.model, failures=1)
            return LLMError(
                f"batch line has a malformed chat completion ({type(e).__name__}: {e}): {excerpt(json.dumps(body))}",
                status=status,
                attempts=1,
            )
        text, think = split_think(text)
        reasoning = "\n\n".join(p for p in (reasoning_field.strip(), think) if p)
        usd = _cost.cost_usd(s.model, ptok, ctok, batch=True)
        _cost.record(usage, s.model, prompt_tokens=ptok, completion_tokens=ctok, cost=usd)
        return Completion(
            text=text,
            reasoning=reasoning,
            finish_reason=finish,
            model=model or s.model,
            prompt_tokens=ptok,
            completion_tokens=ctok,
            cost=usd,
            attempts=1,
            extra={"batch_id": batch.get("id")},
        )


def _batch_errors(batch: dict[str, Any]) -> str:
    errors = batch.get("errors") or {}
    data = errors.get("data") if isinstance(errors, dict) else None
    if not data:
        return ""
    parts = []
    for e in data[:3]:
        if isinstance(e, dict):
            where = f"line {e['line']}: " if e.get("line") is not None else ""
            parts.append(where + str(e.get("message") or e.get("code")))
    return "; ".join(parts)


async def _retry(s: LLMSettings, fn: Any, arg: Any) -> Any:
    """A batch-management call with a few retries on transient failures (exponential backoff)."""
    for attempt in range(max(1, s.max_retries + 1)):
        try:
            return await fn(arg)
        except RetryableError:
            if attempt >= s.max_retries:
                raise
            await asyncio.sleep(min(s.backoff_max_s, s.backoff_base_s * 2**attempt))
    raise AssertionError("unreachable")
