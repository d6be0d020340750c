"""Provider batch jobs against the fake server's in-memory Files + Batches endpoints: the whole round trip,
failed lines reported and not cached, the chat path answering from the cache afterwards, timeouts, routing."""

import asyncio

import pytest

from pipeline.llm import Completion, LLMClient, LLMError, LLMSettings
from pipeline.llm.batch import BatchRunner, run_batch
from pipeline.llm.cost import batch_price_per_token, price_per_token
from pipeline.testkit.fake_server import FakeServer


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def _requests(s: LLMSettings) -> list:
    reqs = [(user(f"batch prompt {i}"), None, i % 2) for i in range(8)]
    reqs += [(user("FAILME please"), None, 0), (user("BADREQ please"), s.merged({"temperature": 0.3}), 1)]
    reqs.append((user("other model"), s.merged({"model": "openai/other-model"}), 0))
    reqs.append((user("batch prompt 0"), None, 0))  # a duplicate of request 0: sent once
    return reqs


def test_batch_round_trip_fills_the_cache(tmp_path):
    cache = tmp_path / "cache.sqlite"

    async def main():
        async with FakeServer(batch_delay=0.1, faults={"FAILME": ["500"], "BADREQ": ["400"]}) as srv:
            s = LLMSettings(api_base=srv.url, model="openai/gpt-4o-mini", temperature=0.7, max_retries=2)
            reqs = _requests(s)
            async with LLMClient(s, cache) as client:
                runner = BatchRunner(client, poll_s=0.03)
                results = await runner.run(reqs)
                batch_usage = dict(client.usage)
                stats_after_batch = srv.stats()
                files_left = dict(srv.batches.files)
                chats = [await client.chat(m, settings=st, sample_index=i) for m, st, i in reqs]
                again = await run_batch(client, reqs, poll_s=0.03)
            return results, runner.batches, batch_usage, stats_after_batch, files_left, chats, again, srv.stats(), srv

    results, batches, usage, st1, files_left, chats, again, st2, srv = asyncio.run(main())
    # one job per model (OpenAI requires one model per batch); sampling settings may differ within a job
    assert len(results) == 12 and len(batches) == 2
    assert results[10].model == "other-model" and results[10].extra["batch_id"] != results[0].extra["batch_id"]
    ok = [r for r in results if isinstance(r, Completion)]
    bad = [r for r in results if isinstance(r, LLMError)]
    assert len(ok) == 10 and len(bad) == 2
    assert bad[0].status == 500 and "fault 500" in bad[0].reason
    assert bad[1].status == 400 and "HTTP 400" in bad[1].reason
    assert results[0].text == results[11].text and results[0].text.startswith("Answer ")
    assert all(r.extra["batch_id"] for r in ok)
    assert st1["requests"] == 0 and st1["batch_lines"] == 11  # nothing over chat; the duplicate was sent once
    assert not files_left  # input, output and error files deleted after download
    assert sum(b["request_counts"]["failed"] for b in batches) == 2
    # batch price, not the normal one
    pin, pout = batch_price_per_token("openai/gpt-4o-mini")
    assert pin < price_per_token("openai/gpt-4o-mini")[0]
    assert ok[0].cost == pytest.approx(ok[0].prompt_tokens * pin + ok[0].completion_tokens * pout) and ok[0].cost > 0
    assert usage["failures"] == 2 and usage["calls"] == 11
    # the chat path: cache hits for what the batch answered, HTTP only for the two failed lines
    assert [c.cached for c in chats] == [True] * 8 + [False, False] + [True, True]
    assert [c.text for c in chats[:8]] == [r.text for r in results[:8]]
    assert st2["requests"] == 2
    # a second batch call needs no job at all
    assert all(isinstance(r, Completion) and r.cached for r in again) and len(srv.batches.batches) == 2


def test_batch_that_never_finishes_is_cancelled_and_reported():
    async def main():
        async with FakeServer(batch_delay=60) as srv:
            async with LLMClient(LLMSettings(api_base=srv.url)) as client:
                res = await run_batch(
                    client, [(user("slow one"), None, 0), (user("slow two"), None, 0)], poll_s=0.05, max_wait_s=0.3
                )
            return res, [b["obj"]["status"] for b in srv.batches.batches.values()]

    res, statuses = asyncio.run(main())
    assert all(isinstance(r, LLMError) and "after 0.3s" in r.reason and "cancelled" in r.reason for r in res)
    assert statuses == ["cancelled"]


def test_batch_routing_errors_are_clear():
    async def main():
        s = LLMSettings(model="anthropic/claude-3-5-sonnet-20240620", api_base=None)
        async with LLMClient(s) as client:
            return await run_batch(client, [(user("hi"), None, 0)])

    (res,) = asyncio.run(main())
    assert isinstance(res, LLMError) and "no batch API" in res.reason and "anthropic" in res.reason
    with pytest.raises(ValueError):
        BatchRunner(None, transport="carrier-pigeon")


def test_batch_through_litellm_sdk_calls(monkeypatch):
    """The litellm route (used for Azure/Vertex/Bedrock/Mistral) driven against the fake server with
    litellm's OpenAI provider: proves acreate_file/acreate_batch/aretrieve_batch/afile_content interoperate."""
    monkeypatch.setenv("IFGEN_FAKE_KEY", "sk-fake-batch")

    async def main():
        async with FakeServer(batch_delay=0.1, faults={"FAILME": ["500"]}) as srv:
            s = LLMSettings(api_base=srv.url, api_key_env="IFGEN_FAKE_KEY", max_retries=1)
            async with LLMClient(s) as client:
                res = await run_batch(
                    client,
                    [(user("via litellm"), None, 0), (user("FAILME now"), None, 0)],
                    poll_s=0.05,
                    transport="litellm",
                )
            return res, srv.stats()

    res, stats = asyncio.run(main())
    assert isinstance(res[0], Completion) and res[0].text.startswith("Answer "), res[0]
    assert isinstance(res[1], LLMError) and res[1].status == 500
    assert stats["batch_lines"] == 2 and stats["with_auth"] == 0  # no chat request was made


def test_batch_calls_go_through_the_openai_sdk_with_the_configured_key(monkeypatch):
    """The Files + Batches calls are made by the `openai` SDK: it carries the configured key (the fake's batch
    endpoints refuse any other with a 401, as OpenAI does), and a refused key is a clear, non-retried error."""
    from pipeline.llm.batch_transport import OpenAIBatchTransport

    monkeypatch.setenv("IFGEN_FAKE_BATCH_KEY", "sk-batch-right")

    async def main(key: str):
        monkeypatch.setenv("IFGEN_FAKE_BATCH_KEY", key)
        async with FakeServer(batch_delay=0.05, batch_api_key="sk-batch-right") as srv:
            s = LLMSettings(api_base=srv.url, api_key_env="IFGEN_FAKE_BATCH_KEY", max_retries=1)
            assert isinstance(BatchRunner(None)._transport(s), OpenAIBatchTransport)
            async with LLMClient(s) as client:
                res = await run_batch(client, [(user("keyed one"), None, 0), (user("keyed two"), None, 1)], poll_s=0.03)
            return res, srv.stats()

    res, stats = asyncio.run(main("sk-batch-right"))
    assert all(isinstance(r, Completion) and r.text.startswith("Answer ") for r in res), res
    assert stats["batch_lines"] == 2 and stats["requests"] == 0
    res, stats = asyncio.run(main("sk-batch-wrong"))
    assert all(isinstance(r, LLMError) and r.status == 401 and "HTTP 401" in r.reason for r in res), res
    assert "sk-batch" not in " ".join(r.reason for r in res)  # the key never lands in an error
    assert stats["batch_lines"] == 0
