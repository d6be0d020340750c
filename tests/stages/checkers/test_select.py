"""AutoIF cross-validation helpers: checker selection, candidate parsing, case pooling."""

from __future__ import annotations

from pipeline.stages.checkers.select import normalise_code, parse_candidate, pool_cases, select


def test_select_keeps_agreeing_cases_and_accurate_functions():
    labels = [True, False, True, False]
    outputs = [
        [True, False, True, False],  # perfect
        [True, False, True, True],  # 3/4
        [None, None, None, None],  # crashes
    ]
    sel = select(outputs, labels, threshold=0.8, min_functions=1, min_cases=3)
    assert sel.kept and sel.outcome == "kept" and sel.kept_functions == [0] and sel.kept_cases == [0, 1, 2, 3]
    assert sel.accuracy[1] == 0.75


def test_select_drops_when_too_few_cases_agree():
    sel = select([[False, True]], [True, False], threshold=0.8, min_functions=1, min_cases=1)
    assert not sel.kept and "test case" in sel.reason and sel.outcome == "too_few_cases"


def test_select_refuses_one_sided_cases():
    # a constant function agrees with every True case; the False cases are dropped; nothing validates it
    sel = select([[True, True, True, True]], [True, False, True, False], threshold=0.8, min_functions=1, min_cases=2)
    assert not sel.kept and sel.kept_functions == [] and "one-sided" in sel.reason and sel.outcome == "one_sided"


def test_select_names_too_few_accurate_functions():
    outputs = [[True, False, False], [True, True, True]]  # perfect, and a constant that is right once in three
    sel = select(outputs, [True, False, False], threshold=0.9, min_functions=2, min_cases=2)
    assert not sel.kept and sel.outcome == "too_few_functions" and "reached accuracy" in sel.reason


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
