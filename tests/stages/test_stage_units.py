"""Unit tests of the stage helpers: checker selection, majority vote, expand repair, sample allocation."""

from __future__ import annotations

from pipeline.stages.checkers.select import normalise_code, parse_candidate, pool_cases, select
from pipeline.stages.expand import repair
from pipeline.stages.sample import allocate
from pipeline.stages.verify import majority


def test_select_keeps_agreeing_cases_and_accurate_functions():
    labels = [True, False, True, False]
    outputs = [
        [True, False, True, False],  # perfect
        [True, False, True, True],  # 3/4
        [None, None, None, None],  # crashes
    ]
    sel = select(outputs, labels, threshold=0.8, min_functions=1, min_cases=3)
    assert sel.kept and sel.kept_functions == [0] and sel.kept_cases == [0, 1, 2, 3]
    assert sel.accuracy[1] == 0.75


def test_select_drops_when_too_few_cases_agree():
    sel = select([[False, True]], [True, False], threshold=0.8, min_functions=1, min_cases=1)
    assert not sel.kept and "test case" in sel.reason


def test_select_refuses_one_sided_cases():
    # a constant function agrees with every True case; the False cases are dropped; nothing validates it
    sel = select([[True, True, True, True]], [True, False, True, False], threshold=0.8, min_functions=1, min_cases=2)
    assert not sel.kept and sel.kept_functions == [] and "one-sided" in sel.reason


def test_parse_candidate_json_and_fence():
    reply = '{"function": "def evaluate(r):\\n    return True", "cases": [{"response": "a", "label": true}]}'
    c = parse_candidate(reply)
    assert c and c.cases == [("a", True)]
    c2 = parse_candidate("Here:\n```python\ndef evaluate(response):\n    return 'x' in response\n```")
    assert c2 and "def evaluate" in c2.code and c2.cases == []
    assert parse_candidate("no code here") is None
    assert normalise_code("def f():  # c\n\n    return 1  \n") == "def f():\n    return 1"


def test_pool_cases_drops_contradictions():
    from pipeline.stages.checkers.select import Candidate

    a = Candidate("def evaluate(r): return 1", [("x", True), ("y", False)])
    b = Candidate("def evaluate(r): return 0", [("x", False), ("z", True)])
    assert pool_cases([a, b], 10) == [("y", False), ("z", True)]


def test_majority_rules():
    assert majority([True, True, False]) is True
    assert majority([True, False]) is False  # tie fails
    assert majority([None, None]) is None
    assert majority([True, None]) is True


def test_expand_repair_keeps_valid_fields_and_names_fallbacks():
    seed = {"text": "Write a haiku about autumn rain.", "language": "en", "category": "poetry"}
    meta, fb = repair({"domain": "nature", "expected_length": "lots", "output_format": "sonnet-ish"}, seed, 2, 5)
    assert meta["domain"] == "nature"
    assert meta["expected_length"] == 20 and meta["output_format"] == "poem"
    assert {"expected_length", "output_format", "task_type"} <= set(fb) and "domain" not in fb
    assert 2 <= len(meta["freeform_constraints"]) <= 5


def test_expand_language_from_seed_wins():
    seed = {"text": "Escribe un correo para pedir vacaciones.", "language": "es", "category": "email"}
    meta, fb = repair({"language": "en"}, seed, 2, 5)
    assert meta["language"] == "es"


def test_allocate_by_weight():
    assert allocate(4, [1.0]) == [4]
    assert allocate(4, [3.0, 1.0]) == [3, 1]
    assert sum(allocate(7, [1, 1, 1])) == 7
    assert allocate(5, [0, 0]) == [5, 0]
