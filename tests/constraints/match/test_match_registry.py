"""The matcher on the registry's own phrasings: every train-split constraint, rendered with sampled params.

These sentences were written by others for rendering, not for the matcher, so they are an independent
recall measurement (no threshold: many ids, e.g. the copy family, are deliberately not mapped). Any
mapping made here must be right, though: a wrong one is a precision bug.
"""

from __future__ import annotations

import random

from pipeline.constraints import all_constraints
from pipeline.constraints.match import match

CTX = {
    "task_text": "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "topic_words": ["lighthouse", "keeper", "message", "bottle", "story", "ocean", "harbor"],
    "expected_length": 250,
    "language": "en",
}
SEEDS = range(4)

# ids whose checkers agree with an IFEval id the matcher prefers (same rule, same parameters)
SAME_AS = {
    "keywords:word_count_different_numbers": lambda p: ("keywords:frequency", p),
    "letters:letter_counting2": lambda p: ("keywords:letter_frequency", p),
    "paragraphs:paragraphs": lambda p: ("length_constraints:number_paragraphs", {"num_paragraphs": 2}),
}


def rendered():
    for c in all_constraints().values():
        if c.split != "train":
            continue
        for s in SEEDS:
            params = c.bind(random.Random(s), CTX)
            for i in range(len(c.phrasings)):
                yield c, params, c.render(params, index=i)


def _accepts(c, params, got_id, got_params) -> bool:
    if (got_id, got_params) == (c.id, params):
        return True
    if c.id in SAME_AS:
        return (got_id, got_params) == SAME_AS[c.id](params)
    return False


def measure():
    total = made = correct = 0
    wrong, by_id = [], {}
    for c, params, text in rendered():
        total += 1
        m = match(text)
        hit = by_id.setdefault(c.id, [0, 0])
        hit[1] += 1
        if m is None:
            continue
        made += 1
        if _accepts(c, params, m.id, m.params):
            correct += 1
            hit[0] += 1
        else:
            wrong.append(f"{text!r}: want {c.id} {params}, got {m.id} {m.params} ({m.rule})")
    return total, made, correct, wrong, by_id


def test_registry_phrasings_map_correctly_or_not_at_all():
    total, made, correct, wrong, by_id = measure()
    covered = sum(1 for ok, _ in by_id.values() if ok)
    print(
        f"\nregistry phrasings: {total} texts over {len(by_id)} train ids; mapped {made}, correct {correct} "
        f"(recall {correct / total:.3f}, precision {correct / max(made, 1):.3f}); ids with a correct mapping: {covered}"
    )
    print("never mapped: " + ", ".join(sorted(i for i, (ok, _) in by_id.items() if not ok)))
    assert not wrong, "\n".join(wrong)
