"""Named words, letters and phrases: forbidden, required, counted, placed first or last.

A word the constraint names must be unmistakably a literal word: quoted, or introduced by "the word(s)"
/ "the term(s)". A bare noun after "mention" or "avoid" is a topic ("mention Paris", "avoid jargon"),
which no word checker verifies; the one exception is a capitalised name with an explicit count ("Mention
Paris at least twice"), where only the literal word can be counted. A keyword holding regex characters is
refused (the IFEval checkers read keywords as patterns).
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .engine import bound, grp, rule

USE = r"(?:use|include|write|say|mention|type|put|employ|add|insert|incorporate|feature)"


def _words(m, allow_or: bool) -> list[str] | None:
    raw = grp(m, "kws")
    if not raw:
        return None
    quoted = raw.strip()[0] in "'\""
    if not quoted and not grp(m, "noun"):
        return None  # "avoid jargon", "include examples": topics, not words
    return lx.keyword_list(raw, allow_or)


@rule(
    "keywords:forbidden_words",
    rf"{{NEG}} {USE} (?:any of )?(?:{{WORDN}} )?{{KWS}}",
    rf"{{NEG}} {USE} (?:any of )?{{WORDN}} (?:in {{RESP}})?: {{KWS}}",
    r"{AVOID} (?:{WORDN} )?{KWS}",
    r"{AVOID} {WORDN} (?:entirely|completely|altogether)?:? {KWS}",
    r"{RESP} {MNEG} (?:include|contain|use|mention|feature|have) (?:any of )?(?:{WORDN} )?{KWS}",
    r"(?:{WORDN} )?{KWS} (?:must not|should not|may not|cannot|can't) (?:be used|appear)(?: in {RESP})?",
    r"(?:{WORDN} )?{KWS} (?:is|are) (?:not allowed|forbidden|banned|prohibited|off-limits|off limits)",
)
def forbidden_words(m):
    words = _words(m, allow_or=True)
    return {"forbidden_words": words} if words else None


@rule(
    "keywords:existence",
    r"(?:include|use|mention|incorporate|add|work|feature|insert) {WORDN} {KWS}(?: (?:into|in) {RESP})?",
    r"(?:include|use|mention|incorporate|work|feature) {QKWS}(?: (?:into|in) {RESP})?",
    r"{RESP} {MODAL} (?:include|contain|use|mention|feature|have) {WORDN} {KWS}",
    r"{RESP} (?:includes|contains|uses|mentions|features|has) {WORDN} {KWS}",
    r"{WORDN} {KWS} {MODAL} (?:both |all |each )?(?:appear|be included|be used|be mentioned)",
    r"(?:both|all of|each of) {QKWS} {MODAL} (?:appear|be included|be used|be mentioned)",
    r"work {WORDN} into {RESP}: {KWS}",
    r"{RESP} (?:has to|must|should) contain (?:each|all) of {WORDN}: {KWS}",
)
def existence(m):
    words = _words(m, allow_or=False)
    return {"keywords": words} if words else None


def _one_word(m, name: str = "kw") -> str | None:
    raw = grp(m, name)
    if not raw:
        return None
    word = lx.keyword(raw)
    if word is None:
        return None
    quoted = raw.strip()[0] in "'\""
    if not quoted and not grp(m, "noun") and not word[0].isupper():
        return None  # "use commas at least twice" counts a topic; "Mention Paris at least twice" a name
    return word


WORD_NOUN = r"(?P<noun>the (?:word|keyword|term|name|phrase))"


@rule(
    "keywords:frequency",
    rf"{USE} (?:{WORD_NOUN} )?{{KW}} {{TIMES}}",
    rf"(?:{WORD_NOUN} )?{{KW}} {{MODAL}} (?:appear|occur|be used|be mentioned|show up|be included|be repeated) {{TIMES}}",
    rf"(?:{WORD_NOUN} )?{{KW}} (?:appears|occurs|is used|is mentioned|shows up) {{TIMES}}",
    rf"(?P<neg>{{NEG}}) {USE} (?:{WORD_NOUN} )?{{KW}} {{TIMES}}",
    rf"make (?:{WORD_NOUN} )?{{KW}} (?:occur|appear|show up) {{TIMES}}",
)
def frequency(m):
    word, b = _one_word(m), bound(m)
    r = lx.ifeval_relation(*b) if b else None
    return {"keyword": word, "frequency": r[1], "relation": r[0]} if word and r else None


ONCE = r"(?:exactly once|exactly one time|once,? and only once|a single time|one time exactly|exactly a single time)"


@rule(
    "keywords:word_once",
    rf"{USE} (?:{WORD_NOUN} )?{{KW}} {ONCE}",
    rf"(?:{WORD_NOUN} )?{{KW}} {{MODAL}} (?:appear|occur|be used|be mentioned|show up)(?: in {{RESP}})? {ONCE}",
    rf"(?:{WORD_NOUN} )?{{KW}} (?:appears|occurs|is used) {ONCE}",
)
def word_once(m):
    word = _one_word(m)
    return {"keyword": word} if word else None


TWICE = r"(?:exactly twice|exactly two times)"
ONCE1 = r"(?:exactly once|exactly one time)"


@rule(
    "count:count_increment_word",
    rf"{USE} (?:the word )?{{KW}} {ONCE1} and (?:the word )?{{KW2}} {TWICE}",
    rf"{USE} (?:the word )?{{QKW}} (?:once|one time) and (?:the word )?{{QKW2}} (?:twice|two times),? no more and no less",
)
def count_increment_word(m):
    raws = [grp(m, "kw"), grp(m, "kw2")]
    if not all(r.strip()[0] in "'\"" or f"the word {r}".lower() in m.group(0).lower() for r in raws):
        return None  # a bare word must be introduced as a word
    a, b = lx.keyword(raws[0]), lx.keyword(raws[1])
    if not a or not b or a.lower() == b.lower():
        return None
    return {"keyword1": a, "keyword2": b}


LETTER = r"(?P<letter>'[a-z]'|\"[a-z]\"|[a-z](?![\w'-]))"
CASE = r"(?: \((?:in )?(?:upper or lower case|any case|either case)\))?"


def _letter(m) -> str | None:
    raw = grp(m, "letter")
    return lx.unquote(raw)[0].lower() if raw else None


@rule(
    "keywords:letter_frequency",
    rf"(?:(?P<neg>{{NEG}}) )?(?:use|include|write|type) the letter {LETTER} {{TIMES}}{CASE}",
    rf"the letter {LETTER} {{MODAL}} (?:appear|occur|be used|show up) {{TIMES}}{CASE}",
    rf"the letter {LETTER} (?:appears|occurs|is used|shows up) {{TIMES}}{CASE}",
    rf"write {{RESP}} so that the letter {LETTER} (?:appears|occurs|shows up) {{TIMES}}{CASE}",
    rf"count your letters: {LETTER} {{MODAL}} (?:appear|occur|show up) {{TIMES}}{CASE}",
    rf"{{RESP}} {{MODAL}} (?:contain|include|use) the letter {LETTER} {{TIMES}}{CASE}",
)
def letter_frequency(m):
    letter, b = _letter(m), bound(m)
    r = lx.ifeval_relation(*b) if b else None
    return {"letter": letter, "let_frequency": r[1], "let_relation": r[0]} if letter and r else None


@rule(
    "keywords:letter_frequency",
    rf"{{NEG}} (?:use|include|write|type) the letter {LETTER}",
    rf"{{AVOID}} the letter {LETTER}",
    rf"{{RESP}} {{MNEG}} (?:contain|include|use) the letter {LETTER}",
    rf"(?:write|answer|respond|reply)(?: {{OBJ}})? without (?:using |writing )?(?:the letter|a single) {LETTER}",
)
def no_letter(m):
    letter = _letter(m)
    return {"letter": letter, "let_frequency": 1, "let_relation": "less than"} if letter else None


# ---------------------------------------------------------------- first / last words and phrases


def _named_word(m) -> str | None:
    """The one word a first/last/position rule names. After "must be" a bare word may describe rather than
    name ("the first word must be capitalized"), so there it has to be quoted or capitalised."""
    raw = grp(m, "kw")
    word = lx.keyword(raw, max_words=1)
    if word is None or raw is None:  # (keyword() is None for a missing raw)
        return None
    quoted = raw.strip()[0] in "'\""
    if not quoted and re.search(r"\bbe\b", m.group(0), re.IGNORECASE) and not word[0].isupper():
        return None
    return word


START = r"(?:start|begin|open|commence)"
END = r"(?:end|finish|conclude|close|wrap up|terminate)"
NOTHING_AFTER = (
    r"(?:,? (?:and|with) nothing (?:else )?(?:after|following) (?:it|them|that|this)|\.? no other words should follow"
    r"(?: it)?|,? with no other words after (?:it|them)|\.? nothing (?:else )?(?:may|should|can) follow(?: it)?)?"
)


@rule(
    "first_word:first_word_answer",
    rf"{START} {{RESP}} with the (?:single )?word {{KW}}",
    r"(?:the )?(?:very )?first word of {RESP} {MODAL} be {KW}",
    rf"{START} {{RESP}} with the word {{KW}} as (?:its|the) (?:very )?first word",
    r"make {KW} the (?:very )?first word of {RESP}",
    r"make the (?:very )?first word of {RESP} {KW}",
)
def first_word_answer(m):
    word = _named_word(m)
    return {"first_word": word} if word else None


@rule(
    "last_word:last_word_answer",
    rf"{END} {{RESP}} with the (?:single )?word {{KW}}(?:; nothing but punctuation (?:may|can) follow(?: it)?)?",
    r"{RESP} {MODAL} end with the word {KW}",
    r"(?:the )?(?:very )?(?:last|final) word of {RESP} {MODAL} be {KW}",
    r"make {KW} the (?:very )?(?:last|final) word of {RESP}",
    r"make the (?:very )?(?:last|final) word of {RESP} {KW}",
)
def last_word_answer(m):
    word = _named_word(m)
    return {"last_word": word} if word else None


EVERY_SENTENCE = r"(?:every|each|all) (?:of your )?sentences?"


@rule(
    "first_word:first_word_sent",
    rf"{START} {EVERY_SENTENCE} with the word {{KW}}",
    rf"{EVERY_SENTENCE} {{MODAL}} (?:start|begin) with the word {{KW}}",
    rf"{EVERY_SENTENCE} {{MODAL}} (?:start|begin) with {{QKW}}",
    rf"make {{KW}} the first word of {EVERY_SENTENCE}(?: you write)?",
)
def first_word_sent(m):
    word = _named_word(m)
    return {"first_word": word} if word else None


@rule(
    "last_word:last_word_sent",
    rf"{END} {EVERY_SENTENCE} with the word {{KW}}(?: \(punctuation may follow(?: it)?\))?",
    rf"{END} {EVERY_SENTENCE} with {{QKW}}",
    rf"(?:the )?(?:last|final) word of {EVERY_SENTENCE},? before its punctuation, {{MODAL}} be {{KW}}",
    rf"{EVERY_SENTENCE} {{MODAL}} end with the word {{KW}}",
    rf"(?:the )?(?:last|final) word of {EVERY_SENTENCE} {{MODAL}} be {{KW}}",
)
def last_word_sent(m):
    word = _named_word(m)
    return {"last_word": word} if word else None


@rule(
    "startend:end_checker",
    rf"{END}(?: {{RESP}})? with (?:(?:this|the|these) (?:exact )?(?:phrase|sentence|words)[:,]? |exactly )?{{PHRASE}}{NOTHING_AFTER}",
    rf"{{RESP}} {{MODAL}} end with (?:(?:this|the|these) (?:exact )?(?:phrase|sentence|words)[:,]? |exactly )?{{PHRASE}}{NOTHING_AFTER}",
    r"(?:the )?(?:last|final) (?:words|sentence) of {RESP} {MODAL} be[:,]? {PHRASE}",
    rf"{END}(?: {{RESP}})? with (?:(?:this|the) (?:exact )?(?:phrase|sentence|words)): (?P<tail>[^'\"].*)",
    rf"{END}(?: {{RESP}})? with (?:this|the) exact phrase: (?P<tail>[^'\"].*?[.!?]) no other words should follow(?: it)?",
    r"{RESP} {MODAL} end with (?:(?:this|the) (?:exact )?(?:phrase|sentence|words)): (?P<tail>[^'\"].*)",
    r"(?:the )?(?:last|final) (?:words|sentence) of {RESP} {MODAL} be: (?P<tail>[^'\"].*)",
)
def end_checker(m):
    raw = grp(m, "ph") or grp(m, "tail")
    text = lx.phrase(raw)
    return {"end_phrase": text} if text else None


@rule(
    "ifgen:start_phrase",
    rf"{START}(?: {{RESP}})? with (?:(?:this|the) (?:exact )?(?:phrase|words|sentence)[:,]? )?{{PHRASE}}"
    r"(?:,? exactly as written)?(?:,? then continue)?",
    r"(?:the )?(?:very )?first words of {RESP} {MODAL} be[:,]? {PHRASE}",
    r"(?:the )?(?:very )?first words of {RESP} {MODAL} be: (?P<tail>[^'\"].*)",
)
def start_phrase(m):
    text = lx.phrase(grp(m, "ph") or grp(m, "tail"))
    if text and " " not in text and "phrase" not in m.group(0).lower():
        return None  # "open with 'harbor'": the first word (first_word_answer) or the first characters? Unclear.
    return {"start_phrase": text} if text else None


@rule(
    "keywords:start_end",
    rf"(?:{START} and {END}|{END} and {START}) {{RESP}} with (?:the same word|one and the same word|an identical word)"
    r"(?:,? (?:and put |with )?(?:nothing|no punctuation) after (?:that|the) (?:last|final) word|,? with no trailing "
    r"punctuation)?",
    r"(?:the |your )?first (?:word )?and (?:the |your )?last words? of {RESP} {MODAL} be (?:the same|identical)(?: word)?",
    r"your first word and your last word {MODAL} be (?:the same|identical)(?:; do not add anything after the final word)?",
    r"{RESP} {MODAL} (?:start|begin) and end with the same word",
)
def start_end(m):
    return {}


# ---------------------------------------------------------------- where a word goes


@rule(
    "ifgen:keyword_order",
    r"(?:mention|use) {QKW} (?:before|ahead of) (?:you mention |mentioning )?{QKW2}(?: \(both must appear\))?",
    r"(?:mention|use) the word {KW} (?:before|ahead of) (?:you mention |mentioning )?the word {KW2}",
    r"(?:include|use|mention) {QKW} and {QKW2}; the first (?P=kw) {MODAL} come before the first (?P=kw2)",
    r"use the words {QKW} and {QKW2},? and mention (?P=kw) first",
)
def keyword_order(m):
    a, b = lx.keyword(grp(m, "kw")), lx.keyword(grp(m, "kw2"))
    if not a or not b or a.lower() == b.lower():
        return None
    return {"first_keyword": a, "second_keyword": b}


FIRST_S = r"(?:(?:your|the) )?(?:very )?(?:first|opening) sentence(?: of {RESP}| you write)?"
LAST_S = r"(?:(?:your|the) )?(?:very )?(?:last|final|closing) sentence(?: of {RESP}| you write)?"


def _placed(where: str) -> tuple[str, ...]:
    return (
        rf"(?:use|include|mention|put) (?:the word )?{{KW}} (?:in|within) {where}",
        rf"{where} {{MODAL}} (?:contain|include|use|mention) the word {{KW}}",
        rf"{where} {{MODAL}} (?:contain|include|use|mention) {{QKW}}",
        rf"{{QKW}} (?:appears|{{MODAL}} appear) in {where}(?: you write)?",
    )


def _placed_word(m):
    raw = grp(m, "kw")
    if not raw or (raw.strip()[0] not in "'\"" and " word " not in f" {m.group(0).lower()} "):
        return None
    word = lx.keyword(raw, max_words=1)
    return {"keyword": word} if word else None


rule("ifgen:keyword_in_first_sentence", *_placed(FIRST_S))(_placed_word)
rule("ifgen:keyword_in_last_sentence", *_placed(LAST_S))(_placed_word)


@rule(
    "keywords:palindrome",
    r"(?:include|use|write|add) (?:at least one|a|one) palindromes?(?: word)?",
    r"(?:include|use) a word that reads the same (?:backwards|backward) (?:as|and) (?:forwards|forward)",
    r"{RESP} {MODAL} (?:include|contain) (?:at least one|a) palindrome",
)
def palindrome(m):
    return {}


POS = lx.ORDINAL


@rule(
    "keywords:keyword_specific_position",
    rf"in the (?P<sn>{POS}) sentence(?: of {{RESP}})?, the (?P<wn>{POS}) word {{MODAL}} be {{KW}}",
    r"make {QKW} the word at position (?P<wn>\d+) in sentence (?P<sn>\d+)",
    r"put the word {QKW} in sentence number (?P<sn>\d+),? as word number (?P<wn>\d+) of that sentence",
)
def keyword_specific_position(m):
    word = _named_word(m)
    n, k = lx.parse_ordinal(m.group("sn")), lx.parse_ordinal(m.group("wn"))
    return {"keyword": word, "n": n, "m": k} if word and n and k else None
