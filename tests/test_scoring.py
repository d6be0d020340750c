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
        ([{"prompt": 3, "instruction_id_list": [], "kwargs": []}], ":1: 'prompt'"),
        (["[1, 2]"], ":1: expected a JSON object"),
    ],
)
def test_unreadable_input_names_file_and_line(tmp_path, rows, message) -> None:
    inp = _write(tmp_path / "bad.jsonl", rows)
    res = _write(tmp_path / "r.jsonl", [{"prompt": "p", "response": "x"}])
    with pytest.raises(ValueError) as e:
        scoring.score_files(inp, res, tmp_path / "out")
    assert str(inp) in str(e.value) and message in str(e.value)
    assert not (tmp_path / "out" / "eval_results_strict.jsonl").exists()


BAD_ROWS = [
    ({"instruction_id_list": ["no:such_id", "punctuation:no_comma"], "kwargs": [{}, {}]}, "unknown constraint id"),
    (
        {"instruction_id_list": ["length_constraints:number_words"], "kwargs": [{"num_words": 3}]},
        "length_constraints:number_words: missing parameter(s) relation",
    ),
    ({"instruction_id_list": ["ratio:overlap"], "kwargs": [{"reference_text": None}]}, "missing parameter"),
    ({"instruction_id_list": ["punctuation:no_comma", "startend:quotation"], "kwargs": [{}]}, "'kwargs' has 1"),
    ({"instruction_id_list": ["punctuation:no_comma"], "kwargs": ["x"]}, "kwargs[0] must be an object"),
    (
        {"instruction_id_list": ["keywords:letter_frequency"], "kwargs": [{"letter": "ab", "let_frequency": 1}]},
        "missing parameter",
    ),
    (
        {
            "instruction_id_list": ["keywords:letter_frequency"],
            "kwargs": [{"letter": "ab", "let_frequency": 1, "let_relation": "at least"}],
        },
        "ValueError: letter must be one character",
    ),
    ({"instruction_id_list": "punctuation:no_comma", "kwargs": [{}]}, "'instruction_id_list' must be a list"),
    ({"prompt": "unanswered", "instruction_id_list": ["punctuation:no_comma"], "kwargs": [{}]}, "no response in"),
]


def test_bad_rows_are_scored_false_with_errors_and_never_dropped(tmp_path, capsys) -> None:
    good = INPUT_ROWS[0]
    rows = [good]
    for k, (row, _) in enumerate(BAD_ROWS):
        rows += [{"key": 100 + k, "prompt": row.get("prompt", f"bad {k}"), **row}, good]
    inp = _write(tmp_path / "i.jsonl", rows)
    resp = _write(
        tmp_path / "r.jsonl", [*RESPONSE_ROWS, *({"prompt": f"bad {k}", "response": "A, b"} for k in range(9))]
    )
    summary = scoring.score_files(inp, resp, tmp_path / "out")
    assert summary["prompts"] == len(rows) and summary["errors"] == {"rows": len(BAD_ROWS), "instructions": 7}
    for mode in ("strict", "loose"):
        lines = [json.loads(x) for x in (tmp_path / "out" / f"eval_results_{mode}.jsonl").read_text().splitlines()]
        assert [x["prompt"] for x in lines] == [r["prompt"] for r in rows]  # every row, in input order
        good_lines = lines[::2]
        assert all("errors" not in x for x in good_lines) and len({json.dumps(x) for x in good_lines}) == 1
        for (row, message), line in zip(BAD_ROWS, lines[1::2]):
            assert line["follow_all_instructions"] is False, row
            assert any(message in e["error"] for e in line["errors"]), (message, line["errors"])
            ids = row["instruction_id_list"]
            if isinstance(ids, list) and len(ids) == len(line["follow_instruction_list"]):
                bad = {e["index"] for e in line["errors"]}
                assert all(not ok for i, ok in enumerate(line["follow_instruction_list"]) if i in bad)
        first = lines[1]  # unknown id next to a good one: the good one is still checked
        assert first["follow_instruction_list"] == [False, False] and first["errors"] == [
            {"index": 0, "instruction_id": "no:such_id", "error": "unknown constraint id 'no:such_id'"}
        ]

    from pipeline.cli import main

    args = ["score", "--input", str(inp), "--responses", str(resp), "--output-dir", str(tmp_path / "cli")]
    assert main(args) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1].startswith(f"errors: {len(BAD_ROWS)} of {len(rows)} row(s) could not be fully checked (7 ")
    assert main([*args, "--strict"]) == 1
    good_only = _write(tmp_path / "g.jsonl", INPUT_ROWS)
    assert (
        main(["score", "--input", str(good_only), "--responses", str(resp), "--output-dir", str(tmp_path / "g")]) == 0
    )
    assert (
        main(
            [
                "score",
                "--input",
                str(good_only),
                "--responses",
                str(resp),
                "--output-dir",
                str(tmp_path / "g"),
                "--strict",
            ]
        )
        == 0
    )
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("errors: 0 of 3 row(s)")


def test_row_verdicts_never_raise() -> None:
    v = scoring.row_verdicts(
        ["keywords:letter_frequency", "no:such", "punctuation:no_comma", "keywords:letter_frequency"],
        [
            {"letter": "#", "let_frequency": 2, "let_relation": "at least"},
            {},
            None,
            {"letter": 5, "let_frequency": 1, "let_relation": "at least"},
        ],
        "#a #b, c",
    )
    assert v.strict == [True, False, False, False] and v.loose == [True, False, False, False]
    assert [e["index"] for e in v.errors] == [1, 3]
    ok = scoring.row_verdicts(["punctuation:no_comma"], None, "Sure:\nno commas here")
    assert (ok.strict, ok.loose, ok.errors) == ([True], [True], [])
    assert scoring.row_verdicts(None, None, "x").errors[0]["index"] is None


def test_the_official_ifeval_file_shape_is_scored_whole(tmp_path, capsys) -> None:
    """541 prompts as in IFEval's input_data.jsonl (tests/ifeval_shape.py), incl. the rows asking for '#' and '!'
    and a prompt without a response: every row is scored; verdicts equal the reference's everywhere the reference
    is deterministic."""
    from pipeline.cli import main
    from tests import ifeval_shape

    inputs, responses = ifeval_shape.build()
    measured = ifeval_shape.shape(inputs)
    assert measured["rows"] == 541 and measured["row_sizes"] == ifeval_shape.ROW_SIZES
    assert measured["id_counts"] == ifeval_shape.ID_COUNTS and measured["non_letters"] == ["!", "#"]
    inp, resp = _write(tmp_path / "input_data.jsonl", inputs), _write(tmp_path / "responses.jsonl", responses)
    assert main(["score", "--input", str(inp), "--responses", str(resp), "--output-dir", str(tmp_path / "out")]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1].startswith("errors: 1 of 541 row(s)")
    answered = {r["prompt"]: r["response"] for r in responses}
    letters = {}
    for mode in ("strict", "loose"):
        lines = [json.loads(x) for x in (tmp_path / "out" / f"eval_results_{mode}.jsonl").read_text().splitlines()]
        assert len(lines) == 541 and [x["prompt"] for x in lines] == [r["prompt"] for r in inputs]
        for row, line in zip(inputs, lines):
            if row["prompt"] not in answered:
                assert line["errors"][0]["error"].startswith("no response") and not any(line["follow_instruction_list"])
                continue
            assert "errors" not in line, line["errors"]
            for cid, kw, ok in zip(row["instruction_id_list"], row["kwargs"], line["follow_instruction_list"]):
                if cid == "keywords:letter_frequency" and kw["letter"] in "#!":
                    letters[(kw["letter"], mode)] = ok  # the reference draws a random letter here
                    continue
                ref = reference_check("ifeval", cid, line["response"], kw, mode == "loose", row["prompt"])
                assert ok == ref, (cid, kw, line["response"][:200])
    assert letters == {("#", "strict"): True, ("#", "loose"): True, ("!", "strict"): False, ("!", "loose"): False}


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
