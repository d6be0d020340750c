"""Adaptive concurrency: the limiter's controller in isolation, then the client against fake servers that
refuse above a capacity (429), queue above a capacity (latency grows), or are healthy — measured at the server."""

import asyncio
import statistics

import pytest

from pipeline.llm import LLMClient, LLMSettings
from pipeline.llm.adaptive import AdaptiveLimiter
from pipeline.testkit.fake_server import FakeServer

N = 8  # the fake server's capacity
CEILING = 64


def test_limiter_slots_are_fifo_and_resizable():
    async def main():
        lim = AdaptiveLimiter(initial=2, min_limit=1, max_limit=8)
        tokens = [await lim.acquire(), await lim.acquire()]
        order = []

        async def waiter(i):
            await lim.acquire()
            order.append(i)

        tasks = [asyncio.create_task(waiter(i)) for i in range(3)]
        await asyncio.sleep(0.01)
        assert lim.in_flight == 2 and order == []
        lim.release(tokens[0], overload=True)  # 2 * 0.7 → cap 1: the freed slot is not handed on
        await asyncio.sleep(0.01)
        assert lim.cap == 1 and order == []
        lim.release(tokens[1])  # neutral failure: in flight 0 < 1 → first waiter runs
        await asyncio.sleep(0.01)
        assert order == [0] and lim.in_flight == 1
        tasks[1].cancel()  # a cancelled waiter gives up its place without taking a slot
        await asyncio.sleep(0.01)
        lim.release(lim.history[-1][0])
        await asyncio.gather(tasks[2], return_exceptions=True)
        assert order == [0, 2] and lim.in_flight == 1
        return lim

    lim = asyncio.run(main())
    assert [h[2] for h in lim.history] == ["start", "overload"]


def test_limiter_controller_rules():
    lim = AdaptiveLimiter(initial=4, min_limit=2, max_limit=100, tolerance=2.0)
    # slow start: +1 per success while the limit is in use
    lim.in_flight = 4
    for _ in range(4):
        lim.release(lim._last_decrease + 1, latency_s=0.1)
        lim.in_flight += 1
    assert lim.limit == 8 and lim.slow_start
    # one decrease per window: a second 429 from an attempt started before the first decrease is ignored
    old = lim._last_decrease
    lim.release(old, overload=True)
    assert lim.limit == pytest.approx(8 * 0.7) and not lim.slow_start
    lim.in_flight += 1
    lim.release(old, overload=True)
    assert lim.limit == pytest.approx(8 * 0.7)
    # additive increase after the first decrease: about sqrt(limit) per limit's worth of successes
    lim.limit, lim.in_flight = 16.0, 100
    for _ in range(16):
        lim.release(lim._last_decrease + 1, latency_s=0.1)
    assert 19 <= lim.limit <= 21
    # latency: baseline from the best window; a window at 5x the baseline cuts by half at most
    lim2 = AdaptiveLimiter(initial=32, min_limit=2, max_limit=32)
    lim2.in_flight = 1000
    t = lim2._last_decrease + 1
    for _ in range(8):
        lim2.release(t, latency_s=0.1)
    assert lim2.baseline == pytest.approx(0.1)
    before = lim2.limit
    for _ in range(8):
        lim2.release(t, latency_s=0.5)
    assert lim2.limit == pytest.approx(before * 0.5) and "latency" in lim2.history[-1][2]
    with pytest.raises(ValueError):
        AdaptiveLimiter(initial=4, min_limit=8, max_limit=4)


def _settings(url: str, **kw) -> LLMSettings:
    base = {
        "api_base": url,
        "adaptive": True,
        "min_concurrency": 2,
        "max_concurrency": CEILING,
        "timeout_s": 5.0,
        "max_retries": 30,
        "backoff_base_s": 0.02,
        "backoff_max_s": 0.2,
        "temperature": 0.0,
    }
    base.update(kw)
    return LLMSettings(**base)


async def _run(n: int, **server):
    async with FakeServer(**server) as srv:
        async with LLMClient(_settings(srv.url)) as client:
            res = await asyncio.gather(
                *[client.chat([{"role": "user", "content": f"item {i}"}], raise_errors=False) for i in range(n)]
            )
        return res, srv.stats(), client.limiter


def _second_half(stats):
    trace = stats["in_flight_trace"]
    return trace[len(trace) // 2 :]


def test_converges_below_a_refusing_server():
    res, stats, lim = asyncio.run(_run(500, latency=0.05, capacity=N, retry_after=0.05))
    assert all(r.error is None for r in res)
    assert stats["statuses"]["200"] == 500
    late = _second_half(stats)
    refused_late = sum(1 for _, f in late if f > N) / len(late)
    mean_late = statistics.mean(f for _, f in late)
    # near the capacity: most arrivals find room, and the capacity is mostly used
    assert refused_late < 0.25, refused_late
    assert 0.5 * N <= mean_late <= N + 1, mean_late
    assert 0.5 * N <= lim.limit <= 2 * N
    assert any(cause == "overload" for _, _, cause in lim.history)

    # the fixed cap would have hammered it: compare the refusal rate without adaptation
    async def fixed():
        async with FakeServer(latency=0.05, capacity=N, retry_after=0.05) as srv:
            async with LLMClient(_settings(srv.url, adaptive=False)) as client:
                await asyncio.gather(
                    *[client.chat([{"role": "user", "content": f"x {i}"}], raise_errors=False) for i in range(200)]
                )
            return srv.stats()

    base = asyncio.run(fixed())
    assert base["statuses"]["429"] / base["requests"] > 2 * refused_late


def test_settles_near_a_queueing_server_capacity():
    res, stats, lim = asyncio.run(_run(600, latency=0.05, queue_capacity=N))
    assert all(r.error is None for r in res) and stats["statuses"] == {"200": 600}
    late = sorted(f for _, f in _second_half(stats))
    mean_late, p90_late = statistics.mean(late), late[int(0.9 * len(late))]
    # settles a little above N (the default tolerance keeps a short queue so the server's batch stays
    # full), far from the ceiling of 64
    assert N <= mean_late <= 2.5 * N, mean_late
    assert p90_late <= 3.5 * N, p90_late
    assert statistics.median(limit for _, limit, _ in lim.history[1:]) <= 2.5 * N
    assert any("latency" in cause for _, _, cause in lim.history)


def test_grows_to_the_ceiling_on_a_healthy_server():
    # 0.2 s replies: long enough that event-loop delays on a busy 2-core test machine do not look like
    # server queueing (real replies take seconds)
    res, stats, lim = asyncio.run(_run(600, latency=0.2))
    assert all(r.error is None for r in res)
    assert stats["max_in_flight"] == CEILING and lim.limit == CEILING
    assert all(cause in ("start", "growth") for _, _, cause in lim.history)


def test_timeouts_shrink_the_limit():
    async def main():
        async with FakeServer(faults={"SLOW": ["hang"] * 50}) as srv:
            async with LLMClient(_settings(srv.url, timeout_s=0.2, max_retries=0, min_concurrency=16)) as client:
                await asyncio.gather(
                    *[client.chat([{"role": "user", "content": f"SLOW {i}"}], raise_errors=False) for i in range(16)]
                )
                return client.limiter

    lim = asyncio.run(main())
    assert lim.history[-1][2] == "overload" and lim.limit == 16  # one decrease, clamped at the floor
    assert len([h for h in lim.history if h[2] == "overload"]) == 1
