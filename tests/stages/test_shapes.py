"""Prompt shapes (single, system, multiturn) end to end on the fake server, with the demo config.

What is held: `make demo`'s config draws every shape; a multiturn prompt's first answer is drawn once per
instruction by the first sampled model, cached, and shared by every model's responses; responses are
verified on the last turn; every dataset carries every turn; card and report count shapes; a run killed
half way through sample resumes to the same records; single-turn rows are exactly today's.
"""

from __future__ import annotations

import asyncio
import json
import random
import shutil

import pytest

from pipeline.config import load_config
from pipeline.constraints import check, get
from pipeline.llm.client import LLMClient
from pipeline.records import Shape, prompt_text, registry_constraint
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.stages.compose.render import carrier, faithful, render_prompt
from pipeline.stages.export.rows import Prompt, prompt_messages
from pipeline.stages.export.rpo import reversed_instruction
from pipeline.stages.sample import SampleStage
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer

STAGE_ORDER = ["seeds", "expand", "compose", "sample", "checkers", "verify", "export", "report"]
TWO_MODELS = "sample.models=[{model: openai/fake-a, weight: 2}, {model: openai/fake-b, weight: 1}]"


def _records(run_dir, stage):
    return [json.loads(x) for p in sorted((run_dir / stage).glob("part-*.jsonl")) for x in p.read_text().splitlines()]


def _rows(run_dir, kind):
    return [
        json.loads(x) for p in sorted((run_dir / "export" / kind).glob("*.jsonl")) for x in p.read_text().splitlines()
    ]


def _sets(srv, out, *extra):
    return [f"llm.api_base={srv.url}", "llm.model=openai/fake", f"run.output_dir={out}", "run.progress=false", *extra]


@pytest.fixture(scope="module")
def shaped(fake_llm, tmp_path_factory):
    """configs/demo.yaml as `make demo` runs it, but two sampled models and JSONL exports, through the report."""
    root = tmp_path_factory.mktemp("shapes")
    cfg = load_config("configs/demo.yaml", _sets(fake_llm, root, "export.format=jsonl", TWO_MODELS), "shaped")
    for st in STAGE_ORDER:
        s = run_stage(STAGES[st].target, cfg, quiet=True)
        assert s.ok, (st, s.errors)
    return cfg, cfg.run_dir()


def test_the_demo_config_draws_every_shape(shaped):
    _, run = shaped
    instructions = _records(run, "compose")
    shapes = [i["shape"] for i in instructions]
    assert len(instructions) == 12
    assert {s: shapes.count(s) for s in Shape.ALL} == {"single": 5, "multiturn": 3, "system": 4}
    for ins in instructions:
        texts = [c["text"] for c in ins["constraints"]]
        if ins["shape"] == Shape.SINGLE:
            assert "messages" not in ins
            continue
        msgs = ins["messages"]
        assert ins["text"] == prompt_text(msgs)
        rules = msgs[carrier(ins["shape"])]["content"]
        assert faithful(rules, ins["constraints"]) and all(t in rules for t in texts)
        if ins["shape"] == Shape.SYSTEM:
            assert [m["role"] for m in msgs] == ["system", "user"]
            assert not any(t in msgs[1]["content"] for t in texts), "the task alone in the user turn"
        else:
            assert [m["role"] for m in msgs] == ["user", "assistant", "user"]
            assert msgs[1]["content"] is None, "the first answer is drawn by sample, not compose"
            assert not any(t in msgs[0]["content"] for t in texts)


def test_a_multiturn_first_answer_is_drawn_once_cached_and_shared(shaped):
    cfg, run = shaped
    instructions = {i["id"]: i for i in _records(run, "compose")}
    responses = _records(run, "sample")
    assert {r["model"] for r in responses} == {"openai/fake-a", "openai/fake-b"}
    first_model = SampleStage(cfg, run).first_model
    assert first_model.model == "openai/fake-a"
    by_instruction: dict[str, list] = {}
    for r in responses:
        ins = instructions[r["instruction_id"]]
        if ins["shape"] != Shape.MULTITURN:
            assert "history" not in r
            continue
        by_instruction.setdefault(ins["id"], []).append(r)
        assert r["history"][0] == ins["messages"][0] and r["history"][1]["role"] == "assistant"
    assert len(by_instruction) == 3

    async def cached(messages):
        async with LLMClient(first_model, cache_path=run / "llm_cache.sqlite") as client:
            return client.lookup(messages, first_model, 0)[2]

    for rs in by_instruction.values():
        assert len(rs) == 3 and len({json.dumps(r["history"]) for r in rs}) == 1, "one history per prompt"
        hit = asyncio.run(cached([rs[0]["history"][0]]))
        assert hit is not None and hit.text == rs[0]["history"][1]["content"], "the first model's cached answer"
        assert rs[0]["history"][1]["content"].strip()


def test_verdicts_are_on_the_last_turn_and_carry_the_shape(shaped):
    _, run = shaped
    instructions = {i["id"]: i for i in _records(run, "compose")}
    texts = {r["id"]: r["text"] for r in _records(run, "sample")}
    verdicts = _records(run, "verify")
    assert len(verdicts) == 36
    for v in verdicts:
        ins = instructions[v["instruction_id"]]
        assert v["shape"] == ins["shape"]
        for res, c in zip(v["results"], ins["constraints"]):
            if res["verifier"] == "builtin":
                assert res["passed"] == check(c["id"], texts[v["id"]], c["params"])
    stats = json.loads((run / "verify" / "stats.json").read_text())
    assert {k: v["responses"] for k, v in stats["by_shape"].items()} == {"multiturn": 9, "single": 15, "system": 12}


def test_every_dataset_carries_every_turn(shaped):
    _, run = shaped
    instructions = {i["id"]: i for i in _records(run, "compose")}
    history = {r["instruction_id"]: r.get("history") for r in _records(run, "sample")}

    def expected(iid):
        ins = instructions[iid]
        if ins["shape"] == Shape.SINGLE:
            return [{"role": "user", "content": ins["text"]}]
        if ins["shape"] == Shape.SYSTEM:
            return ins["messages"]
        return [*history[iid], ins["messages"][2]]

    seen: dict[str, set] = {"sft": set(), "dpo": set(), "rl": set()}
    for row in _rows(run, "sft"):
        assert row["messages"][:-1] == expected(row["prompt_id"]) == row["prompt"]
        assert row["messages"][-1] == row["completion"][0] and row["completion"][0]["role"] == "assistant"
        seen["sft"].add(instructions[row["prompt_id"]]["shape"])
    for row in _rows(run, "dpo"):
        prompt = expected(row["prompt_id"])
        if row["strategy"] == "best_vs_worst":
            assert row["prompt"] == prompt
        else:  # the reversed prompt: the same turns, the rules re-rendered in the one that states them
            assert [m["role"] for m in row["prompt"]] == [m["role"] for m in prompt]
        seen["dpo"].add(instructions[row["prompt_id"]]["shape"])
    for row in _rows(run, "rl"):
        prompt = expected(row["id"])
        assert row["prompt"] == prompt and prompt[-1]["role"] == "user"
        # open-instruct drops the last message of a longer conversation: it gets an empty answer to drop
        assert row["messages"] == (prompt if len(prompt) == 1 else [*prompt, {"role": "assistant", "content": ""}])
        seen["rl"].add(instructions[row["id"]]["shape"])
    assert seen["rl"] == set(Shape.ALL), seen
    assert Shape.MULTITURN in seen["sft"] | seen["dpo"] and Shape.SYSTEM in seen["sft"] | seen["dpo"], seen


def test_card_and_report_count_shapes(shaped):
    _, run = shaped
    stats = json.loads((run / "export" / "stats.json").read_text())
    assert set(stats["shapes"]) == set(Shape.ALL)
    assert sum(s["prompts"] for s in stats["shapes"].values()) == stats["funnel"]["instructions_kept"]
    card = (run / "export" / "README.md").read_text()
    section = card.split("## Prompt shapes", 1)[1].split("\n## ", 1)[0]
    for shape, s in stats["shapes"].items():
        assert f"| {shape} | {s['prompts']} | {s['responses']} |" in section
    page = (run / "report.html").read_text()
    import re

    data = json.loads(re.search(r'id="ifgen-data">(.*?)</script>', page, re.S).group(1))
    assert {k: v["instructions"] for k, v in data["shapes"].items()} == {"single": 5, "multiturn": 3, "system": 4}
    assert sum(v["responses"] for v in data["shapes"].values()) == 36
    assert "Pass rate per prompt shape" in page and "How constraints are checked" in page


def test_trl_reads_system_and_multiturn_rows(shaped):
    trl_data = pytest.importorskip("trl.data_utils", reason="trl not installed (test-only dependency)")
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import PreTrainedTokenizerFast

    from .export.test_trl_format import TEMPLATE

    tok = Tokenizer(models.WordLevel(vocab={"[UNK]": 0, "</s>": 1, "<pad>": 2}, unk_token="[UNK]"))
    tok.pre_tokenizer = pre_tokenizers.Whitespace()
    t = PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", eos_token="</s>", pad_token="<pad>")
    t.chat_template = TEMPLATE
    _, run = shaped

    def rendered(msgs):
        return "".join(f"<|{m['role']}|>\n{m['content']}</s>\n" for m in msgs)

    for row in _rows(run, "sft"):
        assert trl_data.is_conversational(row)
        text = trl_data.maybe_apply_chat_template({"messages": row["messages"]}, t)["text"]
        assert text == rendered(row["messages"])
        pc = trl_data.maybe_apply_chat_template({"prompt": row["prompt"], "completion": row["completion"]}, t)
        assert pc["prompt"] == rendered(row["prompt"]) + "<|assistant|>\n" and pc["prompt"] + pc["completion"] == text
    for row in _rows(run, "dpo"):
        out = trl_data.maybe_apply_chat_template(row, t)
        assert out["prompt"] == rendered(row["prompt"]) + "<|assistant|>\n"
    for row in _rows(run, "rl"):  # what GRPOTrainer generates from
        out = trl_data.maybe_apply_chat_template({"prompt": row["prompt"]}, t)
        assert out["prompt"] == rendered(row["prompt"]) + "<|assistant|>\n"


def test_sample_resumes_after_failures_to_the_same_records(tmp_path):
    """Half the sample requests fail (no retries): the rerun finishes from the cache and the server, and the
    records equal those of an uninterrupted run, histories included."""
    volatile = ("cached", "latency_s")
    with ThreadedFakeServer(reply=pipeline_reply) as clean:
        base = load_config("configs/demo.yaml", _sets(clean, tmp_path, "llm.max_retries=0", TWO_MODELS), "clean")
        for st in ("seeds", "expand", "compose", "sample"):
            assert run_stage(STAGES[st].target, base, quiet=True).ok
        shutil.copytree(
            tmp_path / "clean", tmp_path / "resumed", ignore=shutil.ignore_patterns("sample", "llm_cache.sqlite*")
        )
        with ThreadedFakeServer(reply=pipeline_reply, fault_rate=0.5, fault_kinds=["500"], seed=3) as faulty:
            broken = load_config(
                "configs/demo.yaml", _sets(faulty, tmp_path, "llm.max_retries=0", TWO_MODELS), "resumed"
            )
            first = run_stage(STAGES["sample"].target, broken, quiet=True, force=True)
            assert not first.ok, "the faults must leave items failed for this test to mean anything"
        resumed = load_config("configs/demo.yaml", _sets(clean, tmp_path, "llm.max_retries=0", TWO_MODELS), "resumed")
        assert run_stage(STAGES["sample"].target, resumed, quiet=True).ok

    def content(run):
        return sorted(
            json.dumps({k: v for k, v in r.items() if k not in volatile}, sort_keys=True)
            for r in _records(tmp_path / run, "sample")
        )

    got, want = content("resumed"), content("clean")
    assert got == want and any('"history"' in r for r in got)


def test_single_turn_rows_are_todays_and_do_not_depend_on_the_shape_rates(fake_llm, tmp_path):
    """Instruction ids hash the task, the index and the text: the ids below are what compose wrote before
    prompt shapes and mapping existed (demo config, 2 instructions per task, fake server). With the shape rates
    at 0 (and mapping off, which only ever drops a conflicting free-form constraint) they must not move; with
    the rates up, the instructions still drawn as single turns are the same records."""
    today = {
        "0856ebde15e1d1ef", "101d5b92a2bc977e", "13ef0a9e56087559", "22efc09b47b814ca", "259c36f7b0567ef6",
        "2754171949fa6873", "2e480842d267c705", "54fd64ac5441c2c7", "79a00699b0e6e477", "7b3271baf0b9a87a",
        "8b5bf3628ed83f72", "8c6332cfbd554189", "8c9d536a41332a1f", "9226e411965a0d4f", "95ea8b0fb9c9fec6",
        "9c55f217ad7f0cdd", "9e65e54181c6a0c9", "9ec9dfa2dfc7e9fe", "b5027a4a03393f8b", "c14d2f6a84f8eef9",
        "da12ffdb23264bab", "de9a17a85a657040", "e4505ec06d40bc45", "f9f34be1b1cb345a",
    }  # fmt: skip

    def compose(name, *extra):
        sets = _sets(fake_llm, tmp_path, "compose.instructions_per_task=2", *extra)
        cfg = load_config("configs/demo.yaml", sets, name)
        for st in ("seeds", "expand", "compose"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok
        return {(i["task_id"], i["index"]): i for i in _records(tmp_path / name, "compose")}

    zero = compose(
        "zero", "compose.multiturn_probability=0", "compose.system_probability=0", "compose.match_freeform=false"
    )
    assert {i["id"] for i in zero.values()} == today
    assert all(i["shape"] == Shape.SINGLE and "messages" not in i for i in zero.values())
    shaped = compose(
        "rates", "compose.multiturn_probability=0.3", "compose.system_probability=0.3", "compose.match_freeform=false"
    )
    singles = [k for k, i in shaped.items() if i["shape"] == Shape.SINGLE]
    assert 0 < len(singles) < len(shaped)
    for k in singles:
        assert shaped[k] == zero[k]
    for k, i in shaped.items():  # the other shapes keep the constraints the single turn would have had
        assert i["constraints"] == zero[k]["constraints"] and i["pattern"] == zero[k]["pattern"]


@pytest.mark.parametrize("cid", ["combination:repeat_prompt", "copy:copying_simple", "copy:copying_multiple"])
@pytest.mark.parametrize("shape", [Shape.SYSTEM, Shape.MULTITURN])
def test_constraints_that_quote_the_request_quote_the_task_turn(cid, shape):
    """The text a copy / repeat constraint checks against is bound from the task at compose; in a system or
    multiturn prompt that is the user's task turn (what the model is asked), not the rules' message."""
    task = "Write a short poem about the harbour at dawn."
    c = get(cid)
    params = c.bind(random.Random(0), {"task_text": task, "expected_length": 120})
    entry = registry_constraint(cid, params, c.render(params, index=0))
    msgs = render_prompt(shape, "listing", task, [entry])
    task_turn = msgs[1] if shape == Shape.SYSTEM else msgs[0]
    assert task_turn == {"role": "user", "content": task}
    assert params["prompt_to_repeat"] == task_turn["content"]
    answers = {
        "combination:repeat_prompt": task + "\n\nGulls wake; the water holds the light.",
        "copy:copying_simple": task,
        "copy:copying_multiple": "\n******\n".join([task] * params.get("N", 1)),
    }
    assert check(cid, answers[cid], params)


@pytest.mark.parametrize("shape", [Shape.SYSTEM, Shape.MULTITURN])
def test_reverse_pairs_rewrite_the_turn_that_states_the_rules(shape):
    task = "Describe a lighthouse."
    few = {"relation": "less than", "num_words": 30}
    cons = [
        registry_constraint("punctuation:no_comma", {}, "Do not use any commas."),
        registry_constraint("length_constraints:number_words", few, "Answer in fewer than 30 words."),
    ]
    msgs = render_prompt(shape, "listing", task, cons)
    if shape == Shape.MULTITURN:
        msgs[1]["content"] = "A lighthouse is a tower with a lamp."
    p = Prompt(id="p", task_id="t", text=prompt_text(msgs), constraints=cons, shape=shape, messages=msgs)
    rev = reversed_instruction(p, {1}, random.Random(0))  # the word limit, which has an inverse
    assert rev is not None and rev.id == "p" and rev.shape == shape
    assert rev.constraints[0] == cons[0] and rev.constraints[1]["params"]["relation"] == "at least"
    before, after = prompt_messages(p), prompt_messages(rev)
    i = carrier(shape) % len(before)
    assert [m for j, m in enumerate(after) if j != i] == [m for j, m in enumerate(before) if j != i]
    assert "Answer in fewer than 30 words." not in after[i]["content"]
    assert rev.constraints[1]["text"] in after[i]["content"] and "Do not use any commas." in after[i]["content"]
    assert rev.text == prompt_text(rev.messages)


def test_a_multiturn_prompt_without_a_first_answer_gets_no_responses(tmp_path):
    """The first model answers the bare task with nothing (e.g. all in a think block) in every try: the
    prompt gets no responses instead of failing, so a rerun (which would get the same replies from the cache)
    has nothing to retry, and the export skips its RL row, counted. The other prompts are unaffected."""
    from pipeline.testkit.fake_rules import last_user_text

    tasks: set[str] = set()

    def reply(body):
        msgs = body["messages"]
        if len(msgs) == 1 and last_user_text(body) in tasks:
            return "<think>no idea</think>"
        return pipeline_reply(body)

    with ThreadedFakeServer(reply=reply) as srv:
        cfg = load_config("configs/demo.yaml", _sets(srv, tmp_path, "llm.max_retries=0"), "nofirst")
        for st in ("seeds", "expand", "compose"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok
        multi = [i for i in _records(cfg.run_dir(), "compose") if i["shape"] == Shape.MULTITURN]
        tasks.update(i["messages"][0]["content"] for i in multi)
        assert multi
        first = run_stage(STAGES["sample"].target, cfg, quiet=True)
        assert first.ok, first.errors
        answered = {r["instruction_id"] for r in _records(cfg.run_dir(), "sample")}
        assert answered.isdisjoint(i["id"] for i in multi) and len(answered) == 12 - len(multi)
        sent = srv.stats()["requests"]
        again = run_stage(STAGES["sample"].target, cfg, quiet=True)
        assert again.ok and srv.stats()["requests"] == sent  # nothing left to retry
        for st in ("checkers", "verify", "export"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok, st
    stats = json.loads((cfg.run_dir() / "export" / "stats.json").read_text())
    assert stats["funnel"]["rl_skipped_no_first_answer"] == len(multi)


def test_a_seed_row_brings_its_own_constraints(tmp_path):
    """Free-form constraints given with a seed replace the ones expand proposes for its task and are mapped
    onto registry constraints like any free-form text (the text kept); the other tasks are as before."""
    seeds = tmp_path / "seeds.jsonl"
    given = ["Do not use any commas.", "Respond in fewer than 80 words."]
    rows = [{"text": "Write a short note inviting the team to a picnic.", "constraints": given}]
    rows.append({"text": "Describe a quiet harbour at dawn for a travel blog."})
    seeds.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with ThreadedFakeServer(reply=pipeline_reply) as srv:
        sets = _sets(srv, tmp_path, f"seeds.path={seeds}", "compose.freeform_probability=1", "checkers.enabled=false")
        cfg = load_config("configs/demo.yaml", sets, "given")
        for st in ("seeds", "expand", "compose"):
            assert run_stage(STAGES[st].target, cfg, quiet=True).ok, st
    tasks = {t["text"]: t for t in _records(cfg.run_dir(), "expand")}
    mine = tasks[rows[0]["text"]]
    assert mine["metadata"]["freeform_constraints"] == given and mine["freeform_from"] == "seed"
    assert "freeform_from" not in tasks[rows[1]["text"]]
    ins = [i for i in _records(cfg.run_dir(), "compose") if i["task_id"] == mine["id"]]
    picked = [c for i in ins for c in i["constraints"] if c["text"] in given]
    assert picked, "with freeform_probability 1 the task's instructions use its given constraints"
    assert all(c["id"] in ("punctuation:no_comma", "length_constraints:number_words") for c in picked), picked
    assert all(c["mapped"]["by"] == "rules" for c in picked)
