"""Whole-response data: a JSON object with given keys, a YAML document, CSV with n columns.

Parsers are the standard ones (json, PyYAML, csv), so a response passes exactly when a program could consume it;
one surrounding ``` fence (bare or tagged with the format) is allowed.
"""

from __future__ import annotations

import csv
import io
import json

import yaml

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import Conflicts, Param, exclusive, fails, passes
from . import define
from ._common import sample_list, unfence

JSON_KEY_POOL = tuple("title summary steps tags author date score items notes status category priority".split())


def json_keys(response: str, keys: list[str]) -> bool:
    try:
        obj = json.loads(unfence(response, "json"))
    except ValueError:
        return False
    return isinstance(obj, dict) and all(k in obj for k in keys)


def json_keys_facts(p: dict) -> F.Facts:
    f = F.Facts(body="json").need("char:{", 1).need('char:"', 2)
    return f.need("char:,", 1) if len(p.get("keys") or ()) >= 2 else f


define(
    "ifgen:json_keys",
    category="format",
    description="A JSON object holding the given top-level keys.",
    params=[Param("keys", "keywords", sample=sample_list(JSON_KEY_POOL, 2, 4))],
    phrasings=[
        "Reply with a single JSON object that has these top-level keys: {keys}.",
        "Output only JSON; the object must include the keys {keys}.",
        "Return a JSON object (optionally in a ```json block) containing the fields {keys}.",
    ],
    check=json_keys,
    tags=("json", "structured"),
    conflicts=exclusive(
        "the whole response must be a JSON object",
        ids=("detectable_format:json_format", "ifgen:valid_yaml"),
        groups=("content_ban", "fits_json", "fits_data"),
    ),
    facts=json_keys_facts,
    examples=[
        passes(
            '```json\n{"title": "x", "tags": [], "extra": 1}\n```',
            "a ```json fence and extra keys are fine",
            keys=["title", "tags"],
        ),
        passes('{"score": 3}', keys=["score"]),
        fails('{"title": "x"}', keys=["title", "tags"]),
        fails('["title"]', "a list is not an object", keys=["title"]),
        fails('Here: {"title": 1}', "text around the JSON breaks it", keys=["title"]),
    ],
)


def valid_yaml(response: str) -> bool:
    """Parses as YAML into a non-empty mapping or list (plain prose parses as a string)."""
    try:
        obj = yaml.safe_load(unfence(response, "yaml", "yml"))
    except (yaml.YAMLError, ValueError):  # ValueError: a scalar such as 2024-13-45 read as a bad date
        return False
    return isinstance(obj, (dict, list)) and len(obj) > 0


define(
    "ifgen:valid_yaml",
    category="format",
    description="The whole response is a YAML mapping or list.",
    phrasings=[
        "Write the entire response as valid YAML (a mapping or a list).",
        "Answer only in YAML that a YAML parser accepts, structured as key-value pairs or a list.",
        "Format your whole reply as a YAML document, optionally inside a ```yaml block.",
    ],
    check=valid_yaml,
    tags=("structured",),
    conflicts=exclusive(
        "the whole response must be YAML",
        ids=("detectable_format:json_format", "ifgen:json_keys", "change_case:english_lowercase"),
        groups=("content_ban", "fits_json", "fits_data"),
    ),
    facts=lambda p: F.Facts(body="yaml"),
    examples=[
        passes("name: demo\nitems:\n  - a\n  - b\n"),
        passes("```yaml\n- one\n- two\n```"),
        fails("Just a sentence of prose.", "prose parses as a YAML string, not a mapping or list"),
        fails("key: [unclosed"),
    ],
)


def csv_columns(response: str, num_columns: int) -> bool:
    body = unfence(response, "csv").strip()
    try:
        rows = [r for r in csv.reader(io.StringIO(body), strict=True) if r]
    except csv.Error:
        return False
    return len(rows) >= 2 and all(len(r) == num_columns for r in rows)


def csv_facts(p: dict) -> F.Facts:
    f = F.Facts(body="csv").need("lines", 2)
    return f.need("char:,", 1) if int(p["num_columns"]) >= 2 else f


define(
    "ifgen:csv_columns",
    category="format",
    description="Valid CSV, at least two rows, each with exactly n fields.",
    params=[Param("num_columns", "int", 2, 6, sample=S.int_range(2, 5))],
    phrasings=[
        "Respond with CSV data only: a header row and data rows, each with exactly {num_columns} comma-separated columns.",
        "Produce a valid CSV table with {num_columns} columns in every row.",
        "Give the answer as comma-separated values; every line must have {num_columns} fields.",
    ],
    check=csv_columns,
    tags=("structured", "no_code"),
    conflicts=Conflicts(
        ids={"punctuation:no_comma": "CSV needs commas"},
        only_with=("change_case:english_lowercase", "change_case:english_capital"),
        only_groups=("content_ban", "fits_json", "fits_data"),
        reason="the whole response must be CSV",
    ),
    groups=("whole_layout",),
    facts=csv_facts,
    examples=[
        passes('a,b,c\n1,"x, y",3\n4,5,6', "a quoted comma stays inside its field", num_columns=3),
        fails("a,b,c\n1,2", num_columns=3),
        fails("a,b,c", "a header alone is not enough: at least two rows", num_columns=3),
    ],
)
