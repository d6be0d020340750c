"""Samples, reasoning split, JSON repair, cache keys, API-key hygiene, costs, the litellm route,
and the fake server as a subprocess."""

import asyncio
import json
import logging

import pytest
from pydantic import BaseModel

from pipeline.llm import LLMClient, LLMError, LLMSettings, chat_json, split_think
from pipeline.llm.cost import add_usage, cost_usd, price_per_token
from pipeline.testkit.fake_proc import FakeServerProcess, http_json
from pipeline.testkit.fake_server import FakeServer


def user(text: str) -> list[dict]:
    return [{"role": "user", "content": text}]


def test_samples_differ_and_carry_seeds():
    seen = []

    def rule(body):
        seen.append(body.get("seed"))
        return f"reply for seed {body.get('seed')} at t={body.get('temperature')}"

    async def main():
        async with FakeServer(reply=rule) as srv:
            s = LLMSettings(api_base=srv.url, temperature=0.8, seed=100)
            async with LLMClient(s) as client:
                hot = [await client.chat(user("same prompt"), sample_index=i) for i in range(5)]
                cold = [
                    await client.chat(user("same prompt"), settings=s.merged({"temperature": 0.0}), sample_index=i)
                    for i in range(2)
                ]
            return hot, cold

    hot, cold = asyncio.run(main())
    assert len({c.text for c in hot}) == 5
    assert seen[:5] == [100, 101, 102, 103, 104] and seen[5:] == [None, None]
    assert cold[0].text == cold[1].text


def test_default_rule_gives_distinct_samples():
    async def main():
        async with FakeServer() as srv, LLMClient(LLMSettings(api_base=srv.url, temperature=1.0)) as client:
            return [await client.chat(user("tell me a story"), sample_index=i) for i in range(4)]

    texts = [c.text for c in asyncio.run(main())]
    assert len(set(texts)) == 4


def test_think_moves_to_reasoning():
    replies = {
        "THINK": "<think>2 plus 2 is 4</think>The answer is 4.",
        "FIELD": {"content": "<think>more</think>Done.", "reasoning_content": "server side reasoning"},
    }

    async def main():
        async with FakeServer(replies=replies) as srv, LLMClient(LLMSettings(api_base=srv.url)) as client:
            return (await client.chat(user("THINK hard")), await client.chat(user("FIELD")))

    a, b = asyncio.run(main())
    assert (a.text, a.reasoning) == ("The answer is 4.", "2 plus 2 is 4")
    assert b.text == "Done." and b.reasoning == "server side reasoning\n\nmore"


@pytest.mark.parametrize(
    "raw, text, reasoning",
    [
        ("plain", "plain", ""),
        ("<think>a</think> b <think>c</think> d", "b  d", "a\n\nc"),
        ("started inside</think>answer", "answer", "started inside"),
        ("answer? <think>cut off while thinking", "answer?", "cut off while thinking"),
    ],
)
def test_split_think_cases(raw, text, reasoning):
    assert split_think(raw) == (text, reasoning)


class Item(BaseModel):
    name: str
    count: int


def test_chat_json_repairs_by_reasking():
    replies = {
        "JSONTASK": [
            'Sure! Here it is: {"name": "x", "count": "many"}',
            'Fixed:\n```json\n{"name": "x", "count": 2}\n```\nHope that helps.',
        ]
    }

    async def main():
        async with FakeServer(replies=replies) as srv:
            async with LLMClient(LLMSettings(api_base=srv.url)) as client:
                out = await chat_json(client, user("JSONTASK: give an item"), Item)
            return out, srv.stats()

    (item, errors, comp), stats = asyncio.run(main())
    assert item == Item(name="x", count=2)
    assert len(errors) == 1 and "count" in errors[0]
    assert stats["requests"] == 2 and comp.text.startswith("Fixed")


def test_chat_json_gives_up_with_errors():
    async def main():
        async with (
            FakeServer(replies={"NOJSON": "I cannot do that."}) as srv,
            LLMClient(LLMSettings(api_base=srv.url)) as client,
        ):
            return await chat_json(client, user("NOJSON item"), Item, attempts=3)

    item, errors, _comp = asyncio.run(main())
    assert item is None and len(errors) == 3 and "no JSON" in errors[0]


def test_cache_ignores_api_base_but_not_model(tmp_path):
    cache = tmp_path / "c.sqlite"

    async def main():
        async with FakeServer() as a, FakeServer() as b:
            async with LLMClient(LLMSettings(api_base=a.url), cache) as client:
                first = await client.chat(user("hello cache"))
            async with LLMClient(LLMSettings(api_base=b.url), cache) as client:
                again = await client.chat(user("hello cache"))
                other = await client.chat(
                    user("hello cache"), settings=LLMSettings(api_base=b.url, model="openai/other")
                )
            return first, again, other, a.stats(), b.stats()

    first, again, other, sa, sb = asyncio.run(main())
    assert sa["requests"] == 1 and sb["requests"] == 1  # b only served the other model
    assert again.cached and again.text == first.text and not other.cached


def test_identical_calls_in_flight_are_sent_once(tmp_path):
    """Two items that need the same reply at the same time (e.g. two multiturn prompts of one task drawing
    its first answer) send one request; the second gets it as a cache hit, as it would a moment later. A
    failed call does not stand in for the others: they send their own."""
    cache = tmp_path / "c.sqlite"

    async def main():
        async with FakeServer(latency=0.2) as srv:
            async with LLMClient(LLMSettings(api_base=srv.url, max_retries=0), cache) as client:
                same = await asyncio.gather(*(client.chat(user("the same task")) for _ in range(5)))
                other = await client.chat(user("the same task"), sample_index=1)
                sent = srv.stats()["requests"]
                srv.api_key = "another"  # every call is now refused (401): no waiter may take a failure as its reply
                failed = await asyncio.gather(
                    *(client.chat(user("a failing task"), raise_errors=False) for _ in range(3))
                )
                sent_failing = srv.stats()["requests"] - sent
            return same, other, sent, failed, sent_failing, client.usage

    same, other, sent, failed, sent_failing, usage = asyncio.run(main())
    assert sent == 2  # one for the five identical calls, one for the other sample index
    assert len({c.text for c in same}) == 1 and [c.cached for c in same].count(False) == 1
    assert not other.cached
    assert all(c.error for c in failed) and sent_failing == 3  # each failing call tried on its own
    assert sum(m["cache_hits"] for m in usage["by_model"].values()) == 4


def test_api_key_never_stored(tmp_path, monkeypatch, caplog, capsys):
    secret = "sk-THIS-IS-A-SECRET-0123456789"
    monkeypatch.setenv("IFGEN_TEST_API_KEY", secret)
    cache = tmp_path / "k.sqlite"
    caplog.set_level(logging.DEBUG)

    async def main():
        async with FakeServer(faults={"FLAKY": ["500", "ok"]}) as srv:
            s = LLMSettings(api_base=srv.url, api_key_env="IFGEN_TEST_API_KEY", backoff_base_s=0.01)
            async with LLMClient(s, cache) as client:
                comps = [await client.chat(user(f"FLAKY {i}")) for i in range(3)]
                usage = client.usage
            return comps, usage, srv.stats(), s

    comps, usage, stats, s = asyncio.run(main())
    assert stats["with_auth"] == stats["requests"] == 4  # the key was really sent
    blob = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert secret.encode() not in blob and b"sk-THIS" not in blob
    out = capsys.readouterr()
    dumped = json.dumps([c.to_dict() for c in comps]) + json.dumps(usage) + s.model_dump_json()
    for text in (caplog.text, out.out, out.err, dumped):
        assert secret not in text


def test_missing_key_env_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("IFGEN_NO_SUCH_KEY", raising=False)

    async def main():
        async with FakeServer() as srv, LLMClient(LLMSettings(api_base=srv.url, api_key_env="IFGEN_NO_SUCH_KEY")) as c:
            await c.chat(user("hi"))

    with pytest.raises(LLMError, match="IFGEN_NO_SUCH_KEY"):
        asyncio.run(main())


def test_cost_from_litellm_map_and_usage_merge():
    pin, pout = price_per_token("openai/gpt-4o-mini")
    assert pin > 0 and pout > 0
    assert price_per_token("openai/smollm2-135m-instruct") == (0.0, 0.0)

    async def main():
        async with FakeServer() as srv, LLMClient(LLMSettings(api_base=srv.url, model="openai/gpt-4o-mini")) as client:
            c = await client.chat(user("price this reply please"))
            return c, client.usage

    c, usage = asyncio.run(main())
    assert c.prompt_tokens == 4 and c.completion_tokens > 0
    assert c.cost == pytest.approx(cost_usd("openai/gpt-4o-mini", c.prompt_tokens, c.completion_tokens)) and c.cost > 0
    both = add_usage(usage, usage)
    assert both["cost"] == pytest.approx(2 * usage["cost"])
    assert both["by_model"]["openai/gpt-4o-mini"]["requests"] == 2


def test_litellm_route_for_translated_providers():
    s = LLMSettings(
        model="anthropic/claude-3-5-sonnet-20240620", api_base=None, extra_body={"mock_response": "mocked by litellm"}
    )
    assert not s.uses_openai_http
    assert LLMSettings(model="hosted_vllm/x", api_base=None).uses_openai_http
    assert LLMSettings(model="anthropic/x").uses_openai_http  # an api_base always means our HTTP path

    async def main():
        async with LLMClient(s) as client:
            return await client.chat(user("hello")), client.usage

    c, usage = asyncio.run(main())
    assert c.text == "mocked by litellm" and usage["requests"] == 1


def test_fake_server_subprocess(tmp_path):
    rules = tmp_path / "rules.json"
    rules.write_text(
        json.dumps(
            {
                "replies": {"PIPE": "scripted over a pipe"},
                "faults": {"PIPE": ["500", "ok"]},
                "latency": 0.01,
                "latency_max": 0.03,
            }
        )
    )
    with FakeServerProcess(rules=rules, retry_after=0.1) as srv:
        assert srv.url.startswith("http://127.0.0.1:") and srv.url.endswith("/v1")
        assert http_json(srv.root + "/health") == {"status": "ok"}
        assert http_json(srv.url + "/models")["data"][0]["id"]

        async def main():
            async with LLMClient(LLMSettings(api_base=srv.url, backoff_base_s=0.01)) as client:
                return await client.chat(user("over a pipe")), await client.chat(user("PIPE it"))

        plain, scripted = asyncio.run(main())
        assert plain.text.startswith("Answer ") and 0.01 <= plain.latency_s < 1.0
        assert scripted.text == "scripted over a pipe" and scripted.attempts == 2
        stats = srv.stats()
        assert stats["requests"] == 3 and stats["faults"] == {"500": 1} and len(stats["hits"]["PIPE"]) == 2
        srv.reset()
        assert srv.stats()["requests"] == 0
