"""dedupe(): normalisation, exact/near removal, best-of-cluster, grouping, scorers."""

import pytest
from rapidfuzz import fuzz

from pipeline.dedupe import dedupe, near_duplicate_groups, normalize_text, normalized_hash


def recs(*texts, **extra):
    return [{"id": f"r{i}", "text": t, **{k: v[i] for k, v in extra.items()}} for i, t in enumerate(texts)]


def test_normalize_text():
    assert normalize_text("  Ｈｅｌｌｏ,\tWORLD!!  ") == "hello, world"
    assert normalize_text("Straße") == "strasse"
    assert normalize_text("«quoted»") == "quoted"
    assert normalize_text("a  b\n\nc") == "a b c"
    assert normalize_text("...") == ""
    assert normalized_hash("Hello world.") == normalized_hash("hello   WORLD")
    assert normalized_hash("hello world") != normalized_hash("hello word")


def test_exact_duplicates_by_normalised_text():
    r = dedupe(
        recs(
            "Write a haiku about rain.",
            "write a haiku about RAIN",
            "  Write a haiku about rain ",
            "Describe a volcano.",
        ),
        "text",
    )
    assert [x["id"] for x in r.kept] == ["r0", "r3"]
    assert [(x.index, x.duplicate_of, x.duplicate_of_id, x.kind, x.similarity) for x in r.removed] == [
        (1, 0, "r0", "exact", 1.0),
        (2, 0, "r0", "exact", 1.0),
    ]
    assert r.counts == {"input": 4, "kept": 2, "removed": 2, "exact": 2, "near": 0, "clusters": 1}


def test_near_duplicates_and_threshold_scale():
    a = "Write a short story about a lighthouse keeper who finds a message in a bottle."
    b = "Write a short story about a lighthouse keeper who finds a mesage in a bottle."
    c = "Write a short story about a lighthouse keeper who finds a letter in a bottle."
    sim_ab = fuzz.ratio(normalize_text(a), normalize_text(b)) / 100
    sim_ac = fuzz.ratio(normalize_text(a), normalize_text(c)) / 100
    assert sim_ab > 0.95 and 0.9 < sim_ac < 0.95
    r = dedupe(recs(a, b, c), "text", threshold=0.9)
    assert [x["id"] for x in r.kept] == ["r0"]
    assert {x.index: x.kind for x in r.removed} == {1: "near", 2: "near"}
    assert r.removed[0].similarity == pytest.approx(sim_ab)
    r = dedupe(recs(a, b, c), "text", threshold=0.95)
    assert [x["id"] for x in r.kept] == ["r0", "r2"]
    r = dedupe(recs(a, b, c), "text", threshold=1.0)
    assert len(r.kept) == 3


def test_best_scored_member_kept_ties_first_seen():
    t = [
        "Explain photosynthesis to a child.",
        "explain photosynthesis to a child",
        "Explain photosynthesis to a chlid.",
        "Explain photosynthesis to a child!",
    ]
    r = dedupe(recs(*t, q=[1, 5, 3, 5]), "text", score=lambda x: x["q"])
    assert [x["id"] for x in r.kept] == ["r1"]  # 5 ties with r3; r1 seen first
    assert all(x.duplicate_of == 1 for x in r.removed)
    r = dedupe(recs(*t, q=[1, 1, 1, 1]), "text", score=lambda x: x["q"])
    assert [x["id"] for x in r.kept] == ["r0"]


def test_key_groups_records():
    rows = [
        {"p": "A", "text": "The answer is forty two."},
        {"p": "B", "text": "The answer is forty two."},
        {"p": "A", "text": "the answer is forty-two"},
        {"p": "B", "text": "Something unrelated entirely."},
    ]
    r = dedupe(rows, "text", key="p")
    assert r.kept == [rows[0], rows[1], rows[3]]
    assert r.removed[0].index == 2 and r.removed[0].kind == "near"
    r2 = dedupe(rows, "text", key=lambda x: x["p"])
    assert r2.kept == r.kept
    assert len(dedupe(rows, "text").kept) == 2


def test_key_groups_survive_a_text_repeated_across_many_groups():
    # one stock answer in 300 prompts' responses, plus a near variant inside prompt 7:
    # buckets are per group, so the crowd of other groups cannot hide the pair
    from pipeline.dedupe.near import LshParams

    stock = "I am sorry, but I cannot help with that request."
    rows = [{"p": g, "text": stock} for g in range(300)] + [{"p": 7, "text": stock.replace("sorry", "sory")}]
    r = dedupe(rows, "text", key="p", params=LshParams(window=2))
    assert len(r.kept) == 300 and r.removed[0].index == 300 and r.removed[0].duplicate_of == 7


def test_scorer_is_configurable():
    # clause order swapped: char shingles mostly shared (so the search proposes the
    # pair), edit ratio low, token-set ratio 100
    a = "describe the water cycle for a science class and include a diagram of evaporation and rainfall"
    b = "include a diagram of evaporation and rainfall and describe the water cycle for a science class"
    assert fuzz.ratio(a, b) < 70 and fuzz.token_set_ratio(a, b) == 100
    assert len(dedupe(recs(a, b), "text").kept) == 2
    r = dedupe(recs(a, b), "text", scorer="token_set_ratio")
    assert len(r.kept) == 1 and r.removed[0].similarity == 1.0
    calls = []

    def length_scorer(x, y, *, processor=None, score_cutoff=None):
        calls.append((x, y))
        return 100.0 * min(len(x), len(y)) / max(len(x), len(y))

    assert len(dedupe(recs(a, b), "text", scorer=length_scorer).kept) == 1 and calls
    with pytest.raises(ValueError, match="unknown scorer"):
        dedupe(recs(a), "text", scorer="nope")


def test_bad_input_errors():
    with pytest.raises(ValueError, match="record 1: field 'text'"):
        dedupe([{"text": "a"}, {"txt": "b"}], "text")
    with pytest.raises(ValueError, match="0-1 scale"):
        dedupe(recs("a"), "text", threshold=90)


def test_empty_and_short_texts():
    r = dedupe(recs("", "", "!", "ok", "ok."), "text")
    # "", "" and "!" all normalise to "" -> one exact cluster; "ok" and "ok." likewise
    assert [x["id"] for x in r.kept] == ["r0", "r3"]
    assert dedupe([], "text").counts["input"] == 0


def test_near_duplicate_groups_low_level():
    texts = [
        "alpha beta gamma delta epsilon",
        "alpha beta gamma delta epsilon",
        "alpha beta gamma delta epsilom",
        "completely different words here",
        "another unrelated line of text",
    ]
    assert near_duplicate_groups(texts, 0.9) == [[0, 1, 2]]
    assert near_duplicate_groups(texts, 1.0) == [[0, 1]]
