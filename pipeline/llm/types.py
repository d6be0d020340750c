"""Result and error types of the LLM layer, and the `<think>` splitter."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from ..redact import redact


@dataclass
class Completion:
    """One model reply. `finish_reason == "length"` and empty `text` are not errors at this layer:
    the caller decides what a truncated or empty reply means for its item."""

    text: str
    reasoning: str = ""
    finish_reason: str | None = None
    model: str = ""
    prompt_tokens: int = 0
    completion_tokens: int = 0
    cost: float = 0.0
    latency_s: float = 0.0
    cached: bool = False
    error: str | None = None
    attempts: int = 1
    extra: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


class LLMError(Exception):
    """A call that failed for good (after retries, or at once for non-retryable errors).
    `reason` says what happened, including the HTTP status and a body excerpt; `cause` is its stable one-line
    summary ("HTTP 401 from http://host/v1 (key refused)"), the same for every call that failed the same way,
    so a run can say what most of its failures were."""

    def __init__(
        self, reason: str, *, status: int | None = None, body: str = "", attempts: int = 0, cause: str | None = None
    ):
        reason, body, cause = redact(reason), redact(body), redact(cause or "")
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.body = body
        self.attempts = attempts
        self.cause = cause or (reason.splitlines()[0] if reason else "")


class RetryableError(Exception):
    """A failure worth another try: 408/409/429/5xx, timeout, connection error, malformed body."""

    def __init__(
        self,
        reason: str,
        *,
        status: int | None = None,
        body: str = "",
        retry_after: float | None = None,
        timeout: bool = False,
        cause: str | None = None,
    ):
        reason, body, cause = redact(reason), redact(body), redact(cause or "")
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.body = body
        self.retry_after = retry_after
        self.timeout = timeout
        self.cause = cause or reason

    @property
    def overload(self) -> bool:
        """The server says (or shows) it is over capacity: the adaptive limiter backs off."""
        return self.timeout or self.status in (429, 503, 529)


_STATUS_MEANING = {
    400: "request refused",
    401: "key refused",
    403: "access denied",
    404: "not found: check api_base and model",
    408: "request timeout",
    413: "request too large",
    422: "request refused",
    429: "rate limited",
}


def status_cause(status: int, where: str) -> str:
    """The stable one-line cause of an HTTP failure: "HTTP 401 from http://host/v1 (key refused)"."""
    meaning = _STATUS_MEANING.get(status) or ("server error" if status >= 500 else "refused")
    return f"HTTP {status} from {where} ({meaning})"


RETRYABLE_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})


def excerpt(body: bytes | str, limit: int = 300) -> str:
    """The start of a body on one line, secrets redacted before it is cut (so no key is left half-masked)."""
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    body = redact(" ".join(body.split()))
    return body if len(body) <= limit else body[:limit] + "…"


_THINK_BLOCK = re.compile(r"<think>(.*?)</think>", re.DOTALL)


def split_think(text: str) -> tuple[str, str]:
    """Move `<think>…</think>` content out of the reply. Handles: one or more closed blocks anywhere;
    a reply that starts inside a block opened by the chat template (only `</think>` present); and an
    unclosed `<think>` (reply cut off while thinking: everything after it is reasoning)."""
    if "<think>" not in text and "</think>" not in text:
        return text, ""
    parts: list[str] = []
    if "</think>" in text and ("<think>" not in text or text.index("</think>") < text.index("<think>")):
        head, _, text = text.partition("</think>")
        parts.append(head.strip())
    parts.extend(m.strip() for m in _THINK_BLOCK.findall(text))
    text = _THINK_BLOCK.sub("", text)
    if "<think>" in text:
        text, _, tail = text.partition("<think>")
        parts.append(tail.strip())
    return text.strip(), "\n\n".join(p for p in parts if p)
