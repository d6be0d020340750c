"""`ifgen constraints list|show`: the registry as JSON (array or lines) and as cards, examples included."""

from __future__ import annotations

import json

import pytest

from pipeline.cli import main
from pipeline.constraints import all_constraints, catalogue


def test_constraint_rows_and_describe() -> None:
    rows = catalogue.constraint_rows()
    json.dumps(rows)
    assert len(rows) == len(all_constraints())
    by_id = {r["id"]: r for r in rows}
    r = by_id["keywords:letter_frequency"]
    assert r["family"] == "ifeval" and r["split"] == "train" and r["phrasings"] >= 3
    assert [p["name"] for p in r["params"]] == ["letter", "let_frequency", "let_relation"]
    assert set(r["params"][0]) >= {"name", "kind", "low", "high", "choices"}
    assert r["params"][2]["choices"] == ["less than", "at least"]
    assert {"id", "category", "split", "family", "params", "phrasings", "description", "tags", "examples"} <= set(r)
    assert {e["passes"] for e in r["examples"]} == {True, False}
    text = catalogue.describe("keywords:letter_frequency")
    assert "keywords:letter_frequency" in text and "let_relation" in text and "example:" in text
    assert "worked examples" in text and "passes:" in text and "fails:" in text
    assert "combination:repeat_prompt" in catalogue.describe("combination:repeat_prompt")
    with pytest.raises(KeyError):
        catalogue.describe("no:such")


def test_exclusive_and_group_conflicts_are_listed() -> None:
    rows = {r["id"]: r for r in catalogue.constraint_rows()}
    ex = rows["detectable_format:json_format"]["conflicts"]["exclusive"]
    assert ex and "content_ban" in ex["only_groups"]
    assert "content_ban" in rows["keywords:forbidden_words"]["groups"]


def test_list_json_is_one_array_with_examples(capsys) -> None:
    assert main(["constraints", "list", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert isinstance(rows, list) and len(rows) == len(all_constraints())
    assert all("examples" in r for r in rows)


def test_list_jsonl_is_one_object_per_line(capsys) -> None:
    assert main(["constraints", "list", "--format", "jsonl"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == len(all_constraints())
    assert json.loads(lines[0])["id"] == sorted(all_constraints())[0]


def test_show_prints_the_examples(capsys) -> None:
    assert main(["constraints", "show", "punctuation:no_comma"]) == 0
    out = capsys.readouterr().out
    assert "worked examples" in out and "fails:" in out
