"""How a batch job reaches a provider: the OpenAI Files + Batches endpoints, over our aiohttp session
(OpenAI and any OpenAI-compatible server that implements /v1/files and /v1/batches) or through litellm's
`acreate_file` / `acreate_batch` / `aretrieve_batch` / `afile_content` (providers whose batch APIs differ
and that litellm translates: Azure, Vertex AI, Bedrock, Mistral).

Both transports have the same four calls: upload(JSONL bytes) → file id, create(file id) → batch dict,
retrieve(batch id) → batch dict, content(file id) → bytes (and a best-effort delete/cancel). A batch dict has
at least `id`, `status`, `output_file_id`, `error_file_id`, `errors`.
"""

from __future__ import annotations

import json
from typing import Any

import aiohttp

from .settings import LLMSettings
from .types import RETRYABLE_STATUSES, LLMError, RetryableError, excerpt

# providers for which litellm implements all four batch calls (checked against litellm's signatures)
LITELLM_BATCH_PROVIDERS = frozenset({"azure", "vertex_ai", "bedrock", "mistral"})
INPUT_FILENAME = "ifgen_batch.jsonl"


class HTTPBatchTransport:
    def __init__(self, session: aiohttp.ClientSession, settings: LLMSettings):
        self.session = session
        self.s = settings
        self.base = settings.base_url
        self.timeout = aiohttp.ClientTimeout(total=max(settings.timeout_s, 60.0))

    def _headers(self) -> dict[str, str]:
        key = self.s.api_key()
        if key:
            return {"Authorization": "Bearer " + key}
        if self.s.api_key_env:
            raise LLMError(f"environment variable {self.s.api_key_env} (llm.api_key_env) is not set")
        return {}

    async def _call(self, method: str, path: str, *, json_body: Any = None, data: Any = None) -> bytes:
        url = self.base + path
        try:
            async with self.session.request(
                method, url, json=json_body, data=data, headers=self._headers(), timeout=self.timeout
            ) as resp:
                raw = await resp.read()
                status = resp.status
        except TimeoutError:
            raise RetryableError(f"timeout on {method} {url}", timeout=True) from None
        except aiohttp.ClientError as e:
            raise RetryableError(f"connection error on {method} {url}: {type(e).__name__}: {e}") from None
        if status != 200:
            reason = f"HTTP {status} from {method} {url}: {excerpt(raw)}"
            if status in RETRYABLE_STATUSES:
                raise RetryableError(reason, status=status, body=excerpt(raw))
            raise LLMError(reason, status=status, body=excerpt(raw))
        return raw

    async def _json(self, method: str, path: str, **kw: Any) -> dict[str, Any]:
        raw = await self._call(method, path, **kw)
        try:
            data = json.loads(raw)
        except ValueError:
            raise RetryableError(f"malformed JSON from {method} {self.base + path}: {excerpt(raw)}") from None
        if not isinstance(data, dict):
            raise RetryableError(f"expected a JSON object from {method} {self.base + path}: {excerpt(raw)}")
        return data

    async def upload(self, jsonl: bytes) -> str:
        form = aiohttp.FormData()
        form.add_field("purpose", "batch")
        form.add_field("file", jsonl, filename=INPUT_FILENAME, content_type="application/jsonl")
        return str((await self._json("POST", "/files", data=form))["id"])

    async def create(self, file_id: str) -> dict[str, Any]:
        return await self._json(
            "POST",
            "/batches",
            json_body={
                "input_file_id": file_id,
                "endpoint": "/v1/chat/completions",
                "completion_window": "24h",
                "metadata": {"source": "ifgen"},
            },
        )

    async def retrieve(self, batch_id: str) -> dict[str, Any]:
        return await self._json("GET", f"/batches/{batch_id}")

    async def content(self, file_id: str) -> bytes:
        return await self._call("GET", f"/files/{file_id}/content")

    async def cancel(self, batch_id: str) -> None:
        await self._call("POST", f"/batches/{batch_id}/cancel")

    async def delete(self, file_id: str) -> None:
        await self._call("DELETE", f"/files/{file_id}")


class LiteLLMBatchTransport:
    """litellm's SDK batch calls. `provider` is litellm's `custom_llm_provider`."""

    def __init__(self, settings: LLMSettings, provider: str):
        self.s = settings
        self.provider = provider
        self.kw: dict[str, Any] = {"custom_llm_provider": provider}
        if settings.api_base:
            self.kw["api_base"] = settings.api_base
        if settings.api_key_env and not settings.api_key():
            raise LLMError(f"environment variable {settings.api_key_env} (llm.api_key_env) is not set")
        if settings.api_key():
            self.kw["api_key"] = settings.api_key()

    async def _do(self, what: str, coro: Any) -> Any:
        import litellm

        try:
            return await coro
        except (
            litellm.RateLimitError,
            litellm.Timeout,
            litellm.APIConnectionError,
            litellm.InternalServerError,
            litellm.ServiceUnavailableError,
        ) as e:
            raise RetryableError(
                f"{what}: {type(e).__name__}: {str(e)[:300]}", status=getattr(e, "status_code", None)
            ) from None
        except Exception as e:  # noqa: BLE001 - litellm maps provider errors to many classes
            raise LLMError(
                f"{what}: {type(e).__name__}: {str(e)[:300]}", status=getattr(e, "status_code", None)
            ) from None

    async def upload(self, jsonl: bytes) -> str:
        import litellm

        f = await self._do(
            "litellm.acreate_file", litellm.acreate_file(file=(INPUT_FILENAME, jsonl), purpose="batch", **self.kw)
        )
        return str(f.id)

    async def create(self, file_id: str) -> dict[str, Any]:
        import litellm

        b = await self._do(
            "litellm.acreate_batch",
            litellm.acreate_batch(
                completion_window="24h",
                endpoint="/v1/chat/completions",
                input_file_id=file_id,
                metadata={"source": "ifgen"},
                **self.kw,
            ),
        )
        return _as_dict(b)

    async def retrieve(self, batch_id: str) -> dict[str, Any]:
        import litellm

        batch = await self._do("litellm.aretrieve_batch", litellm.aretrieve_batch(batch_id=batch_id, **self.kw))
        return _as_dict(batch)

    async def content(self, file_id: str) -> bytes:
        import litellm

        resp = await self._do("litellm.afile_content", litellm.afile_content(file_id=file_id, **self.kw))
        return resp.content if hasattr(resp, "content") else bytes(resp)

    async def cancel(self, batch_id: str) -> None:
        import litellm

        await self._do("litellm.acancel_batch", litellm.acancel_batch(batch_id=batch_id, **self.kw))

    async def delete(self, file_id: str) -> None:
        import litellm

        await self._do("litellm.afile_delete", litellm.afile_delete(file_id=file_id, **self.kw))


def _as_dict(obj: Any) -> dict[str, Any]:
    if isinstance(obj, dict):
        return obj
    dump = getattr(obj, "model_dump", None)
    if dump is None:
        raise LLMError(f"unexpected batch object from litellm: {type(obj).__name__}")
    data = dump()
    errors = data.get("errors")
    if errors is not None and not isinstance(errors, dict):
        data["errors"] = _as_dict(errors) if hasattr(errors, "model_dump") else {"data": errors}
    return data
