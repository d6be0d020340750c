"""Secrets never leave the process: key values and bearer tokens are scrubbed from every text ifgen keeps or shows.

What counts as a secret: the value of every environment variable a config names as a key (`llm.api_key_env`,
per-stage and per-model `api_key_env`; the config registers them when it is validated, and the LLM layer when it
reads a key), of the variables read implicitly (OPENAI_API_KEY, HF_TOKEN, HUGGING_FACE_HUB_TOKEN), and any
`Bearer <token>` in a text. Values shorter than MIN_SECRET characters are not treated as secrets: placeholders
such as "EMPTY" or "none" would otherwise be cut out of ordinary text.

Where it is applied: at the source, on everything a server sends back (LLM error reasons and bodies, reply texts),
and again where text leaves the process: item errors in state.sqlite, stats files, the report page, log lines and
every message on stderr. So a server that echoes the Authorization header (some providers and proxies do) cannot
put the key in a run folder or a terminal.
"""

from __future__ import annotations

import os
import re
from typing import Any

MASK = "[redacted]"
MIN_SECRET = 8
IMPLICIT = ("OPENAI_API_KEY", "HF_TOKEN", "HUGGING_FACE_HUB_TOKEN")
_BEARER = re.compile(r"(?i)\b(bearer)(\s+)(?!\[redacted\])[A-Za-z0-9._~+/=-]{4,}")
_watched: dict[str, None] = dict.fromkeys(IMPLICIT)


def watch(*names: str | None) -> None:
    """Treat the values of these environment variables as secrets from now on (this process)."""
    for name in names:
        if name:
            _watched.setdefault(name, None)


def watched() -> tuple[str, ...]:
    return tuple(_watched)


def secret_values() -> list[str]:
    """The current values of the watched variables, longest first (a key containing another is masked whole)."""
    values = {v for v in (os.environ.get(n) for n in _watched) if v and len(v) >= MIN_SECRET}
    return sorted(values, key=len, reverse=True)


def redact(text: str) -> str:
    """`text` with every secret value and bearer token replaced by [redacted]."""
    if not text or not isinstance(text, str):
        return text
    for value in secret_values():
        if value in text:
            text = text.replace(value, MASK)
    if "earer" in text or "EARER" in text:
        text = _BEARER.sub(rf"\1\2{MASK}", text)
    return text


def redact_obj(obj: Any) -> Any:
    """`redact` applied to every string inside dicts, lists and tuples (keys too)."""
    if isinstance(obj, str):
        return redact(obj)
    if isinstance(obj, dict):
        return {redact_obj(k): redact_obj(v) for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return type(obj)(redact_obj(v) for v in obj)
    return obj
