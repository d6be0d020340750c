"""Settings, rate-limit buckets, JSON extraction and prompt templates (no network)."""

import asyncio
import itertools
import time

import pytest
from pydantic import ValidationError

from pipeline.llm import LLMSettings, extract_json
from pipeline.llm.jsonout import NoJSONFound
from pipeline.llm.limits import RateLimits, TokenBucket
from pipeline.llm.prompts import PromptError, render, render_messages


def test_settings_merge_and_forbid():
    base = LLMSettings(extra_body={"top_k": 20}, temperature=0.7)
    m = base.merged({"temperature": 0.0, "extra_body": {"min_p": 0.1}})
    assert m.temperature == 0.0 and m.extra_body == {"top_k": 20, "min_p": 0.1}
    assert base.temperature == 0.7 and base.merged({}) is base
    with pytest.raises(ValidationError):
        base.merged({"temprature": 0.1})
    with pytest.raises(ValidationError):
        LLMSettings(api_base="localhost:8000")
    assert LLMSettings(model="openai/smollm2").wire_model == "smollm2"
    assert LLMSettings(model="Qwen/Qwen2.5-7B-Instruct").wire_model == "Qwen/Qwen2.5-7B-Instruct"
    assert LLMSettings(temperature=0).effective_seed(3) is None
    assert LLMSettings(temperature=0.5, seed=10).effective_seed(3) == 13


def test_token_bucket_is_fifo_and_paced():
    b = TokenBucket(rate_per_s=10, capacity=2)
    waits = [b.reserve() for _ in range(6)]
    assert waits[:2] == [0.0, 0.0]
    assert all(w2 > w1 for w1, w2 in itertools.pairwise(waits[2:]))  # later callers wait longer: FIFO
    assert waits[-1] == pytest.approx(0.4, abs=0.02)


def test_tpm_bucket_paces_tokens():
    limits = RateLimits(tpm=60000)  # 1000 tokens/s, burst 5000

    async def main():
        t = time.monotonic()
        await limits.acquire(5000)  # the burst: no wait
        t1 = time.monotonic() - t
        await limits.acquire(300)  # 0.3 s of refill
        t2 = time.monotonic() - t
        limits.settle(1000, 200)  # a request used 800 fewer tokens than estimated: given back
        await limits.acquire(800)
        return t1, t2, time.monotonic() - t

    t1, t2, t3 = asyncio.run(main())
    assert t1 < 0.05 and t2 == pytest.approx(0.3, abs=0.1) and t3 - t2 < 0.05


@pytest.mark.parametrize(
    "text, value",
    [
        ('{"a": 1}', {"a": 1}),
        ('Here you go:\n```json\n{"a": [1, 2]}\n```\nthanks', {"a": [1, 2]}),
        ('prose [1, 2, 3] more {"x": 1}', [1, 2, 3]),
        ('broken {"a": and then {"b": 2} after', {"b": 2}),
    ],
)
def test_extract_json(text, value):
    assert extract_json(text) == value


def test_extract_json_none():
    with pytest.raises(NoJSONFound):
        extract_json("no json here")


def test_prompts_render_and_messages(tmp_path, monkeypatch):
    msgs = render_messages("_smoke", persona="a pirate", n_words=10, question="Why is the sea salty?")
    assert [m["role"] for m in msgs] == ["system", "user"]
    assert "pirate" in msgs[0]["content"] and msgs[1]["content"].endswith("Why is the sea salty?")
    assert (
        render_messages("_smoke", persona="", n_words=5, question="q")[0]["content"] == "You are a careful assistant."
    )
    whole = render("_smoke.j2", persona=None, n_words=3, question="q?")
    assert whole.startswith("You are a careful assistant.") and whole.endswith("Question: q?")
    with pytest.raises(PromptError, match="question"):
        render_messages("_smoke", persona=None, n_words=3)
    with pytest.raises(PromptError, match="not found"):
        render("no_such_template")
    (tmp_path / "bad.j2").write_text("line one\n{# user #}\nline three {% if %}\n")
    monkeypatch.setenv("IFGEN_PROMPTS_DIR", str(tmp_path))
    with pytest.raises(PromptError, match=r"bad.j2:3"):
        render_messages("bad")
    (tmp_path / "plain.j2").write_text("Just {{ x }}.")
    assert render_messages("plain", x="this") == [{"role": "user", "content": "Just this."}]


def test_api_key_lookup(monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai")
    monkeypatch.setenv("MY_KEY", "sk-mine")
    assert LLMSettings(api_base=None, model="openai/gpt-4o-mini").api_key() == "sk-openai"
    assert LLMSettings(model="openai/gpt-4o-mini").api_key() is None  # a local api_base gets no key by default
    assert LLMSettings(api_key_env="MY_KEY").api_key() == "sk-mine"
    assert "sk-mine" not in LLMSettings(api_key_env="MY_KEY").model_dump_json()


def test_gc_tuning_is_scoped_and_restored(monkeypatch):
    import gc

    from pipeline.llm import gctune

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        gctune.enter()
        gctune.enter()  # a second client: nothing changes
        assert gc.get_threshold() == (gctune.GEN0, gctune.GEN1, gctune.GEN2)
        gctune.leave()
        assert gc.get_threshold()[0] == gctune.GEN0  # one client still open
        gctune.leave()
        assert gc.get_threshold() == (700, 10, 10)
        monkeypatch.setenv("IFGEN_LLM_GC_TUNE", "0")
        gctune.enter()
        assert gc.get_threshold() == (700, 10, 10)
        gctune.leave()
    finally:
        gc.set_threshold(*before)


def test_template_digests_follow_includes(tmp_path, monkeypatch):
    """A step's templates are hashed with what they include: editing an included part changes the digest."""
    from pipeline.llm.prompts import template_digests

    (tmp_path / "parts").mkdir()
    (tmp_path / "a.j2").write_text("{% include 'parts/rules.j2' %} and more")
    (tmp_path / "parts" / "rules.j2").write_text("Follow these rules.")
    monkeypatch.setenv("IFGEN_PROMPTS_DIR", str(tmp_path))
    before = template_digests(("a",))
    assert set(before) == {"a.j2", "parts/rules.j2"}
    (tmp_path / "parts" / "rules.j2").write_text("Follow these rules, all of them.")
    after = template_digests(("a",))
    assert after["a.j2"] == before["a.j2"] and after["parts/rules.j2"] != before["parts/rules.j2"]
    assert template_digests(("gone",)) == {"gone.j2": "missing"}
