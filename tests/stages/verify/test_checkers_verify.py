"""checkers + verify against the fake server with scripted good, wrong, crashing and hostile checker code."""

from __future__ import annotations

import json

import pytest

from pipeline.config import load_config
from pipeline.records import content_id
from pipeline.runner.files import write_shard
from pipeline.runner.run import run_stage
from pipeline.stages import STAGES
from pipeline.testkit.fake_rules import last_user_text
from pipeline.testkit.threaded import ThreadedFakeServer

GOOD = "def evaluate(response):\n    return 'very' not in response.lower().split()\n"
WRONG = "def evaluate(response):\n    return True\n"
CRASH = "def evaluate(response):\n    return 1 / 0\n"
HOSTILE = "import os\ndef evaluate(response):\n    open('/tmp/ifgen_hostile_marker', 'w').write('x')\n    return True\n"
NO_COMMA = "def evaluate(response):\n    return ',' not in response\n"

RULES = {
    "Do not use the word 'very'.": (
        GOOD,
        [("Fine.", True), ("Very very good", False), ("It is very nice", False), ("plain text", True)],
    ),
    "Every sentence must end with a question mark.": (
        WRONG,
        [("Why?", True), ("No.", False), ("Ok.", False), ("Really?", True)],
    ),
    "Mention exactly three fruits.": (CRASH, [("apple pear fig", True), ("apple", False), ("none", False)]),
    "Never use the letter q.": (HOSTILE, [("abc", True), ("quiz", False), ("xyz", True)]),
}
TEXTS = {
    "first": "This is fine and calm.",
    "second": "This is very good, honestly.",
}


def reply(body):
    prompt = last_user_text(body)
    if "Write a Python function `evaluate" in prompt:
        for rule, (code, cases) in RULES.items():
            if rule in prompt:
                return json.dumps({"function": code, "cases": [{"response": r, "label": v} for r, v in cases]})
        if "commas" in prompt:
            return json.dumps(
                {
                    "function": NO_COMMA,
                    "cases": [
                        {"response": "a b", "label": True},
                        {"response": "a, b", "label": False},
                        {"response": "x", "label": True},
                    ],
                }
            )
        return "no code"
    return TEXTS["second"] if "second" in prompt else TEXTS["first"]


@pytest.fixture()
def run(tmp_path):
    instructions = []
    for name in ("first", "second"):
        cons = [
            {"id": "freeform:" + content_id(r, length=12), "params": {}, "source": "freeform", "soft": False, "text": r}
            for r in RULES
        ]
        cons.append(
            {
                "id": "punctuation:no_comma",
                "params": {},
                "source": "registry",
                "soft": False,
                "text": "Do not use any commas.",
            }
        )
        instructions.append(
            {
                "id": content_id("ins", name),
                "task_id": content_id("task", name),
                "text": f"Write the {name} answer. " + " ".join(c["text"] for c in cons),
                "constraints": cons,
                "_item": "x",
            }
        )
    with ThreadedFakeServer(reply=reply) as srv:
        sets = [
            f"llm.api_base={srv.url}",
            "llm.model=openai/fake",
            f"run.output_dir={tmp_path}",
            "run.progress=false",
            "checkers.registry_too=true",
            "checkers.functions=1",
            "checkers.min_cases=2",
            "sample.n=1",
            "verify.judge=false",
        ]
        cfg = load_config("configs/demo.yaml", sets, "cv")
        write_shard(tmp_path / "cv" / "compose", "manual", instructions)
        for st in ("checkers", "sample", "verify"):
            s = run_stage(STAGES[st].target, cfg, quiet=True)
            assert s.ok, (st, s.errors)
        yield tmp_path / "cv"


def _read(folder):
    return [json.loads(x) for p in sorted(folder.glob("part-*.jsonl")) for x in p.read_text().splitlines()]


def test_checkers_keep_good_and_drop_bad_code(run):
    by_text = {r["constraint_text"]: r for r in _read(run / "checkers")}
    assert by_text["Do not use the word 'very'."]["kept"]
    assert not by_text["Every sentence must end with a question mark."]["kept"]  # always-True fails half the cases
    assert not by_text["Mention exactly three fruits."]["kept"]
    hostile = by_text["Never use the letter q."]
    assert not hostile["kept"] and hostile["functions"][0]["errors"]
    import os

    assert not os.path.exists("/tmp/ifgen_hostile_marker")
    assert by_text["Do not use any commas."]["kind"] == "registry"


def test_verify_uses_kept_functions_and_measures_the_generator(run):
    verdicts = {v["response_id"]: v for v in _read(run / "verify")}
    responses = {r["id"]: r for r in _read(run / "sample")}
    assert len(verdicts) == 2
    for rid, v in verdicts.items():
        text = responses[rid]["text"]
        res = {r["index"]: r for r in v["results"]}
        assert res[0]["verifier"] == "generated" and res[0]["passed"] == ("very" not in text.lower())
        assert res[1]["passed"] is None and res[2]["passed"] is None and res[3]["passed"] is None
        assert res[4]["verifier"] == "builtin" and res[4]["passed"] == ("," not in text)
        assert v["n_verifiable"] == 2 and not v["all_pass"]
    stats = json.loads((run / "verify" / "stats.json").read_text())
    gen = stats["generated_checker_agreement"]
    assert gen["n"] == 2 and gen["accuracy"] == 1.0
