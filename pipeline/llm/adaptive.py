"""Adaptive concurrency: a resizable async limiter driven by an AIMD controller with a latency signal.

Why: a fixed `max_concurrency` is either too low (an idle GPU server) or too high (429 storms from an API,
or a vLLM/SGLang server that queues everything past its batch size, so extra in-flight requests only add
latency and hit timeouts). The client cannot know the right number in advance; it learns it.

Signals, per finished HTTP attempt (`release`):
  * overload — HTTP 429/503 or a timeout: multiplicative decrease, `limit *= BETA_OVERLOAD`.
  * latency  — servers that queue instead of refusing (TCP Vegas / Netflix "gradient" idea): the median
    latency of a short window of recent successes is compared to the best window median seen so far
    (the baseline, i.e. the latency of an unloaded server). Above `tolerance * baseline` the server is
    queueing, and by Little's law it really serves about `limit * baseline / p50` at once: the limit is
    set to that (but never cut by more than half in one step). Above `sqrt(tolerance) * baseline` a
    queue is building: growth pauses (and slow start ends) until a window says otherwise. So a server
    that queues settles a little above its real capacity — a short queue keeps its batch full — and
    far below the ceiling. The default tolerance 2 pauses at +41 % latency and cuts at +100 %: real GPU
    servers get somewhat slower per request as their batch grows while throughput still rises, so a
    much tighter tolerance would leave throughput unused.
  * healthy  — a success while the limit is actually in use: growth. Before the first decrease the
    limit grows by 1 per success (slow start: doubling per round trip); afterwards by sqrt(limit) per
    round trip (additive increase, ~ sqrt(limit)/limit per success).
At most one decrease per round trip: signals from attempts that started before the last decrease
describe the old, larger limit and are ignored (as TCP reacts once per window). The baseline drifts up
by 1 % per second so that a server that became slower for good (longer prompts) is not punished forever.

The limiter itself is FIFO: waiters are woken in arrival order whenever in-flight drops below the limit.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque

BETA_OVERLOAD = 0.7  # multiplicative decrease on 429/503/timeout
MAX_CUT = 0.5  # the latency signal never cuts the limit by more than half at once
BASELINE_DRIFT_PER_S = 0.01  # the baseline creeps up 1 % per second of windows that did not beat it
MIN_WINDOW = 8  # latency samples per evaluated window: between these two, a quarter of the limit
MAX_WINDOW = 64


class AdaptiveLimiter:
    """`await acquire()` → token (the start time); `release(token, latency_s | None, overload)` when done.

    `limit` is a float moved by the controller; `int(limit)` (at least `min_limit`) requests may be in
    flight. `history` holds (monotonic time, new limit, cause) for every decrease (and every 10 % of
    growth), for tests and logs."""

    def __init__(self, *, initial: int, min_limit: int, max_limit: int, tolerance: float = 2.0):
        if not 1 <= min_limit <= max_limit:
            raise ValueError(f"need 1 <= min_concurrency ({min_limit}) <= max_concurrency ({max_limit})")
        if tolerance <= 1.0:
            raise ValueError(f"latency tolerance must be > 1, got {tolerance}")
        self.min_limit, self.max_limit, self.tolerance = min_limit, max_limit, tolerance
        self.limit = float(min(max(initial, min_limit), max_limit))
        self.in_flight = 0
        self.max_in_flight = 0
        self.slow_start = True
        self.baseline: float | None = None
        self.history: list[tuple[float, float, str]] = [(time.monotonic(), self.limit, "start")]
        self._waiters: deque[asyncio.Future] = deque()
        self._last_decrease = time.monotonic()
        self._window: list[float] = []
        self._hold = False
        self._last_eval = time.monotonic()
        self._logged = self.limit

    # ---- slots -----------------------------------------------------------------------------------
    @property
    def cap(self) -> int:
        return max(self.min_limit, int(self.limit))

    async def acquire(self) -> float:
        if self.in_flight < self.cap and not self._waiters:
            return self._take()
        fut = asyncio.get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            await fut
        except asyncio.CancelledError:
            if fut.done() and not fut.cancelled():  # woken and cancelled at once: pass the slot on
                self.in_flight -= 1
                self._wake()
            else:
                self._waiters.remove(fut)
            raise
        return time.monotonic()

    def _take(self) -> float:
        self.in_flight += 1
        if self.in_flight > self.max_in_flight:
            self.max_in_flight = self.in_flight
        return time.monotonic()

    def _wake(self) -> None:
        while self._waiters and self.in_flight < self.cap:
            fut = self._waiters.popleft()
            if not fut.done():
                self._take()
                fut.set_result(None)

    def release(self, token: float, latency_s: float | None = None, overload: bool = False) -> None:
        """`token` from acquire(); `latency_s` of a successful attempt (None if it failed or was
        cancelled); `overload` for 429/503/timeout. Neutral failures pass neither."""
        busy = self.in_flight
        self.in_flight -= 1
        fresh = token >= self._last_decrease  # started under the current limit
        if overload:
            if fresh:
                self._decrease(BETA_OVERLOAD, "overload")
        elif latency_s is not None:
            self._on_success(latency_s, fresh, busy)
        self._wake()

    # ---- controller ------------------------------------------------------------------------------
    def _on_success(self, latency_s: float, fresh: bool, busy: int) -> None:
        if fresh:
            self._window.append(latency_s)
            if len(self._window) >= max(MIN_WINDOW, min(MAX_WINDOW, self.cap // 4)):
                window, self._window = sorted(self._window), []
                now = time.monotonic()
                dt, self._last_eval = min(1.0, now - self._last_eval), now
                p50 = window[len(window) // 2]
                self._hold = False
                if self.baseline is None or p50 < self.baseline:
                    self.baseline = p50
                elif p50 > self.tolerance * self.baseline:
                    self._decrease(
                        max(MAX_CUT, self.baseline / p50),
                        f"latency p50 {p50:.3f}s > {self.tolerance:g} x {self.baseline:.3f}s",
                    )
                    return
                else:
                    if p50 > math.sqrt(self.tolerance) * self.baseline:  # queue building: stop growing
                        self._hold = True
                        self.slow_start = False
                    self.baseline *= 1.0 + BASELINE_DRIFT_PER_S * dt
        if self._hold or busy < 0.5 * self.limit:
            return  # the limit is not what holds us back: no evidence it could be higher
        step = 1.0 if self.slow_start else math.sqrt(self.limit) / self.limit
        self.limit = min(float(self.max_limit), self.limit + step)
        if self.limit >= 1.1 * self._logged or self.limit == self.max_limit != self._logged:
            self._logged = self.limit
            self.history.append((time.monotonic(), self.limit, "growth"))

    def _decrease(self, beta: float, cause: str) -> None:
        self.slow_start = False
        self.limit = max(float(self.min_limit), self.limit * beta)
        self._last_decrease = time.monotonic()
        self._window = []
        self._logged = self.limit
        self.history.append((self._last_decrease, self.limit, cause))
