"""Free-form constraints through the whole pipeline on the fake server: mapped by rules at compose, or (with
compose.llm_match) proposed by the LLM at compose, tested by checkers on the text's generated cases, and then
verified and exported as the registry constraint; wrong or empty proposals change nothing; the report counts
every route."""

from __future__ import annotations

import json
import re

import pytest

from pipeline.config import load_config
from pipeline.constraints import check
from pipeline.records import Source, freeform_constraint_id
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.testkit.fake_rules import last_user_text
from pipeline.testkit.responder import pipeline_reply
from pipeline.testkit.threaded import ThreadedFakeServer

VERY = "Steer well clear of the adverb 'very' in what you write."  # no matcher rule; the fake LLM maps it
COMMA = "Keep commas to a bare minimum, if you can manage it."  # the fake LLM's guess: no commas at all
DATE = "Mention the arrival date."  # nothing in the registry; the fake LLM says so
RULED = "Do not use the word 'quite'."  # the matcher maps it at compose
FREEFORM = [VERY, COMMA, DATE, RULED]  # expand.max_freeform (demo: 3) is raised below


def reply(body):
    prompt = last_user_text(body)
    text = pipeline_reply(body)
    if "Describe this task as JSON" in prompt:
        try:
            meta = json.loads(text)
        except ValueError:
            return text  # the responder's broken replies: expand's fallbacks take over
        return json.dumps({**meta, "freeform_constraints": FREEFORM})
    return text


def _records(run_dir, stage):
    return [json.loads(x) for p in sorted((run_dir / stage).glob("part-*.jsonl")) for x in p.read_text().splitlines()]


@pytest.fixture(scope="module")
def matched(tmp_path_factory):
    root = tmp_path_factory.mktemp("llm-match")
    with ThreadedFakeServer(reply=reply) as srv:
        sets = [
            f"llm.api_base={srv.url}",
            "llm.model=openai/fake",
            f"run.output_dir={root}",
            "run.progress=false",
            "export.format=jsonl",
            "compose.instructions_per_task=4",
            "compose.freeform_probability=1",
            "compose.llm_match=true",
            "expand.max_freeform=4",
        ]
        cfg = load_config("configs/demo.yaml", sets, "m")
        for st in ("seeds", "expand", "compose", "sample", "checkers", "verify", "export", "report"):
            s = run_stage(STAGES[st].target, cfg, quiet=True)
            assert s.ok, (st, s.errors)
    return cfg.run_dir()


def _freeform_of(ins):
    return ins["checks"].get("freeform", {})


def test_compose_maps_by_rules_and_attaches_llm_proposals(matched):
    instructions = _records(matched, "compose")
    outcomes = {}
    for ins in instructions:
        ff = _freeform_of(ins)
        outcomes.setdefault(ff.get("text"), set()).add(ff.get("outcome"))
        entry = next((c for c in ins["constraints"] if c["text"] == ff.get("text")), None)
        if ff.get("outcome") == "rules":
            assert entry["source"] == Source.REGISTRY and entry["mapped"]["by"] == "rules"
            if ff["text"] == RULED:  # (tasks whose expand reply broke have fallback texts)
                assert entry["id"] == "keywords:forbidden_words" and entry["params"] == {"forbidden_words": ["quite"]}
        elif ff.get("outcome") == "llm_proposed":
            assert entry["source"] == Source.FREEFORM and entry["id"] == freeform_constraint_id(ff["text"])
            assert entry["proposed"]["id"] in ("keywords:forbidden_words", "punctuation:no_comma")
        elif ff.get("outcome") in ("llm_none", "llm_conflict", "llm_invalid"):
            assert entry["source"] == Source.FREEFORM and "proposed" not in entry
        elif ff.get("outcome") == "rules_conflict":
            assert entry is None and ff["text"] not in ins["text"], "dropped from the instruction"
    assert outcomes.get(RULED, set()) <= {"rules", "rules_conflict"} and "rules" in outcomes[RULED]
    assert "llm_proposed" in outcomes[VERY] and "llm_proposed" in outcomes[COMMA]
    assert outcomes[DATE] == {"llm_none"}
    stats = json.loads((matched / "compose" / "stats.json").read_text())
    assert sum(stats["freeform_outcomes"].values()) == sum(1 for i in instructions if _freeform_of(i))


def test_checkers_accept_the_right_proposal_and_reject_the_wrong_one(matched):
    by_text = {c["constraint_text"]: c for c in _records(matched, "checkers")}
    very, comma = by_text[VERY]["mapping"], by_text[COMMA]["mapping"]
    assert very["accepted"] and very["evidence"] == "cases" and very["accuracy"] >= 0.8
    assert not comma["accepted"], comma
    assert "mapping" not in by_text[DATE]
    assert RULED not in by_text, "a rule-mapped constraint needs no generated checker"
    stats = json.loads((matched / "checkers" / "stats.json").read_text())
    assert stats["llm_mappings"]["accepted"] >= 1 and stats["llm_mappings"]["proposed"] >= 2


def test_verify_and_export_use_the_accepted_mapping(matched):
    responses = {r["id"]: r["text"] for r in _records(matched, "sample")}
    instructions = {i["id"]: i for i in _records(matched, "compose")}
    very_id = freeform_constraint_id(VERY)
    mapped = 0
    for v in _records(matched, "verify"):
        cons = instructions[v["instruction_id"]]["constraints"]
        for res, c in zip(v["results"], cons):
            if c["id"] == very_id and "proposed" not in c:  # the proposal conflicted with this instruction
                assert res["source"] == Source.FREEFORM and "mapped" not in res
            elif c["id"] == very_id:
                mapped += 1
                assert res["id"] == "keywords:forbidden_words" and res["source"] == Source.REGISTRY
                assert res["verifier"] == "builtin" and res["mapped"] == "llm"
                assert res["passed"] == check(
                    "keywords:forbidden_words", responses[v["id"]], {"forbidden_words": ["very"]}
                )
            elif c["text"] == COMMA:
                assert res["source"] == Source.FREEFORM and "mapped" not in res, "a rejected proposal changes nothing"
            elif c["text"] == RULED:
                assert res["mapped"] == "rules" and res["verifier"] == "builtin"
    assert mapped > 0
    rl = [json.loads(x) for p in (matched / "export" / "rl").glob("*.jsonl") for x in p.read_text().splitlines()]
    with_very = [r for r in rl if any(c["text"] == VERY for c in r["constraints"])]
    assert with_very, "a prompt whose only free-form constraint was mapped is RL-checkable"
    for r in with_very:
        c = next(c for c in r["constraints"] if c["text"] == VERY)
        assert c["id"] == "keywords:forbidden_words" and c["source"] == Source.REGISTRY
        assert "keywords:forbidden_words" in r["ground_truth"]
    assert not any(c["text"] in (COMMA, DATE) for r in rl for c in r["constraints"])


def test_the_report_counts_every_route(matched):
    page = (matched / "report.html").read_text()
    data = json.loads(re.search(r'id="ifgen-data">(.*?)</script>', page, re.S).group(1))
    routes = data["routes"]
    assert routes["mapped_llm"] > 0 and routes["mapped_rules"] > 0 and routes["builtin"] > 0
    assert routes.get("generated", 0) + routes.get("dropped_unverifiable", 0) > 0  # COMMA and DATE
    n = sum(len(i["constraints"]) for i in _records(matched, "compose"))
    assert sum(v for k, v in routes.items() if k != "dropped_conflict") == n
