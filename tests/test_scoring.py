"""score_files (drop-in for the IFEval/IFBench scorers) and the catalogue."""

from __future__ import annotations

import json
import random

import pytest

from pipeline import scoring
from tests.oracles import reference_check
from tests.oracles import responses as gen


def _write(path, rows):
    path.write_text("".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows), encoding="utf-8")
    return path


INPUT_ROWS = [
    {
        "key": 1,
        "prompt": "Write about rivers. Use no commas.",
        "instruction_id_list": ["punctuation:no_comma", "length_constraints:number_words"],
        "kwargs": [{}, {"num_words": 5, "relation": "at least", "keyword": None}],
    },
    {
        "key": 2,
        "prompt": "Repeat then answer: what is 2+2?",
        "instruction_id_list": ["combination:repeat_prompt", "keywords:existence", "keywords:existence"],
        "kwargs": [{"prompt_to_repeat": "what is 2+2?"}, {"keywords": ["four"]}, {"keywords": ["five"]}],
    },
    {
        "key": 3,
        "prompt": "Say yes in caps.",
        "instruction_id_list": ["change_case:english_capital"],
        "kwargs": [{"capital_frequency": None}],
    },
]
RESPONSE_ROWS = [
    {"prompt": "Write about rivers. Use no commas.", "response": "Rivers run to the sea and carve the land"},
    {"prompt": "Repeat then answer: what is 2+2?", "response": "What is 2+2? The answer is four."},
    {"prompt": "Say yes in caps.", "response": "Sure:\nYES I WILL DO THAT FOR YOU RIGHT NOW MY FRIEND"},
]


def test_score_files_matches_reference_fields_and_verdicts(tmp_path) -> None:
    inp = _write(tmp_path / "input.jsonl", INPUT_ROWS)
    res = _write(tmp_path / "responses.jsonl", RESPONSE_ROWS)
    out = tmp_path / "out"
    summary = scoring.score_files(inp, res, out)
    assert summary["prompts"] == 3 and summary["instructions"] == 6
    for mode in ("strict", "loose"):
        rows = [json.loads(line) for line in (out / f"eval_results_{mode}.jsonl").read_text().splitlines()]
        assert [list(r) for r in rows] == [
            ["follow_all_instructions", "follow_instruction_list", "instruction_id_list", "prompt", "response"]
        ] * 3
        for inp_row, resp_row, row in zip(INPUT_ROWS, RESPONSE_ROWS, rows):
            expected = [
                reference_check("ifeval", cid, resp_row["response"], kw, mode == "loose", inp_row["prompt"])
                for cid, kw in zip(inp_row["instruction_id_list"], inp_row["kwargs"])
            ]
            assert row["follow_instruction_list"] == expected
            assert row["follow_all_instructions"] == all(expected)
    # repeated id scored by position: "four" present, "five" absent
    strict = [json.loads(line) for line in (out / "eval_results_strict.jsonl").read_text().splitlines()]
    assert strict[1]["follow_instruction_list"] == [True, True, False]
    assert summary["strict"]["instruction_level"] == pytest.approx(4 / 6)
    assert summary["strict"]["prompt_level"] == pytest.approx(1 / 3)
    assert summary["loose"]["prompt_level"] == pytest.approx(2 / 3)  # first line "Sure:" dropped
    assert summary["strict"]["by_category"]["keywords"] == 0.5
    assert sorted(p.name for p in out.iterdir()) == ["eval_results_loose.jsonl", "eval_results_strict.jsonl"]


def test_score_files_differential_on_generated_rows(tmp_path) -> None:
    rng = random.Random(11)
    from tests.constraints.families.ifeval.test_ifeval_differential import IFEVAL_IDS, kwargs_for

    inputs, resps = [], []
    for k in range(60):
        resp = gen.response(rng)
        ids = [rng.choice(IFEVAL_IDS) for _ in range(rng.randint(1, 4))]
        inputs.append(
            {
                "key": k,
                "prompt": f"prompt {k}",
                "instruction_id_list": ids,
                "kwargs": [kwargs_for(i, rng, resp) for i in ids],
            }
        )
        resps.append({"prompt": f"prompt {k}", "response": resp})
    summary = scoring.score_files(_write(tmp_path / "i.jsonl", inputs), _write(tmp_path / "r.jsonl", resps), tmp_path)
    for mode in ("strict", "loose"):
        rows = [json.loads(line) for line in (tmp_path / f"eval_results_{mode}.jsonl").read_text().splitlines()]
        for inp, r, row in zip(inputs, resps, rows):
            expected = [
                reference_check("ifeval", c, r["response"], kw, mode == "loose")
                for c, kw in zip(inp["instruction_id_list"], inp["kwargs"])
            ]
            assert row["follow_instruction_list"] == expected, (inp, r)
    assert 0 < summary["strict"]["instruction_level"] <= summary["loose"]["instruction_level"] < 1


@pytest.mark.parametrize(
    "rows, message",
    [
        (
            ['{"prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}', "{not json"],
            ":2: invalid JSON",
        ),
        ([{"prompt": "p", "instruction_id_list": ["no:such_id"], "kwargs": [{}]}], ":1: unknown constraint id"),
        ([{"prompt": "p", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}, {}]}], ":1: 'kwargs'"),
        ([{"prompt": 3, "instruction_id_list": [], "kwargs": []}], ":1: 'prompt'"),
        (["[1, 2]"], ":1: expected a JSON object"),
        (
            [{"prompt": "p", "instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": 3}]}],
            ":1: length_constraints:number_words: missing parameter",
        ),
        ([{"prompt": "missing", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}], ":1: no response"),
    ],
)
def test_bad_input_names_file_and_line(tmp_path, rows, message) -> None:
    inp = _write(tmp_path / "bad.jsonl", rows)
    res = _write(tmp_path / "r.jsonl", [{"prompt": "p", "response": "x"}])
    with pytest.raises(ValueError) as e:
        scoring.score_files(inp, res, tmp_path / "out")
    assert str(inp) in str(e.value) and message in str(e.value)
    assert not (tmp_path / "out" / "eval_results_strict.jsonl").exists()


def test_bad_response_file_and_empty_input(tmp_path) -> None:
    inp = _write(tmp_path / "i.jsonl", INPUT_ROWS[:1])
    res = _write(tmp_path / "r.jsonl", [{"prompt": "x", "response": 5}])
    with pytest.raises(ValueError, match=r"r\.jsonl:1: 'response'"):
        scoring.score_files(inp, res, tmp_path)
    with pytest.raises(ValueError, match="no input rows"):
        scoring.score_files(_write(tmp_path / "e.jsonl", []), res, tmp_path)
    with pytest.raises(ValueError, match="cannot read"):
        scoring.score_files(tmp_path / "absent.jsonl", res, tmp_path)


def test_existing_results_replaced_atomically(tmp_path) -> None:
    (tmp_path / "eval_results_strict.jsonl").write_text("old\n")
    scoring.score_files(_write(tmp_path / "i.jsonl", INPUT_ROWS), _write(tmp_path / "r.jsonl", RESPONSE_ROWS), tmp_path)
    assert "old" not in (tmp_path / "eval_results_strict.jsonl").read_text()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
