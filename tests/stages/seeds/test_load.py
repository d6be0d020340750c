"""Seed loading: every format, column mapping, cleaning, dedupe, errors, shipped seeds."""

from __future__ import annotations

import os

os.environ.setdefault("HF_DATASETS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")

import json
from collections import Counter
from pathlib import Path

import pytest
from pydantic import ValidationError

from pipeline.config import SeedSource
from pipeline.records import content_id
from pipeline.stages.seeds.load import SeedError, load_seeds, shipped_seeds, tidy_text

ROWS = [
    {"text": "Write a haiku about the sea.", "category": "poetry", "language": "en", "extra": 1},
    {"text": "Explain how tides form.", "category": "science", "language": "en", "extra": 2},
    {"text": "Escribe un correo para pedir un día libre.", "category": "email", "language": "es", "extra": 3},
]


def write_jsonl(path: Path, rows) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def write_csv(path: Path, rows, sep=",") -> Path:
    import csv

    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), delimiter=sep)
        w.writeheader()
        w.writerows(rows)
    return path


def texts(records):
    return [r["text"] for r in records]


# ---------------------------------------------------------------- formats


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv", "tsv", "parquet"])
def test_every_tabular_format_gives_same_records(tmp_path, fmt):
    if fmt == "jsonl":
        p = write_jsonl(tmp_path / "s.jsonl", ROWS)
    elif fmt == "json":
        p = tmp_path / "s.json"
        p.write_text(json.dumps(ROWS, indent=2, ensure_ascii=False), encoding="utf-8")
    elif fmt in ("csv", "tsv"):
        p = write_csv(tmp_path / f"s.{fmt}", ROWS, "," if fmt == "csv" else "\t")
    else:
        import pyarrow as pa
        import pyarrow.parquet as pq

        p = tmp_path / "s.parquet"
        pq.write_table(pa.Table.from_pylist(ROWS), p)
    recs = load_seeds(SeedSource(path=p))
    assert texts(recs) == [r["text"] for r in ROWS]
    assert [r["category"] for r in recs] == ["poetry", "science", "email"]
    assert [r["language"] for r in recs] == ["en", "en", "es"]
    assert all(r["source"] == str(p) for r in recs)
    assert recs[0]["id"] == content_id("Write a haiku about the sea.")
    extra = recs[2]["meta"]["extra"]
    assert extra == ("3" if fmt in ("csv", "tsv") else 3)  # CSV cells stay strings
    assert set(recs[0]) == {"id", "text", "language", "category", "source", "meta"}


def test_txt_one_task_per_nonempty_line(tmp_path):
    p = tmp_path / "s.txt"
    p.write_text("Write a limerick about a goat.\n\n   \nPlan a picnic for ten people.\n", encoding="utf-8")
    recs = load_seeds(SeedSource(path=p))
    assert texts(recs) == ["Write a limerick about a goat.", "Plan a picnic for ten people."]
    assert all(r["category"] is None and r["meta"] == {} for r in recs)
    assert [r["language"] for r in recs] == ["en", "en"]


def test_json_variants_data_key_and_json_lines(tmp_path):
    a = tmp_path / "a.json"
    a.write_text(json.dumps({"data": ROWS[:2]}), encoding="utf-8")
    b = tmp_path / "b.json"
    b.write_text("".join(json.dumps(r) + "\n" for r in ROWS[:2]), encoding="utf-8")
    assert (
        texts(load_seeds(SeedSource(path=a))) == texts(load_seeds(SeedSource(path=b))) == [r["text"] for r in ROWS[:2]]
    )


def test_explicit_format_overrides_extension(tmp_path):
    p = tmp_path / "tasks.list"
    p.write_text("Write a tweet about rain.\n", encoding="utf-8")
    assert texts(load_seeds(SeedSource(path=p, format="txt"))) == ["Write a tweet about rain."]


def test_folder_reads_supported_files_in_sorted_order(tmp_path):
    write_jsonl(tmp_path / "b.jsonl", [ROWS[1]])
    (tmp_path / "a.txt").write_text("Write a riddle about clocks.\n", encoding="utf-8")
    sub = tmp_path / "z"
    sub.mkdir()
    write_csv(sub / "c.csv", [ROWS[2]])
    (tmp_path / "README.md").write_text("# not seeds\n", encoding="utf-8")
    (tmp_path / ".hidden.jsonl").write_text("{bad\n", encoding="utf-8")
    recs = load_seeds(SeedSource(path=tmp_path))
    assert texts(recs) == ["Write a riddle about clocks.", ROWS[1]["text"], ROWS[2]["text"]]
    assert recs[2]["source"] == str(sub / "c.csv")
    only_jsonl = load_seeds(SeedSource(path=tmp_path, format="jsonl"))
    assert texts(only_jsonl) == [ROWS[1]["text"]]


# ---------------------------------------------------------------- mapping and cleaning


def test_column_mapping_and_meta(tmp_path):
    rows = [
        {"prompt": "Draft a memo about parking.", "topic": "business", "lang": "EN", "id": "x1"},
        {"prompt": "Rédige une invitation.", "topic": "writing", "lang": "fr_FR", "id": "x2"},
    ]
    p = write_csv(tmp_path / "m.csv", rows)
    recs = load_seeds(SeedSource(path=p, text_field="prompt", category_field="topic", language_field="lang"))
    assert texts(recs) == ["Draft a memo about parking.", "Rédige une invitation."]
    assert [r["category"] for r in recs] == ["business", "writing"]
    assert [r["language"] for r in recs] == ["en", "fr-fr"]
    assert recs[0]["meta"] == {"id": "x1"}
    assert recs[0]["id"] == content_id("Draft a memo about parking.")


def test_normalisation_keeps_newlines_and_indentation():
    raw = "  Cafe\u0301  menu:\t\tlist   items \r\n\r\n\r\n\r\nfor x in y:\n    print(x)   \n"
    assert tidy_text(raw) == "Café menu: list items\n\nfor x in y:\n    print(x)"


def test_language_detected_when_no_field(tmp_path):
    p = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {"text": "Schreibe bitte eine kurze Geschichte über einen Hund, der gerne schwimmt."},
            {"text": "Écris une lettre à ta grand-mère pour la remercier de son cadeau d'anniversaire."},
            {"text": "Write a short story about a dog who loves to swim in the lake."},
            {"text": "写一个关于一只想学会飞翔的企鹅的短篇故事。"},
            {"text": "12345 67890"},
        ],
    )
    recs = load_seeds(SeedSource(path=p))
    assert [r["language"] for r in recs] == ["de", "fr", "en", "zh", "und"]
    assert load_seeds(SeedSource(path=p)) == recs  # deterministic


def test_language_field_wins_over_detection(tmp_path):
    p = write_jsonl(tmp_path / "s.jsonl", [{"text": "Write a poem about Paris.", "language": "fr"}])
    assert load_seeds(SeedSource(path=p))[0]["language"] == "fr"
    assert load_seeds(SeedSource(path=p, language_field=None))[0]["language"] == "en"


def test_blank_texts_are_skipped(tmp_path):
    p = write_jsonl(tmp_path / "s.jsonl", [{"text": "   "}, ROWS[0]])
    assert texts(load_seeds(SeedSource(path=p))) == [ROWS[0]["text"]]


# ---------------------------------------------------------------- dedupe


def test_exact_and_near_duplicates_removed_first_kept(tmp_path):
    rows = [
        {"text": "Write a short story about a lighthouse keeper who finds a message in a bottle."},
        {"text": "write a  short story about a lighthouse keeper who finds a message in a bottle."},
        {"text": "Write a short story about a lighthouse keeper who finds a message in a bottle!"},
        {"text": "Write a short story about a lighthouse keeper that finds a message in a bottle."},
        {"text": "Write a short story about a lighthouse keeper who finds a map in a cave."},
        {"text": "Explain how lighthouses work."},
    ]
    p = write_jsonl(tmp_path / "s.jsonl", rows)
    recs = load_seeds(SeedSource(path=p))
    assert texts(recs) == [rows[0]["text"], rows[4]["text"], rows[5]["text"]]
    assert len({r["id"] for r in recs}) == 3
    assert len(load_seeds(SeedSource(path=p, dedupe=False))) == 6
    # a stricter threshold keeps the one-word edit
    strict = load_seeds(SeedSource(path=p, near_duplicate_threshold=99.5))
    assert rows[3]["text"] in texts(strict) and rows[1]["text"] not in texts(strict)


def test_near_duplicate_found_when_only_middle_matches(tmp_path):
    # different first three and last three words; ratio ~95
    a = "Describe the migration routes that monarch butterflies follow across North America and Mexico each autumn"
    b = "Now describe the migration routes that monarch butterflies follow across North America and Mexico in autumn"
    p = write_jsonl(tmp_path / "s.jsonl", [{"text": a}, {"text": b}, {"text": "Unrelated request about taxes"}])
    recs = load_seeds(SeedSource(path=p, language_field=None))
    assert [r["text"] for r in recs] == [a, "Unrelated request about taxes"]


def test_limit_and_sample_seed_are_deterministic(tmp_path):
    rows = [{"text": f"Task number {n}: write about topic {n * 7919 % 1000}"} for n in range(40)]
    p = write_jsonl(tmp_path / "s.jsonl", rows)
    first = load_seeds(SeedSource(path=p, limit=5, language_field=None, dedupe=False))
    assert texts(first) == [r["text"] for r in rows[:5]]
    a = load_seeds(SeedSource(path=p, limit=5, sample_seed=3, dedupe=False))
    b = load_seeds(SeedSource(path=p, limit=5, sample_seed=3, dedupe=False))
    c = load_seeds(SeedSource(path=p, limit=5, sample_seed=4, dedupe=False))
    assert texts(a) == texts(b) and texts(a) != texts(c) and texts(a) != texts(first)


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "content, line, needle",
    [
        ('{"text": "ok"}\n{"text": "bad",\n', 2, "bad JSON"),
        ('{"text": "ok"}\n\n{"prompt": "x"}\n', 3, "missing text field 'text'"),
        ('{"text": "ok"}\n{"text": 5}\n', 2, "must be a string, got int"),
        ('{"text": null}\n', 1, "got null"),
        ('["not", "an object"]\n', 1, "expected a JSON object"),
        ('{"text": "ok", "category": 3}\n', 1, "'category' must be a string"),
    ],
)
def test_jsonl_errors_name_file_and_line(tmp_path, content, line, needle):
    p = tmp_path / "bad.jsonl"
    p.write_text(content, encoding="utf-8")
    with pytest.raises(SeedError, match=needle) as e:
        load_seeds(SeedSource(path=p))
    assert f"{p} line {line}:" in str(e.value)


def test_json_array_error_names_line(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('[\n  {"text": "ok"},\n  {"title": "no text"}\n]\n', encoding="utf-8")
    with pytest.raises(SeedError, match=f"{p} line 3: missing text field"):
        load_seeds(SeedSource(path=p))
    p.write_text('[\n  {"text": "ok"},\n  {"text": "x"\n]\n', encoding="utf-8")
    with pytest.raises(SeedError, match=f"{p} line 4: bad JSON"):
        load_seeds(SeedSource(path=p))


def test_csv_errors_name_file_and_line(tmp_path):
    p = tmp_path / "bad.csv"
    p.write_text("prompt,category\nhello,x\n", encoding="utf-8")
    with pytest.raises(SeedError, match=rf"{p} line 1: missing column\(s\) \['text'\]"):
        load_seeds(SeedSource(path=p))
    p.write_text('text,category\n"multi\nline task",a\nshort task,b,EXTRA\n', encoding="utf-8")
    with pytest.raises(SeedError, match=f"{p} line 4: ragged row with 3 field"):
        load_seeds(SeedSource(path=p))
    p.write_text("text\nWrite a poem.\n", encoding="utf-8")
    with pytest.raises(SeedError, match=rf"{p} line 1: missing column\(s\) \['topic'\]"):
        load_seeds(SeedSource(path=p, category_field="topic"))


@pytest.mark.parametrize("name, content", [("e.jsonl", ""), ("e.csv", ""), ("e.txt", "\n \n"), ("h.csv", "text\n")])
def test_empty_files_rejected(tmp_path, name, content):
    p = tmp_path / name
    p.write_text(content, encoding="utf-8")
    with pytest.raises(SeedError, match=f"{p} line 1: empty file"):
        load_seeds(SeedSource(path=p))


def test_unknown_format_missing_file_empty_folder_bad_utf8(tmp_path):
    p = tmp_path / "s.xml"
    p.write_text("<a/>", encoding="utf-8")
    with pytest.raises(SeedError, match=rf"{p}: unknown seed format '.xml'"):
        load_seeds(SeedSource(path=p))
    with pytest.raises(SeedError, match="no such seed file"):
        load_seeds(SeedSource(path=tmp_path / "nope.jsonl"))
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(SeedError, match=f"{empty}: folder holds no seed files"):
        load_seeds(SeedSource(path=empty))
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"fine line\nbroken \xff byte\n")
    with pytest.raises(SeedError, match=f"{bad} line 2: not valid UTF-8"):
        load_seeds(SeedSource(path=bad))


def test_source_model_validation(tmp_path):
    with pytest.raises(ValidationError):
        SeedSource()
    with pytest.raises(ValidationError):
        SeedSource(path="a.jsonl", hf_dataset="x")
    with pytest.raises(ValidationError):
        SeedSource(path="a.jsonl", colour="blue")
    with pytest.raises(ValidationError):
        SeedSource(path="a.jsonl", format="xml")
    with pytest.raises(ValidationError):
        SeedSource(path="a.jsonl", limit=0)
    assert issubclass(SeedError, ValueError)
    # a plain dict works too (config files)
    p = write_jsonl(tmp_path / "s.jsonl", ROWS)
    assert len(load_seeds({"path": str(p), "limit": 2})) == 2


# ---------------------------------------------------------------- Hugging Face (offline, local files)


def test_hf_load_dataset_json_csv_parquet(tmp_path):
    cache = str(tmp_path / "hf_cache")
    j = write_jsonl(tmp_path / "d.jsonl", ROWS)
    c = write_csv(tmp_path / "d.csv", ROWS)
    import pyarrow as pa
    import pyarrow.parquet as pq

    q = tmp_path / "d.parquet"
    pq.write_table(pa.Table.from_pylist(ROWS), q)
    for builder, f in (("json", j), ("csv", c), ("parquet", q)):
        recs = load_seeds(SeedSource(hf_dataset=builder, data_files=str(f), hf_cache_dir=cache))
        assert texts(recs) == [r["text"] for r in ROWS], builder
        assert [r["language"] for r in recs] == ["en", "en", "es"]
        assert recs[0]["source"] == f"{builder}:{f}"
        assert recs[0]["meta"]["extra"] == 1


def test_hf_saved_to_disk_folder_and_mapping(tmp_path):
    import datasets

    rows = [{"instruction": r["text"], "domain": r["category"], "n": i} for i, r in enumerate(ROWS)]
    d = tmp_path / "saved"
    datasets.Dataset.from_list(rows).save_to_disk(str(d))
    dd = tmp_path / "saved_dict"
    datasets.DatasetDict(
        {"train": datasets.Dataset.from_list(rows[:1]), "test": datasets.Dataset.from_list(rows[1:])}
    ).save_to_disk(str(dd))
    kw = {"text_field": "instruction", "category_field": "domain", "language_field": None}
    for src in (SeedSource(hf_dataset=str(d), **kw), SeedSource(path=d, **kw)):
        recs = load_seeds(src)
        assert texts(recs) == [r["text"] for r in ROWS]
        assert [r["category"] for r in recs] == ["poetry", "science", "email"]
        assert recs[2]["language"] == "es" and recs[2]["meta"] == {"n": 2}
    assert len(load_seeds(SeedSource(hf_dataset=str(dd), split="test", **kw))) == 2
    with pytest.raises(SeedError, match="no split 'validation'"):
        load_seeds(SeedSource(hf_dataset=str(dd), split="validation", **kw))
    with pytest.raises(SeedError, match=rf"{d} row 1: missing column\(s\) \['text'\]"):
        load_seeds(SeedSource(hf_dataset=str(d)))


def test_hf_bad_row_names_row(tmp_path):
    import datasets

    d = tmp_path / "saved"
    datasets.Dataset.from_list([{"text": "Write a haiku."}, {"text": None}]).save_to_disk(str(d))
    with pytest.raises(SeedError, match=f"{d} row 2: text field 'text' must be a string, got null"):
        load_seeds(SeedSource(hf_dataset=str(d)))


def test_hf_missing_dataset_is_seed_error(tmp_path):
    with pytest.raises(SeedError, match="cannot load dataset"):
        load_seeds(
            SeedSource(hf_dataset="json", data_files=str(tmp_path / "absent.jsonl"), hf_cache_dir=str(tmp_path / "c"))
        )


# ---------------------------------------------------------------- shipped seeds


def test_shipped_default_seed_set():
    recs = load_seeds(SeedSource(path=shipped_seeds("default")))
    raw = [json.loads(line) for line in shipped_seeds("default").read_text(encoding="utf-8").splitlines()]
    assert len(recs) == len(raw) >= 320  # nothing lost to cleaning or dedupe
    cats = Counter(r["category"] for r in recs)
    main = ("writing", "email", "code", "data", "analysis", "advice", "creative", "education", "business", "science")
    assert len(cats) >= 10 and min(cats[c] for c in main) >= 20
    assert {"social-media", "poetry", "summarisation", "planning"} <= set(cats)
    langs = Counter(r["language"] for r in recs)
    assert sum(n for lang, n in langs.items() if lang != "en") >= 25
    assert len(langs) >= 6
    assert all(set(r) == {"text", "category", "language"} for r in raw)


def test_shipped_language_tags_match_detection():
    """The hand-set tags agree with langdetect for non-English seeds (catches mislabels)."""
    from pipeline.constraints.text import detect_language

    recs = load_seeds(SeedSource(path=shipped_seeds("default")))
    wrong = [
        (r["language"], r["text"])
        for r in recs
        if r["language"] != "en" and (detect_language(r["text"]) or "").split("-")[0] != r["language"]
    ]
    assert wrong == []


def test_shipped_tiny_seed_set():
    recs = load_seeds(SeedSource(path=shipped_seeds("tiny")))
    assert len(recs) == 12
    assert len({r["category"] for r in recs}) >= 10
    assert sum(r["language"] != "en" for r in recs) >= 2
    with pytest.raises(SeedError, match="no shipped seed set 'nope'"):
        shipped_seeds("nope")


def test_a_row_brings_its_own_constraints(tmp_path):
    """`constraints` (seeds.constraints_field): a list of strings, or one per line (CSV); not kept in meta."""
    p = tmp_path / "s.jsonl"
    p.write_text(
        json.dumps({"text": "Write a note to the team.", "constraints": ["Do not use any commas.", "  "]})
        + "\n"
        + json.dumps({"text": "Describe a quiet harbour at dawn.", "topic": "x"})
        + "\n",
        encoding="utf-8",
    )
    recs = {r["text"]: r for r in load_seeds(SeedSource(path=p))}
    assert recs["Write a note to the team."]["constraints"] == ["Do not use any commas."]
    assert recs["Write a note to the team."]["meta"] == {}
    assert "constraints" not in recs["Describe a quiet harbour at dawn."]
    csv = write_csv(tmp_path / "c.csv", [{"text": "Plan a picnic.", "constraints": "Use no commas.\nEnd with Bye."}])
    assert load_seeds(SeedSource(path=csv))[0]["constraints"] == ["Use no commas.", "End with Bye."]


def test_constraints_of_the_wrong_type_name_the_file_and_line(tmp_path):
    p = tmp_path / "s.jsonl"
    p.write_text(json.dumps({"text": "Write a note.", "constraints": [3]}) + "\n", encoding="utf-8")
    with pytest.raises(SeedError, match=r"s\.jsonl line 1: field 'constraints' must be a list of strings"):
        load_seeds(SeedSource(path=p))


def test_one_task_with_several_constraint_sets_is_several_seeds(tmp_path):
    p = tmp_path / "s.jsonl"
    rows = [
        {"text": "Write a note to the team.", "constraints": ["Do not use any commas."]},
        {"text": "Write a note to the team.", "constraints": ["End with the word Bye."]},
        {"text": "Write a note to the team.", "constraints": ["Do not use any commas."]},
        {"text": "Write a note to the team!"},
    ]
    p.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    recs = load_seeds(SeedSource(path=p))
    assert [r.get("constraints") for r in recs] == [["Do not use any commas."], ["End with the word Bye."], None]
    assert len({r["id"] for r in recs}) == 3
    both = load_seeds(SeedSource(path=p, dedupe=False))
    assert len({r["id"] for r in both}) == 3  # the repeated row is the same seed; no two seeds share an id
