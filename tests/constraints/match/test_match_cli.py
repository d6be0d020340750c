"""`ifgen constraints match TEXT...`: one JSON object per text, id and params null when nothing fits."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pipeline.cli import main

ROOT = Path(__file__).resolve().parents[3]


def test_match_prints_one_json_object_per_text(capsys):
    texts = ["Do not use the word 'very'.", "Use 'very' sparingly", "At most 100 words."]
    assert main(["constraints", "match", *texts]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows == [
        {"text": texts[0], "id": "keywords:forbidden_words", "params": {"forbidden_words": ["very"]}},
        {"text": texts[1], "id": None, "params": None},
        {
            "text": texts[2],
            "id": "length_constraints:number_words",
            "params": {"num_words": 101, "relation": "less than"},
        },
    ]


def test_match_without_text_is_a_usage_error(capsys):
    assert main(["constraints", "match"]) == 2
    assert "needs at least one TEXT" in capsys.readouterr().err


def test_show_still_takes_an_id(capsys):
    assert main(["constraints", "show", "punctuation:no_comma"]) == 0
    assert capsys.readouterr().out.startswith("punctuation:no_comma")


def test_match_from_the_command_line():
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-m", "pipeline", "constraints", "match", "Write your whole answer in French", "Be concise."],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    ).stdout
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["id"], r["params"]) for r in rows] == [("language:response_language", {"language": "fr"}), (None, None)]
