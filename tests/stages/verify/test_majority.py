"""verify's vote over generated functions."""

from __future__ import annotations

from pipeline.stages.verify import majority


def test_majority_rules():
    assert majority([True, True, False]) is True
    assert majority([True, False]) is False  # tie fails
    assert majority([None, None]) is None
    assert majority([True, None]) is True
