import pytest

from pipeline.rewards import core


@pytest.fixture(autouse=True)
def fresh_reason_log():
    """Each test sees the first occurrence of a bad-row reason at WARNING."""
    core._SEEN_REASONS.clear()
    yield
    core._SEEN_REASONS.clear()
