"""A labelled set of (task metadata, constraint) pairs: does compose consider the constraint applicable?"""

from __future__ import annotations

import pytest

from pipeline.constraints import all_constraints, get
from pipeline.stages.compose.sampling import applicable

TWEET = {"output_format": "short", "language": "en", "expected_length": 40}
ESSAY = {"output_format": "prose", "language": "en", "expected_length": 600}
CODE = {"output_format": "code", "language": "en", "expected_length": 150}
POEM_FR = {"output_format": "poem", "language": "fr", "expected_length": 120}
EMAIL = {"output_format": "email", "language": "en", "expected_length": 180}

LABELLED = [
    # (meta, constraint id, applicable?)
    (CODE, "ifgen:code_block_language", True),
    (ESSAY, "ifgen:code_block_language", False),
    (TWEET, "ifgen:code_block_language", False),
    (POEM_FR, "change_case:english_capital", False),
    (POEM_FR, "change_case:english_lowercase", False),
    (ESSAY, "change_case:english_capital", True),
    (EMAIL, "ifgen:email_format", True),
    (CODE, "ifgen:email_format", False),
    (POEM_FR, "detectable_format:json_format", False),
    (EMAIL, "detectable_format:json_format", False),
    (ESSAY, "punctuation:no_comma", True),
    (TWEET, "punctuation:no_comma", True),
    (CODE, "ifgen:no_digits", False),
]


@pytest.mark.parametrize("meta,cid,expected", LABELLED)
def test_labelled_applicability(meta, cid, expected):
    assert applicable(get(cid), meta) is expected


def test_long_constraints_never_on_short_tasks():
    long_ids = [c for c in all_constraints().values() if "long" in c.tags]
    assert long_ids, "the registry marks some constraints as needing long output"
    assert not any(applicable(c, TWEET) for c in long_ids)
