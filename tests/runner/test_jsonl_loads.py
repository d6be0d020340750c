"""`pipeline.jsonl.loads` (orjson where it reads a line as json.loads does) gives json.loads's objects."""

from __future__ import annotations

import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.jsonl import loads

LINES = [
    '{"a": 1, "a": 2}',
    '{"n": 123456789012345678901234567890}',
    '{"n": -9223372036854775809, "m": 18446744073709551616}',
    '{"x": NaN, "y": Infinity, "z": -Infinity}',
    '{"s": "\\ud800"}',
    '{"f": 1e400, "g": 1e-400, "h": -0.0, "i": -0}',
    '  {"t": "caf\\u00e9 \u5b57"}  \n',
    '{"id": "0000000000000000000123"}',
]


def _same(a, b):
    if isinstance(a, float) and math.isnan(a):
        return isinstance(b, float) and math.isnan(b)
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    return a == b and str(a) == str(b)


@pytest.mark.parametrize("line", LINES)
def test_edge_lines_read_as_json_reads_them(line):
    assert _same(loads(line), json.loads(line))


@pytest.mark.parametrize("line", ["{", '{"a": }', "\ufeff{}", "[1,]"])
def test_bad_lines_raise_json_errors(line):
    with pytest.raises(json.JSONDecodeError):
        loads(line)


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=5), inner, max_size=4),
    max_leaves=12,
)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_any_json_reads_back_the_same(value):
    for line in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        assert _same(loads(line), json.loads(line))
