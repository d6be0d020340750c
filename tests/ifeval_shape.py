"""A synthetic file with the shape of IFEval's official input_data.jsonl, and responses for it.

The official file (google-research/instruction_following_eval/data/input_data.jsonl) is not in this repository.
What is copied here are its counts, not its text: 541 prompts (305 with one instruction, 179 with two, 57 with
three), how often each of its 25 ids occurs (834 instructions, a repeated id within a row allowed), the kwargs each
id carries and the values they take (numbers, relations, language codes, section splitters, postscript markers,
letters). Two rows ask for a non-letter, as the official keys 1122 ('#', at least 4) and 1129 ('!', at least 6)
do. Prompts, keywords, phrases and responses are synthetic (tests/oracles/responses.py), drawn from a seeded RNG.
Like the official GPT-4 response file, the responses cover all prompts but one.
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

from tests.oracles import responses as gen

ROW_SIZES = {1: 305, 2: 179, 3: 57}
ID_COUNTS = {
    "punctuation:no_comma": 66,
    "length_constraints:number_words": 52,
    "length_constraints:number_sentences": 52,
    "keywords:forbidden_words": 49,
    "detectable_format:number_highlighted_sections": 48,
    "keywords:frequency": 42,
    "combination:repeat_prompt": 41,
    "startend:quotation": 41,
    "change_case:english_lowercase": 39,
    "keywords:existence": 39,
    "detectable_format:title": 37,
    "keywords:letter_frequency": 33,
    "detectable_format:number_bullet_lists": 31,
    "language:response_language": 31,
    "detectable_content:number_placeholders": 27,
    "length_constraints:number_paragraphs": 27,
    "startend:end_checker": 26,
    "detectable_content:postscript": 26,
    "change_case:english_capital": 25,
    "change_case:capital_word_frequency": 25,
    "combination:two_responses": 24,
    "detectable_format:json_format": 17,
    "detectable_format:multiple_sections": 14,
    "length_constraints:nth_paragraph_first_word": 12,
    "detectable_format:constrained_response": 10,
}
NON_LETTERS = (("#", 4), ("!", 6))  # (letter, at least N): the two official rows the reference cannot score

# value pools with their official frequencies
REL = {"at least": 2, "less than": 1}
LANGS = "kn pa mr fa vi ko sw ru hi bg pt gu te it ar ta de fi ur th ne bn".split()
LETTERS = "ttooocccpplleeiiyqqqqqwnnnjjgma"  # the 31 letters asked for, with repeats
SPLITTERS = ["SECTION"] * 7 + ["Section"] * 4 + ["PARAGRAPH", "Day", "Audience"]
MARKERS = ["P.S."] * 10 + ["P.P.S"] * 16
NUM_WORDS = [300, 300, 300, 400, 600, 100, 200, 150, 250, 350, 800, 900, 500, 151, 101, 801, 31, 201, 701, 50, 30]
NUM_SENTENCES = [20, 5, 10, 6, 3, 7, 30, 31, 40, 17, 4, 50, 60, 2, 1, 8, 13, 16, 25, 26, 61, 100]
SMALL = {
    "capital_frequency": [1, 2, 3, 4, 5, 10, 11, 15, 16, 20],
    "num_placeholders": [1, 1, 3, 3, 2, 5, 6, 7, 8, 10, 12, 15, 20],
    "num_bullets": [3, 3, 3, 2, 2, 4, 4, 1, 6, 8, 9, 10],
    "num_highlights": [3, 3, 2, 2, 1, 1, 5, 6, 8, 10, 15],
    "frequency": [2, 2, 2, 3, 1, 6, 8, 10, 4, 5],
    "let_frequency": [1, 2, 3, 4, 5, 6, 7, 8, 15, 20, 25, 30, 40, 50, 60],
    "num_paragraphs": [2, 3, 3, 4, 5, 6],
    "num_sections": [2, 4, 3, 5, 7],
}


def _words(text: str) -> list[str]:
    return [w.lower() for w in re.findall(r"[A-Za-z]+", text)] or ["river"]


def _kwargs(cid: str, rng: random.Random, prompt: str, response: str, letter: tuple[str, int] | None) -> dict:
    rel = rng.choices(list(REL), list(REL.values()))[0]
    words = _words(response)
    if cid == "change_case:capital_word_frequency":
        return {"capital_relation": rel, "capital_frequency": rng.choice(SMALL["capital_frequency"])}
    if cid == "combination:repeat_prompt":
        return {"prompt_to_repeat": prompt.split("\n")[0]}
    if cid == "detectable_content:number_placeholders":
        return {"num_placeholders": rng.choice(SMALL["num_placeholders"])}
    if cid == "detectable_content:postscript":
        return {"postscript_marker": rng.choice(MARKERS)}
    if cid == "detectable_format:multiple_sections":
        return {"section_spliter": rng.choice(SPLITTERS), "num_sections": rng.choice(SMALL["num_sections"])}
    if cid == "detectable_format:number_bullet_lists":
        return {"num_bullets": rng.choice(SMALL["num_bullets"])}
    if cid == "detectable_format:number_highlighted_sections":
        return {"num_highlights": rng.choice(SMALL["num_highlights"])}
    if cid == "keywords:existence":
        return {"keywords": [rng.choice(words + gen.WORDS) for _ in range(rng.choice([1, 2, 2, 2, 3, 4]))]}
    if cid == "keywords:forbidden_words":
        return {"forbidden_words": [rng.choice(gen.WORDS + words) for _ in range(rng.choice([1, 2, 2, 3, 4, 5]))]}
    if cid == "keywords:frequency":
        return {"relation": rel, "keyword": rng.choice(words), "frequency": rng.choice(SMALL["frequency"])}
    if cid == "keywords:letter_frequency":
        if letter is not None:
            return {"let_relation": "at least", "letter": letter[0], "let_frequency": letter[1]}
        return {"let_relation": rel, "letter": rng.choice(LETTERS), "let_frequency": rng.choice(SMALL["let_frequency"])}
    if cid == "language:response_language":
        return {"language": rng.choice(LANGS + ["en"] * 3)}
    if cid == "length_constraints:nth_paragraph_first_word":
        n = rng.choice([2, 3, 3, 4, 4, 6, 7])
        return {"first_word": rng.choice(words), "num_paragraphs": n, "nth_paragraph": rng.randint(1, n)}
    if cid == "length_constraints:number_paragraphs":
        return {"num_paragraphs": rng.choice(SMALL["num_paragraphs"])}
    if cid == "length_constraints:number_sentences":
        return {"relation": rel, "num_sentences": rng.choice(NUM_SENTENCES)}
    if cid == "length_constraints:number_words":
        return {"relation": rel, "num_words": rng.choice(NUM_WORDS)}
    if cid == "startend:end_checker":
        return {"end_phrase": response.strip()[-rng.randint(5, 30) :] if rng.random() < 0.5 else "Any questions?"}
    return {}


def _response(rng: random.Random, prompt: str, letter: tuple[str, int] | None) -> str:
    if letter is not None:  # around the threshold: the '#' row passes, the '!' row fails
        char, n = letter
        count = n if char == "#" else n - 1
        return " ".join(f"{char}tea{i}" if char == "#" else f"Wow{char}" for i in range(count)) + " done"
    text = gen.response(rng)
    if rng.random() < 0.25:  # a model that repeats the request first
        text = prompt.split("\n")[0] + "\n" + text
    return text


def build(seed: int = 20231107) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """(input rows, response rows) with the official file's shape; see the module docstring."""
    rng = random.Random(seed)
    ids = [cid for cid, n in ID_COUNTS.items() for _ in range(n)]
    sizes = [size for size, n in ROW_SIZES.items() for _ in range(n)]
    rng.shuffle(ids)
    rng.shuffle(sizes)
    letter_rows = [i for i, cid in enumerate(ids) if cid == "keywords:letter_frequency"][: len(NON_LETTERS)]
    inputs, responses = [], []
    pos = 0
    for k, size in enumerate(sizes):
        row_ids = ids[pos : pos + size]
        letter = next((NON_LETTERS[j] for j, i in enumerate(letter_rows) if pos <= i < pos + size), None)
        pos += size
        prompt = f"Synthetic request {k}: write about {rng.choice(gen.WORDS)} and {rng.choice(gen.WORDS)}."
        if "combination:repeat_prompt" in row_ids:
            prompt += "\nFirst repeat the request word for word without change, then give your answer."
        response = _response(rng, prompt, letter)
        kwargs = [
            _kwargs(cid, rng, prompt, response, letter if cid == "keywords:letter_frequency" else None)
            for cid in row_ids
        ]
        inputs.append({"key": 1000 + k, "prompt": prompt, "instruction_id_list": row_ids, "kwargs": kwargs})
        responses.append({"prompt": prompt, "response": response})
    del responses[rng.randrange(len(responses))]  # as in the official GPT-4 responses: one prompt unanswered
    return inputs, responses


def shape(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """The counts this module copies from the official file, measured on `rows`."""
    return {
        "rows": len(rows),
        "row_sizes": dict(Counter(len(r["instruction_id_list"]) for r in rows)),
        "id_counts": dict(Counter(i for r in rows for i in r["instruction_id_list"])),
        "non_letters": sorted(
            kw["letter"]
            for r in rows
            for cid, kw in zip(r["instruction_id_list"], r["kwargs"])
            if cid == "keywords:letter_frequency" and not kw["letter"].isalpha()
        ),
    }
