"""Retry policy (tenacity): exponential backoff with full jitter on retryable failures, and a server's
`Retry-After` honoured when it sends one (429/503), up to `llm.retry_after_max_s`. Non-retryable errors (e.g.
400, 401, 404) stop at once. A wait a server asked for is logged (a warning saying how long and why, at most one
line per cause every LOG_EVERY_S seconds), so a long Retry-After is never a silent stall.
"""

from __future__ import annotations

import logging
import random
import time

from tenacity import AsyncRetrying, RetryCallState, retry_if_exception_type, stop_after_attempt

from .settings import LLMSettings
from .types import RetryableError


class _Wait:
    """tenacity wait strategy: Retry-After if given (plus up to 10 % jitter), else base*2^n with full jitter."""

    def __init__(self, settings: LLMSettings, offset: int = 0):
        self.base = settings.backoff_base_s
        self.cap = settings.backoff_max_s
        self.ra_cap = settings.retry_after_max_s
        self.offset = offset

    def __call__(self, state: RetryCallState) -> float:
        exc = state.outcome.exception() if state.outcome is not None else None
        return self.seconds(exc, state.attempt_number + self.offset)

    def seconds(self, exc: BaseException | None, failed_attempts: int) -> float:
        asked = getattr(exc, "retry_after", None)
        if asked is not None:
            ra = min(float(asked), self.ra_cap)
            wait = ra + random.uniform(0.0, 0.1 * ra)
            _log_wait(exc, float(asked), wait, capped=float(asked) > self.ra_cap, cap=self.ra_cap)
            return wait
        ceiling = min(self.cap, self.base * (2 ** (failed_attempts - 1)))
        return random.uniform(0.0, ceiling)


log = logging.getLogger(__name__)
LOG_EVERY_S = 10.0
_last_logged: dict[str, float] = {}


def _log_wait(exc: BaseException | None, asked: float, wait: float, *, capped: bool, cap: float) -> None:
    cause = str(getattr(exc, "cause", None) or exc or "retryable error")
    now = time.monotonic()
    if wait < 1.0 or now - _last_logged.get(cause, -LOG_EVERY_S) < LOG_EVERY_S:
        return
    _last_logged[cause] = now
    why = f"the server sent Retry-After: {asked:g}s" + (
        f", capped at llm.retry_after_max_s = {cap:g}s" if capped else ""
    )
    log.warning("llm: %s: waiting %.0fs before retrying (%s)", cause, wait, why)


def first_backoff(settings: LLMSettings, exc: BaseException) -> float:
    """Seconds to wait after a failed first attempt (made outside tenacity, see `retrying`)."""
    return _Wait(settings).seconds(exc, 1)


def retrying(settings: LLMSettings) -> AsyncRetrying:
    """AsyncRetrying for the attempts after the first: the first attempt of every call runs without
    tenacity (it costs ~0.1 ms CPU per call, which matters at thousands of calls per second); only a
    call whose first attempt failed enters this loop, after sleeping `first_backoff`. So attempt k here
    is overall attempt k+1 and the backoff sequence continues where the first failure left it."""
    return AsyncRetrying(
        stop=stop_after_attempt(settings.max_retries),
        wait=_Wait(settings, offset=1),
        retry=retry_if_exception_type(RetryableError),
        reraise=True,
    )
