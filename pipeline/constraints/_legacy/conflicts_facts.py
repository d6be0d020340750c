"""What a bound instruction demands of the response, as comparable facts.

Parameter-level conflicts are found by turning each (id, params) into `Facts`
and letting the rules in `conflicts.py` compare two items' facts:
  counts   feature -> (lo, hi): words, chars, sentences, paragraphs, lines,
           questions, emoji, grade, "kw:<word>", "letter:<x>", "char:<class>" ...
           A ban is the range (0, 0); a requirement is (1, inf) or tighter.
  start / end  anchors the first / last characters: a literal phrase, a word,
           a single closing mark ("" = a bare word, nothing after it) or a block
           (postscript, TL;DR line, sign-off) that must sit there.
  body     "json" / "yaml" / "csv" when the whole response is data.
  decor    True when the item adds text outside such a body (title, P.S., ...).
The table `EXTRACTORS` maps ids to small functions; ids without an entry have
no parameter-level facts (their id-level conflicts still apply).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..conflicts.facts import FIRST_PERSON, INF, SECOND_PERSON, Anchor, Facts, kw, literal, rel  # noqa: F401


def _multiple_sections(p: dict) -> Facts:
    # "Section 1" needs its letters in the given case and a digit; sections may share a line.
    return literal(Facts(), f"{p.get('section_spliter', 'Section')} 1", case_sensitive=True)


def _nth_paragraph(p: dict) -> Facts:
    n = int(p["num_paragraphs"])
    f = Facts().need("paragraphs", n, n)
    if int(p.get("nth_paragraph", 0)) == 1 and p.get("first_word"):
        f.start.append(Anchor("word", str(p["first_word"])))
    return f


def _postscript(p: dict) -> Facts:
    f = literal(Facts(decor=True), p.get("postscript_marker", "P.S."), case_sensitive=False)
    f.end.append(Anchor("block", "postscript"))
    return f


def _end_checker(p: dict) -> Facts:
    phrase = str(p["end_phrase"]).strip()
    f = literal(Facts(decor=True), phrase, case_sensitive=False)
    f.end.append(Anchor("phrase", phrase))
    return f


def _quotation(p: dict) -> Facts:
    f = Facts(decor=True).need('char:"', 2)
    f.start.append(Anchor("mark", '"'))
    f.end.append(Anchor("mark", '"'))
    return f


def _repeat_prompt(p: dict) -> Facts:
    text = str(p.get("prompt_to_repeat") or "").strip()
    f = literal(Facts(decor=True), text, case_sensitive=False)
    if text:
        f.start.append(Anchor("phrase", text))
    return f


def _capital_words(p: dict) -> Facts:
    lo, hi = rel(p["capital_frequency"], p["capital_relation"])
    f = Facts().need("capwords", lo, hi)
    return f.need("char:upper", 1) if lo >= 1 else f


def _word_anchor(where: str, key: str):
    def ex(p: dict) -> Facts:
        f = kw(Facts(), p[key], 1)
        getattr(f, where).append(Anchor("word", str(p[key]).strip()))
        return f

    return ex


def _wrap_tags(p: dict) -> Facts:
    tag = str(p["tag_name"])
    f = literal(Facts(decor=True), f"<{tag}></{tag}>", case_sensitive=True)
    f.start.append(Anchor("phrase", f"<{tag}>", ci=False))
    f.end.append(Anchor("phrase", f"</{tag}>", ci=False))
    return f


def _start_phrase(p: dict) -> Facts:
    text = str(p["start_phrase"])
    f = literal(Facts(decor=True), text, case_sensitive=True)
    f.start.append(Anchor("phrase", text, ci=False))
    return f


def _email(p: dict) -> Facts:
    f = Facts(decor=True).need("lines", 3).need("char::", 1)
    f.start.append(Anchor("phrase", "Subject:"))
    f.end.append(Anchor("block", "sign-off"))
    return f


def _tldr(p: dict) -> Facts:
    f = Facts(decor=True).need("lines", 2).need("char:;", 1).need("char::", 1)
    f.end.append(Anchor("block", "TL;DR line"))
    return f


def _toc(p: dict) -> Facts:
    f = Facts(decor=True).need("lines", 3).need("headings", 2).need("char:#", 1)
    f.start.append(Anchor("block", "table of contents"))
    return f


def _end_question(p: dict) -> Facts:
    f = Facts().need("questions", 1).need("char:?", 1)
    f.end.append(Anchor("mark", "?"))
    return f


def _start_end_same(p: dict) -> Facts:
    f = Facts()
    f.end.append(Anchor("mark", ""))
    return f


def _json_keys(p: dict) -> Facts:
    f = Facts(body="json").need("char:{", 1).need('char:"', 2)
    return f.need("char:,", 1) if len(p.get("keys") or ()) >= 2 else f


def _counted(feature: str, n_key: str, rel_key: str | None = None, char: str | None = None):
    """A count feature from `n_key` (exact, or with a relation) plus the char it needs when > 0."""

    def ex(p: dict) -> Facts:
        n = int(p[n_key])
        lo, hi = rel(n, p[rel_key]) if rel_key else (n, n)
        f = Facts().need(feature, lo, hi)
        return f.need("char:" + char, 1) if char and lo >= 1 else f

    return ex


def _bans(*features: str):
    def ex(p: dict) -> Facts:
        f = Facts()
        for feat in features:
            f.need(feat, 0, 0)
        return f

    return ex


def _needs(*features: str, **extra: int):
    def ex(p: dict) -> Facts:
        f = Facts()
        for feat in features:
            f.need(feat, 1)
        for feat, n in extra.items():
            f.need(feat, n)
        return f

    return ex


def _pronoun_ban(words: tuple[str, ...]):
    def ex(p: dict) -> Facts:
        f = Facts()
        for w in words:
            kw(f, w, 0, 0)
        return f

    return ex


Extractor = Callable[[dict], Facts]

EXTRACTORS: dict[str, Extractor] = {
    # IFEval
    "keywords:existence": lambda p: _each(Facts(), p["keywords"], 1),
    "keywords:frequency": lambda p: kw(Facts(), p["keyword"], *rel(p["frequency"], p["relation"])),
    "keywords:forbidden_words": lambda p: _each(Facts(), p["forbidden_words"], 0, 0),
    "keywords:letter_frequency": lambda p: Facts().need(
        "letter:" + str(p["letter"]).lower(), *rel(p["let_frequency"], p["let_relation"])
    ),
    "length_constraints:number_sentences": lambda p: Facts().need("sentences", *rel(p["num_sentences"], p["relation"])),
    "length_constraints:number_paragraphs": lambda p: Facts().need(
        "paragraphs", int(p["num_paragraphs"]), int(p["num_paragraphs"])
    ),
    "length_constraints:number_words": lambda p: Facts().need("words", *rel(p["num_words"], p["relation"])),
    "length_constraints:nth_paragraph_first_word": _nth_paragraph,
    "detectable_content:number_placeholders": lambda p: (
        Facts().need("char:[", 1).need("char:]", 1) if int(p["num_placeholders"]) >= 1 else Facts()
    ),
    "detectable_content:postscript": _postscript,
    "detectable_format:number_bullet_lists": lambda p: (
        Facts().need("bullets", int(p["num_bullets"]), int(p["num_bullets"])).need("lines", int(p["num_bullets"]))
    ),
    "detectable_format:number_highlighted_sections": lambda p: (
        Facts().need("char:*", 2) if int(p["num_highlights"]) >= 1 else Facts()
    ),
    "detectable_format:multiple_sections": _multiple_sections,
    "detectable_format:json_format": lambda p: Facts(body="json"),
    "detectable_format:title": lambda p: Facts(decor=True).need("char:<", 2).need("char:>", 2),
    "combination:two_responses": lambda p: Facts(decor=True).need("char:*", 6),
    "combination:repeat_prompt": _repeat_prompt,
    "startend:end_checker": _end_checker,
    "change_case:capital_word_frequency": _capital_words,
    "change_case:english_capital": _bans("char:lower"),
    "change_case:english_lowercase": _bans("char:upper", "capwords"),
    "punctuation:no_comma": _bans("char:,"),
    "startend:quotation": _quotation,
    # IFEvalG
    "keywords:word_once": lambda p: kw(Facts(), p["keyword"], 1, 1),
    "keywords:word_count_different_numbers": lambda p: kw(Facts(), p["keyword"], *rel(p["frequency"], p["relation"])),
    "keywords:exclude_word_harder": lambda p: kw(Facts(), p["keyword"], 0, 0),
    "paragraphs:paragraphs": lambda p: Facts().need("paragraphs", 2, 2),
    "paragraphs:paragraphs2": lambda p: Facts().need("paragraphs", 2, 2),
    "first_word:first_word_sent": _word_anchor("start", "first_word"),
    "first_word:first_word_answer": _word_anchor("start", "first_word"),
    "last_word:last_word_sent": _word_anchor("end", "last_word"),
    "last_word:last_word_answer": _word_anchor("end", "last_word"),
    "punctuation:punctuation_dot": _bans("char:."),
    "punctuation:punctuation_exclamation": _bans("char:!"),
    "letters:letter_counting": lambda p: Facts().need("letters", *rel(p["N"], p["relation"])),
    "letters:letter_counting2": lambda p: Facts().need(
        "letter:" + str(p["letter"]).lower(), *rel(p["let_frequency"], p["let_relation"])
    ),
    "count:counting_composition": lambda p: (
        Facts().need("paragraphs", 3, 3).need("sentences", 3 * int(p["n_sent"]), 3 * int(p["n_sent"]))
    ),
    "count:count_unique": lambda p: Facts().need("max_word_repeat", 0, 1),
    "count:count_increment_word": lambda p: kw(kw(Facts(), p["keyword1"], 1, 1), p["keyword2"], 2, 2),
    "keywords:keyword_specific_position": lambda p: kw(Facts(), p["keyword"], 1).need("sentences", int(p["n"])),
    "keywords:start_end": _start_end_same,
    # IFBench
    "count:word_count_range": lambda p: Facts().need("words", int(p["min_words"]), int(p["max_words"])),
    "count:unique_word_count": lambda p: Facts().need("words", int(p["N"])),
    "count:keywords_multiple": lambda p: _multi(p),
    "sentence:keyword": lambda p: kw(Facts(), p["word"], 1).need("sentences", int(p["N"])),
    "words:repeats": lambda p: Facts().need("max_word_repeat", 0, int(p["small_n"])),
    "words:words_position": lambda p: kw(Facts(), p["keyword"], 1),
    "format:emoji": _needs("emoji"),
    "format:title_case": _needs("char:upper"),
    "count:numbers": lambda p: Facts().need("char:digit", 1) if int(p["N"]) >= 1 else Facts(),
}


def _each(f: Facts, words: Any, lo: float, hi: float = INF) -> Facts:
    for w in [words] if isinstance(words, str) else list(words or ()):
        kw(f, w, lo, hi)
    return f


def _multi(p: dict) -> Facts:
    f = Facts()
    for key, n in (("keyword1", 1), ("keyword2", 2), ("keyword3", 3), ("keyword4", 5), ("keyword5", 7)):
        if p.get(key):
            kw(f, p[key], n)
    return f


# Imported last: the ifgen table reuses the helpers defined above.
from .conflicts_facts_ifgen import IFGEN_EXTRACTORS  # noqa: E402

EXTRACTORS.update(IFGEN_EXTRACTORS)


def facts_for(cid: str, params: dict | None) -> Facts:
    """Facts of one bound item; an id without an extractor has none."""
    ex = EXTRACTORS.get(cid)
    if ex is None:
        return Facts()
    p = {k: v for k, v in (params or {}).items() if v is not None}
    try:
        f = ex(p)
    except KeyError as e:
        raise ValueError(f"{cid}: parameter {e.args[0]!r} missing, cannot check conflicts") from None
    except (TypeError, ValueError) as e:
        raise ValueError(f"{cid}: bad parameter value in {p!r}: {e}") from None
    total = sum(lo for feat, (lo, _) in f.counts.items() if feat.startswith("kw:") and lo > 0)
    if total:
        f.need("kw_total", total)
    return f
