"""The hand-written pass/fail examples of the 29 IFEvalG blocks, run through the registry and the harness.

The examples live in the blocks (`pipeline/constraints/families/ifevalg/*.py`); each restates, in our words, a
rule of allenai/open-instruct `open_instruct/IFEvalG/instructions.py` (sentence splitting from
`open_instruct/IFEvalG/instructions_util.py`). Expected verdicts were worked out by hand from those rules, not by
running our code. tests/constraints/test_blocks.py runs every block's examples too; here each one is also held to
the independent restatement of the rules in tests/oracles/ifevalg_harness.py, strict and loose.
"""

from __future__ import annotations

import pytest

from pipeline.constraints import all_constraints, check, check_loose
from tests.oracles import ifevalg_harness as H

BLOCKS = [c for c in all_constraints().values() if c.family == "ifevalg"]
EXAMPLES = [(c.id, i, e) for c in BLOCKS for i, e in enumerate(c.examples)]


@pytest.mark.parametrize("cid,i,example", EXAMPLES, ids=[f"{cid}[{i}]" for cid, i, _ in EXAMPLES])
def test_hand_written_example(cid, i, example):
    params = dict(example.params)
    assert (check_loose if example.loose else check)(cid, example.text, params) is example.passes, example.note
    # the harness restates upstream's rules independently: it must give the example's verdict too
    assert (H.loose if example.loose else H.strict)(cid, example.text, params) is example.passes, example.note
    # and loose scoring agrees with the harness's loose scoring
    assert check_loose(cid, example.text, params) is H.loose(cid, example.text, params)


def test_every_id_has_a_pass_and_a_fail_example():
    assert len(BLOCKS) == 29
    assert {c.id for c in BLOCKS if {e.passes for e in c.examples} != {True, False}} == set()
