"""How a batch job reaches a provider: the OpenAI Files + Batches endpoints through the `openai` SDK
(OpenAI and any OpenAI-compatible server that implements /v1/files and /v1/batches) or through litellm's
`acreate_file` / `acreate_batch` / `aretrieve_batch` / `afile_content` (providers whose batch APIs differ
and that litellm translates: Azure, Vertex AI, Bedrock, Mistral).

Both transports have the same four calls: upload(JSONL bytes) → file id, create(file id) → batch dict,
retrieve(batch id) → batch dict, content(file id) → bytes (and a best-effort delete/cancel, and `aclose`).
A batch dict has at least `id`, `status`, `output_file_id`, `error_file_id`, `errors`. Errors come out as
RetryableError (429/5xx, timeouts, connection errors) or LLMError, like the chat path's.
"""

from __future__ import annotations

from typing import Any

from .settings import LLMSettings
from .types import RETRYABLE_STATUSES, LLMError, RetryableError, excerpt, status_cause

# providers for which litellm implements all four batch calls (checked against litellm's signatures)
LITELLM_BATCH_PROVIDERS = frozenset({"azure", "vertex_ai", "bedrock", "mistral"})
INPUT_FILENAME = "ifgen_batch.jsonl"


class OpenAIBatchTransport:
    """The OpenAI Files + Batches endpoints through the `openai` SDK, at the model's `base_url`.

    A batch job is a handful of calls (upload, create, a poll every `batch_poll_s`, download, delete), so the
    SDK's per-call overhead, which keeps it off the chat hot path, costs nothing here, and its multipart
    upload, typed errors and response models are what these calls need. Its own retries are off
    (`max_retries=0`): retries and backoff are ours (batch.py), the same for both transports. The SDK always
    sends a bearer token; a server configured without a key gets `EMPTY` (what vLLM's docs use for keyless
    servers)."""

    def __init__(self, settings: LLMSettings):
        from openai import AsyncOpenAI

        key = settings.api_key()
        if not key and settings.api_key_env:
            raise LLMError(f"environment variable {settings.api_key_env} (llm.api_key_env) is not set")
        self.s = settings
        self.base = settings.base_url
        self.client = AsyncOpenAI(
            base_url=self.base, api_key=key or "EMPTY", max_retries=0, timeout=max(settings.timeout_s, 60.0)
        )

    async def _do(self, what: str, coro: Any) -> Any:
        import openai

        try:
            return await coro
        except openai.APIStatusError as e:
            body = excerpt(e.response.text if e.response is not None else str(e))
            reason = f"HTTP {e.status_code} from {what} at {self.base}: {body}"
            cause = status_cause(e.status_code, self.base)
            if e.status_code in RETRYABLE_STATUSES:
                raise RetryableError(reason, status=e.status_code, body=body, cause=cause) from None
            raise LLMError(reason, status=e.status_code, body=body, cause=cause) from None
        except openai.APITimeoutError:
            raise RetryableError(
                f"timeout on {what} at {self.base}", timeout=True, cause=f"timeout from {self.base}"
            ) from None
        except openai.APIConnectionError as e:
            raise RetryableError(
                f"connection error on {what} at {self.base}: {e}",
                cause=f"cannot connect to {self.base} (is the server running?)",
            ) from None
        except openai.APIResponseValidationError as e:
            raise RetryableError(
                f"malformed reply to {what} at {self.base}: {excerpt(str(e))}",
                cause=f"malformed reply from {self.base}",
            ) from None

    async def upload(self, jsonl: bytes) -> str:
        f = await self._do("POST /files", self.client.files.create(file=(INPUT_FILENAME, jsonl), purpose="batch"))
        return str(f.id)

    async def create(self, file_id: str) -> dict[str, Any]:
        b = await self._do(
            "POST /batches",
            self.client.batches.create(
                input_file_id=file_id,
                endpoint="/v1/chat/completions",
                completion_window="24h",
                metadata={"source": "ifgen"},
            ),
        )
        return _as_dict(b)

    async def retrieve(self, batch_id: str) -> dict[str, Any]:
        return _as_dict(await self._do(f"GET /batches/{batch_id}", self.client.batches.retrieve(batch_id)))

    async def content(self, file_id: str) -> bytes:
        resp = await self._do(f"GET /files/{file_id}/content", self.client.files.content(file_id))
        return resp.content

    async def cancel(self, batch_id: str) -> None:
        await self._do(f"POST /batches/{batch_id}/cancel", self.client.batches.cancel(batch_id))

    async def delete(self, file_id: str) -> None:
        await self._do(f"DELETE /files/{file_id}", self.client.files.delete(file_id))

    async def aclose(self) -> None:
        await self.client.close()


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

    async def aclose(self) -> None:
        """Nothing to close: litellm owns its clients."""


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
