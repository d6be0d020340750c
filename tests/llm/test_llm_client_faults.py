"""LLMClient against the fake server with injected faults: completion or recorded failure for every
request, cache replay with zero HTTP, concurrency cap, rpm limit and Retry-After measured at the server."""

import asyncio
import itertools

import pytest

from pipeline.llm import LLMClient, LLMError, LLMSettings
from pipeline.testkit.fake_server import FakeServer

REASONS = ("HTTP 429", "HTTP 500", "timeout", "malformed")


def settings(url: str, **kw) -> LLMSettings:
    base = {
        "api_base": url,
        "timeout_s": 0.3,
        "max_retries": 8,
        "backoff_base_s": 0.02,
        "backoff_max_s": 0.2,
        "max_concurrency": 16,
        "temperature": 0.0,
    }
    base.update(kw)
    return LLMSettings(**base)


async def _batch(client: LLMClient, n: int, tag: str = "q"):
    return await asyncio.gather(
        *[client.chat([{"role": "user", "content": f"{tag} number {i}"}], raise_errors=False) for i in range(n)]
    )


def test_faults_then_cache_replay(tmp_path):
    cache = tmp_path / "cache.sqlite"

    async def main():
        async with FakeServer(latency=0.01, fault_rate=0.3, retry_after=0.1, seed=7) as srv:
            s = settings(srv.url)
            async with LLMClient(s, cache) as client:
                first = await _batch(client, 200)
                usage1 = client.usage
            stats1 = srv.stats()
            srv.reset()
            async with LLMClient(s, cache) as client:
                second = await _batch(client, 200)
                usage2 = client.usage
            return first, usage1, stats1, second, usage2, srv.stats()

    first, usage1, stats1, second, usage2, stats2 = asyncio.run(main())
    assert len(first) == 200
    failed = [r for r in first if r.error]
    for r in first:
        if r.error:
            assert any(x in r.error for x in REASONS), r.error
        else:
            assert r.text.startswith("Answer ") and r.finish_reason == "stop"
    # every fault kind really happened, and retries covered them
    assert set(stats1["faults"]) == {"429", "500", "hang", "malformed"}
    assert sum(stats1["faults"].values()) >= 30
    assert usage1["calls"] == 200 and usage1["failures"] == len(failed)
    assert usage1["requests"] == stats1["requests"] == 200 + usage1["retries"]
    # hung requests are abandoned by the client; the server's count stays near the cap
    assert stats1["max_in_flight"] <= 16 + 4
    # second run: answers from the cache only
    assert usage2["cache_hits"] == 200 - len(failed)
    if not failed:
        assert stats2["requests"] == 0
    for a, b in zip(first, second):
        if not a.error:
            assert b.cached and b.text == a.text and b.attempts == 0


def test_failure_reason_after_retries():
    async def main():
        async with FakeServer(faults={"ALWAYS500": ["500"] * 10, "HANGS": ["hang"] * 10}) as srv:
            async with LLMClient(settings(srv.url, max_retries=2, timeout_s=0.2)) as client:
                with pytest.raises(LLMError) as e500:
                    await client.chat([{"role": "user", "content": "ALWAYS500 please"}])
                c = await client.chat([{"role": "user", "content": "HANGS please"}], raise_errors=False)
            for _ in range(50):  # the server notices the closed connection a moment later
                if srv.in_flight == 0:
                    break
                await asyncio.sleep(0.02)
            return e500.value, c, client.usage, srv.stats()

    err, hung, usage, stats = asyncio.run(main())
    assert err.status == 500 and err.attempts == 3 and "HTTP 500" in err.reason and "internal error" in err.reason
    assert hung.error and "timeout" in hung.error and hung.attempts == 3
    assert usage["failures"] == 2 and stats["requests"] == 6
    assert stats["in_flight"] == 0  # hung handlers were cancelled when the client gave up


def test_client_errors_are_not_retried():
    async def main():
        async with FakeServer(faults={"BAD": ["400", "400"]}) as srv:
            async with LLMClient(settings(srv.url)) as client:
                with pytest.raises(LLMError) as e:
                    await client.chat([{"role": "user", "content": "BAD request"}])
            return e.value, srv.stats()

    err, stats = asyncio.run(main())
    assert err.status == 400 and err.attempts == 1 and "bad request" in err.reason
    assert stats["requests"] == 1


def test_concurrency_cap_holds_at_server():
    async def main():
        async with FakeServer(latency=0.05) as srv:
            async with LLMClient(settings(srv.url, max_concurrency=8)) as client:
                await _batch(client, 80)
            return srv.stats()

    stats = asyncio.run(main())
    assert stats["requests"] == 80
    assert stats["max_in_flight"] == 8


def test_rpm_limit_holds_at_server():
    rate = 20  # per second

    async def main():
        async with FakeServer() as srv:
            async with LLMClient(settings(srv.url, rpm=rate * 60, max_concurrency=64)) as client:
                await _batch(client, 70)
            return srv.stats()

    stats = asyncio.run(main())
    per_sec = stats["arrivals_per_second"]
    assert sum(per_sec) == 70
    # the bucket starts full (one second of burst), then serves `rate` per second
    assert per_sec[0] <= 2 * rate + 1
    assert all(c <= rate + 2 for c in per_sec[1:]), per_sec
    assert len(per_sec) >= 3  # 70 requests at 20/s with a 20 burst need > 2.4 s


def test_retry_after_is_honoured():
    async def main():
        async with FakeServer(retry_after=0.5, faults={"RA-PROBE": ["429", "429", "ok"]}) as srv:
            # a huge backoff base shows the wait came from Retry-After, not from exponential backoff
            async with LLMClient(settings(srv.url, backoff_base_s=30, backoff_max_s=30)) as client:
                c = await client.chat([{"role": "user", "content": "RA-PROBE now"}])
            return c, srv.stats()

    c, stats = asyncio.run(main())
    t = stats["hits"]["RA-PROBE"]
    assert len(t) == 3 and c.attempts == 3 and not c.error
    for a, b in itertools.pairwise(t):
        assert 0.5 <= b - a <= 0.5 * 1.1 + 0.4, t


def test_a_huge_retry_after_is_capped_and_logged(caplog):
    async def main():
        async with FakeServer(retry_after=100000, faults={"RA-HUGE": ["429", "ok"]}) as srv:
            s = settings(srv.url, backoff_base_s=30, backoff_max_s=30, retry_after_max_s=1.0)
            async with LLMClient(s) as client:
                c = await client.chat([{"role": "user", "content": "RA-HUGE now"}])
            return c, srv.stats(), srv.url

    with caplog.at_level("WARNING", logger="pipeline.llm.retry"):
        c, stats, url = asyncio.run(main())
    a, b = stats["hits"]["RA-HUGE"]
    assert c.attempts == 2 and 1.0 <= b - a <= 1.1 + 0.4  # capped at 1 s, not 100000
    (line,) = [r.getMessage() for r in caplog.records if r.name == "pipeline.llm.retry"]
    assert line.startswith(f"llm: HTTP 429 from {url} (rate limited): waiting 1s before retrying (")
    assert "the server sent Retry-After: 100000s, capped at llm.retry_after_max_s = 1s" in line


def test_failures_carry_a_stable_cause():
    async def causes(url: str) -> list[str]:
        out = []
        async with LLMClient(settings(url, max_retries=1)) as client:
            for key in ("E401", "E500", "EBAD"):
                with pytest.raises(LLMError) as e:
                    await client.chat([{"role": "user", "content": f"{key} please"}])
                assert e.value.reason != e.value.cause  # the reason keeps the detail (status, body)
                out.append(e.value.cause)
        return out

    async def main():
        async with FakeServer(faults={"E401": ["401"], "E500": ["500"] * 2, "EBAD": ["malformed"] * 2}) as srv:
            return await causes(srv.url), srv.url

    got, url = asyncio.run(main())
    assert got == [
        f"HTTP 401 from {url} (key refused)",
        f"HTTP 500 from {url} (server error)",
        f"malformed reply from {url} (not an OpenAI chat completion)",
    ]


def test_length_and_empty_are_not_errors():
    async def main():
        async with FakeServer(faults={"CUT": ["length"], "NADA": ["empty"]}) as srv:
            async with LLMClient(settings(srv.url)) as client:
                cut = await client.chat([{"role": "user", "content": "CUT this reply in half please now"}])
                empty = await client.chat([{"role": "user", "content": "NADA"}])
                short = await client.chat(
                    [{"role": "user", "content": "one two three four five six"}],
                    settings=settings(srv.url, max_tokens=2),
                )
            return cut, empty, short

    cut, empty, short = asyncio.run(main())
    assert cut.finish_reason == "length" and cut.text and cut.error is None
    assert empty.text == "" and empty.error is None and empty.finish_reason == "stop"
    assert short.finish_reason == "length" and len(short.text.split()) == 2
