"""What the fake OpenAI server answers: scripted replies, rule-based replies, and injected faults.

Kept apart from the HTTP plumbing (fake_server.py) so the decision logic is small and testable.

Fault kinds: "429" (with Retry-After), "500", "400" (not worth retrying), "401" (key refused; with the server's
`echo_auth`, the body quotes the Authorization header it got, as some providers and proxies do), "hang" (no answer
until the client gives up),
"malformed" (HTTP 200 with a broken JSON body), "length" (reply truncated, finish_reason "length"),
"empty" (content ""), and "ok"/None (no fault; useful in scripts).
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

FAULT_KINDS = ("429", "500", "400", "401", "hang", "malformed", "length", "empty")
DEFAULT_RANDOM_FAULTS = ("429", "500", "hang", "malformed")

ReplyFn = Callable[[dict], "str | dict"]


def last_user_text(body: dict) -> str:
    for m in reversed(body.get("messages") or ()):
        if m.get("role") == "user":
            c = m.get("content")
            return c if isinstance(c, str) else json.dumps(c)
    return ""


def user_texts(body: dict) -> list[str]:
    """User message texts, last first: scripts match the last user message, and fall back to earlier
    ones so a multi-turn follow-up (e.g. a re-ask after invalid JSON) still follows its script."""
    out = []
    for m in reversed(body.get("messages") or ()):
        if m.get("role") == "user":
            c = m.get("content")
            out.append(c if isinstance(c, str) else json.dumps(c))
    return out


def _match(keys, texts: list[str]) -> str | None:
    for text in texts:
        for key in keys:
            if key in text:
                return key
    return None


def count_words(body: dict) -> int:
    n = 0
    for m in body.get("messages") or ():
        c = m.get("content")
        if isinstance(c, str):
            n += len(c.split())
    return n


def default_reply(body: dict) -> str:
    """Deterministic in (prompt, seed, temperature): the n samples of a prompt (distinct seeds) differ,
    and a repeated request gets the same text."""
    prompt = last_user_text(body)
    tag = f"{prompt}\x1f{body.get('seed')}\x1f{body.get('temperature')}"
    digest = hashlib.sha256(tag.encode("utf-8")).hexdigest()[:12]
    words = prompt.split()[:24]
    return f"Answer {digest}: " + " ".join(words)


class Rules:
    """Decides fault and reply for each request. All state lives here; `reset()` rewinds scripts."""

    def __init__(
        self,
        *,
        replies: dict[str, Any] | None = None,
        queue: list[Any] | None = None,
        faults: dict[str, list[str | None]] | None = None,
        fault_rate: float = 0.0,
        fault_kinds: list[str] | dict[str, float] | None = None,
        reply: ReplyFn | None = None,
        seed: int = 0,
    ):
        self.replies = dict(replies or {})
        self.queue = list(queue or [])
        self.faults = {k: list(v) for k, v in (faults or {}).items()}
        self.fault_rate = float(fault_rate)
        kinds = fault_kinds or DEFAULT_RANDOM_FAULTS
        if isinstance(kinds, dict):
            self._kinds, self._weights = list(kinds), [float(w) for w in kinds.values()]
        else:
            self._kinds, self._weights = list(kinds), [1.0] * len(kinds)
        for k in [*self._kinds, *(x for v in self.faults.values() for x in v)]:
            if k not in (*FAULT_KINDS, "ok", None):
                raise ValueError(f"unknown fault kind {k!r}; known: {', '.join(FAULT_KINDS)}, ok")
        self.reply_fn = reply
        self.seed = seed
        self.reset()

    def reset(self) -> None:
        self._rng = random.Random(self.seed)
        self._queue_pos = 0
        self._reply_pos: dict[str, int] = {}
        self._fault_pos: dict[str, int] = {}

    def pick_fault(self, texts: list[str]) -> tuple[str | None, str | None]:
        """(fault kind or None, the script key that matched or None). `texts`: see user_texts()."""
        key = _match(self.faults, texts) if self.faults else None
        if key is not None:
            seq = self.faults[key]
            i = self._fault_pos.get(key, 0)
            self._fault_pos[key] = i + 1
            kind = seq[i] if i < len(seq) else None
            return (None if kind == "ok" else kind), key
        if self.fault_rate > 0 and self._rng.random() < self.fault_rate:
            return self._rng.choices(self._kinds, self._weights)[0], None
        return None, None

    def reply(self, body: dict, texts: list[str]) -> tuple[dict, str | None]:
        """({"content", "reasoning_content"?, "finish_reason"?}, matched script key or None)."""
        key = _match(self.replies, texts) if self.replies else None
        if key is not None:
            val = self.replies[key]
            if isinstance(val, list):
                i = self._reply_pos.get(key, 0)
                self._reply_pos[key] = i + 1
                val = val[min(i, len(val) - 1)]
            return _as_reply(val), key
        if self._queue_pos < len(self.queue):
            self._queue_pos += 1
            return _as_reply(self.queue[self._queue_pos - 1]), None
        if self.reply_fn is not None:
            return _as_reply(self.reply_fn(body)), None
        return {"content": default_reply(body)}, None


def _as_reply(val: Any) -> dict:
    if isinstance(val, str):
        return {"content": val}
    if isinstance(val, dict) and "content" in val:
        return val
    raise TypeError(f"a scripted reply must be a string or a dict with 'content', got {val!r}")


def load_rules_file(path: str | Path) -> dict[str, Any]:
    """Rules file (JSON, or YAML by suffix): keys replies, queue, faults, fault_rate, fault_kinds, seed,
    and server keys latency, latency_max, retry_after, hang_s, model."""
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except OSError as e:
        raise ValueError(f"{p}: cannot read rules file: {e.strerror}") from None
    try:
        if p.suffix in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except Exception as e:  # noqa: BLE001
        raise ValueError(f"{p}: cannot parse rules file: {e}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{p}: rules file must hold a mapping at top level")  # noqa: TRY004 - bad file content
    return data
