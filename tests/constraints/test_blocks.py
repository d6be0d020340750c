"""Every constraint block is complete: declared conflicts and facts, and worked examples that hold.

A hard (code-checked) constraint needs at least one passing and one failing example; every example must give its
stated verdict. Conflicts and facts must be declared (NO_CONFLICTS / facts=None are explicit "none"), so a new
constraint cannot silently miss conflict detection.
"""

from __future__ import annotations

import pytest

from pipeline.constraints import all_constraints, check, check_loose
from pipeline.constraints.core.contract import UNSET

BLOCKS = list(all_constraints().values())


@pytest.mark.parametrize("c", BLOCKS, ids=lambda c: c.id)
def test_block_declares_conflicts_and_facts(c):
    assert c.conflicts is not UNSET, f"{c.id}: declare conflicts (NO_CONFLICTS when it owns no pair)"
    assert c.facts is not UNSET, f"{c.id}: declare facts (facts=None when its parameters imply nothing comparable)"


@pytest.mark.parametrize("c", [c for c in BLOCKS if not c.soft], ids=lambda c: c.id)
def test_hard_block_has_passing_and_failing_examples(c):
    verdicts = {e.passes for e in c.examples}
    assert verdicts == {True, False}, f"{c.id}: needs at least one passing and one failing example"


EXAMPLES = [(c.id, i, e) for c in BLOCKS for i, e in enumerate(c.examples)]


@pytest.mark.parametrize("cid,i,example", EXAMPLES, ids=[f"{cid}[{i}]" for cid, i, _ in EXAMPLES])
def test_example_holds(cid, i, example):
    fn = check_loose if example.loose else check
    assert fn(cid, example.text, dict(example.params)) is example.passes, example.note or example.text
