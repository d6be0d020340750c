"""sample's share of responses per model."""

from __future__ import annotations

from pipeline.stages.sample import allocate


def test_allocate_by_weight():
    assert allocate(4, [1.0]) == [4]
    assert allocate(4, [3.0, 1.0]) == [3, 1]
    assert sum(allocate(7, [1, 1, 1])) == 7
    assert allocate(5, [0, 0]) == [5, 0]
