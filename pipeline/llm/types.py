"""Result and error types of the LLM layer, and the `<think>` splitter."""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any


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
    `reason` is a short human-readable cause, including the HTTP status and a body excerpt."""

    def __init__(self, reason: str, *, status: int | None = None, body: str = "", attempts: int = 0):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.body = body
        self.attempts = attempts


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
    ):
        super().__init__(reason)
        self.reason = reason
        self.status = status
        self.body = body
        self.retry_after = retry_after
        self.timeout = timeout

    @property
    def overload(self) -> bool:
        """The server says (or shows) it is over capacity: the adaptive limiter backs off."""
        return self.timeout or self.status in (429, 503, 529)


RETRYABLE_STATUSES = frozenset({408, 409, 425, 429, 500, 502, 503, 504, 520, 522, 524, 529})


def excerpt(body: bytes | str, limit: int = 300) -> str:
    if isinstance(body, bytes):
        body = body.decode("utf-8", "replace")
    body = " ".join(body.split())
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
