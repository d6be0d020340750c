"""Counted things with a bound: words, sentences, characters, letters, ALL-CAPS words, emoji, questions, bold.

Every id here compares a count with a number, so one family of sentence shapes (`counted`) serves them
all; the rules differ in the noun and in which bounds the id can state exactly. IFEval-style ids take
"less than N" / "at least N", and the other bounds convert without loss (at most N == less than N+1);
max/min ids take the bound that matches their direction; nothing here accepts "exactly" or a bare
number ("a 300-word essay"), because no id here checks an exact count.
"""

from __future__ import annotations

from . import lexicon as lx
from .engine import MACROS, bound, rule

VERB = MACROS["VERB"]


def counted(noun: str, tail: str = "") -> tuple[str, ...]:
    """The usual ways to bound how many `noun` a response has (`tail`: what may follow, e.g. "spaces included")."""
    end = rf"{{TOTAL}}{{POST}}{{TOTAL}}{tail}"
    return (
        rf"(?:(?P<neg>{{NEG}}) )?{VERB}(?: {{OBJ}})?(?: (?:with|in|using|of))? {{CNT}} {noun}{end}",
        rf"{{RESP}} {{MODAL}} (?:be|contain|have|include|consist of|use|feature|comprise|be made up of|run) "
        rf"{{CNT}} {noun}{end}",
        rf"{{RESP}} (?:contains|has|includes|uses|features|is|needs) {{CNT}} {noun}{end}",
        rf"{{RESP}} (?P<neg>{{MNEG}}) (?:use|contain|have|include|be) {{CNT}} {noun}{end}",
        rf"(?P<neg>{{NEG}}) {{VREL}} {{NUMV}} {noun}{{TOTAL}}{tail}",
        rf"{{RESP}} (?P<neg>{{MNEG}}) {{VREL}} {{NUMV}} {noun}{{TOTAL}}{tail}",
        rf"(?:keep|limit|restrict|cap) (?:{{OBJ}} )?{{CNTK}} {noun}{end}",
        rf"there {{MODAL}} be {{CNT}} {noun}{end}",
        rf"(?:the )?(?:total )?(?:number|count) of {noun}(?: (?:in|of) {{RESP}})? {{BE}} {{CNT}}{{POST}}",
        rf"(?:keep|limit|restrict|cap) the (?:total )?(?:number|count) of {noun}(?: (?:in|of) {{RESP}})? {{CNTK}}{{POST}}",
        rf"{VERB} {noun}: {{CNT}} of them{{POST}}",
        rf"{{CNT}} {noun}{end}",  # a fragment: "At most 100 words."
    )


def _rel(m) -> tuple[str, int] | None:
    b = bound(m)
    return lx.ifeval_relation(*b) if b else None


WORDS = r"words?"
WORD_COUNT = (
    r"(?:(?:the|your) )?(?:total )?word count(?: (?:of|for) {RESP})? {BE} {CNT}{POST}",
    r"{RESP}(?:'s)? word count {BE} {CNT}{POST}",
)


@rule("length_constraints:number_words", *counted(WORDS), *WORD_COUNT)
def number_words(m):
    r = _rel(m)
    return {"num_words": r[1], "relation": r[0]} if r else None


@rule(
    "length_constraints:number_sentences",
    *counted(r"sentences?"),
    r"keep the sentence count(?: (?:of|for) {RESP})? (?:at |to )?{CNT}{POST}",
    r"(?:the|your) sentence count(?: (?:of|for) {RESP})? {BE} {CNT}{POST}",
)
def number_sentences(m):
    r = _rel(m)
    return {"num_sentences": r[1], "relation": r[0]} if r else None


LETTERS = (
    r"(?:letters (?:in total|altogether|overall)|(?:alphabetic|alphabetical) (?:letters|characters)"
    r"(?: \(a-z[^)]*\))?|letters \(a-z[^)]*\)|letters of the alphabet)"
)


@rule("letters:letter_counting", *counted(LETTERS))
def letter_counting(m):
    r = _rel(m)
    return {"N": r[1], "relation": r[0]} if r else None


CAPS_WORDS = (
    r"(?:words (?:in|with|using|written in|written with|that are in|that use) (?:all )?(?:capital letters|caps|"
    r"uppercase letters|upper-case letters|all caps|capitals)|words (?:that are |written )?(?:entirely|fully|"
    r"completely) (?:in )?(?:capital letters|capitals|uppercase|caps)|(?:all-caps|all caps|all-capital|"
    r"all capital|fully capitali[sz]ed|fully-capitali[sz]ed|all-uppercase|all uppercase|entirely uppercase|"
    r"entirely capitali[sz]ed) words)(?: \(like [A-Z]+\))?(?: for emphasis)?"
)


@rule(
    "change_case:capital_word_frequency",
    *counted(CAPS_WORDS),
    rf"{CAPS_WORDS} {{MODAL}} (?:appear|occur|be used|show up) {{TIMES}}",
    rf"{CAPS_WORDS} (?:appear|occur|are used|show up) {{TIMES}}",
)
def capital_word_frequency(m):
    r = _rel(m)
    return {"capital_frequency": r[1], "capital_relation": r[0]} if r else None


LOWER_WORDS = (
    r"(?:words (?:that are |written )?(?:entirely|fully|completely|all) (?:in )?lower ?case(?: letters)?|"
    r"(?:all-lowercase|all lowercase|fully lowercase|entirely lowercase) words)"
)


@rule("count:lowercase_counting", *counted(LOWER_WORDS))
def lowercase_counting(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"N": n} if n is not None else None


EMOJI = r"(?:emojis?|emoji characters|emoji symbols)"


@rule("ifgen:emoji_count", *counted(EMOJI))
def emoji_count(m):
    r = _rel(m)
    return {"num_emoji": r[1], "relation": r[0]} if r else None


@rule("ifgen:question_count", *counted(r"(?:questions?|question marks?)(?: \(sentences ending (?:in|with) \?\))?"))
def question_count(m):
    r = _rel(m)
    return {"num_questions": r[1], "relation": r[0]} if r else None


BOLD = (
    r"(?:bold(?:ed)? (?:phrases?|words?|spans?|segments?|terms?|passages?)|(?:phrases?|words?|terms?) (?:in|set in|"
    r"formatted in|written in) bold(?:face)?|\*\*bold\*\* (?:spans?|phrases?|segments?))(?: \(\*\*[^*]+\*\*\))?"
)


@rule("ifgen:bold_count", *counted(BOLD), r"highlight with markdown bold: {CNT} bold (?:segments|phrases|spans)")
def bold_count(m):
    r = _rel(m)
    return {"num_bold": r[1], "relation": r[0]} if r else None


QUOTES = (
    r"(?:(?:quoted|double-quoted) (?:passages?|phrases?|sentences?|statements?)(?: in double (?:quotation marks|"
    r"quotes))?|\"quoted\" phrases|direct quotations? in double (?:quotation marks|quotes))"
)


@rule("ifgen:quotes_count", *counted(QUOTES), r"use direct quotations \(in double quotes\) {TIMES}")
def quotes_count(m):
    r = _rel(m)
    return {"num_quotes": r[1], "relation": r[0]} if r else None


CHARS = r"(?:characters|chars)"
SPACES = r"(?: \((?:including|counting) spaces\)|,? (?:including|counting) spaces|,? spaces included)?"


@rule("ifgen:max_chars", *counted(CHARS, SPACES))
def max_chars(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_chars": n} if n is not None else None


@rule(
    "ifgen:min_chars",
    *counted(CHARS, SPACES),
    rf"make {{OBJ}} (?P<rel>no shorter than|not shorter than) {{NUMV}} {CHARS}",
)
def min_chars(m):
    b = bound(m)
    n = lx.at_least(*b) if b else None
    return {"min_chars": n} if n is not None else None


# ---------------------------------------------------------------- a bound on every paragraph / sentence / line / word


def per_unit(unit: str, noun: str) -> tuple[str, ...]:
    """'every <unit> at most N <noun>' and its usual variants."""
    each = r"(?:every|each|all|any|all of your|each of your|every one of your)"
    units = rf"{unit}s?(?: (?:in|of) {{RESP}})?"
    return (
        rf"{VERB}(?: {{OBJ}})? {{CNT}} {noun}{{POST}} (?:per|in each|in every|for each|for every) {unit}",
        rf"(?:keep|limit|restrict|cap) {each} {units} (?:to |at |under |below |within )?{{CNT}} {noun}{{POST}}",
        rf"(?:keep|limit|restrict|cap) {each} {units} (?P<rel>to|at|under|below|within) {{NUMV}} {noun}{{POST}}",
        rf"(?:keep|limit|restrict|cap) (?:your |the |all )?{unit}s (?:to )?{{CNT}} {noun}{{POST}} each",
        rf"{each} {units} {{MODAL}} (?:be|have|contain|run|use) {{CNT}} {noun}{{POST}}(?: long)?",
        rf"{each} {units} {{MODAL}} be (?P<rel>shorter than|under|at most|no longer than|no more than) {{NUMV}} "
        rf"{noun}(?: long)?",
        rf"(?P<neg>no) {units}(?: (?:may|can|should|must|shall|is allowed to))? (?:be |have |contain |run )?"
        rf"(?P<vrel>longer than|more than|exceed|go over) {{NUMV}} {noun}(?: long)?",
        rf"(?P<neg>{{NEG}}) (?:use|write|include) (?:any|a single|a) {unit} (?:with |of |that is |that has )?"
        rf"(?P<vrel>longer than|more than|over) {{NUMV}} {noun}(?: long)?",
        rf"(?:split|write|break|wrap) {{OBJ}} so that {each} {units} (?:has|is|contains) {{CNT}} {noun}{{POST}}(?: long)?",
        rf"(?:split|write|break|wrap) {{OBJ}} so that (?P<neg>no) {units} (?P<vrel>exceeds|is longer than|has more than) "
        rf"{{NUMV}} {noun}",
        rf"write short {unit}s: {{CNT}} {noun} per {unit}{{POST}}",
        rf"avoid long {unit}s: the (?P<rel>limit is) {{NUMV}} {noun} per {unit}",
        rf"hard-wrap {unit}s at {{CNT}} {noun}{{POST}}",
    )


@rule("ifgen:max_paragraph_words", *per_unit("paragraph", WORDS))
def max_paragraph_words(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_words": n} if n is not None else None


@rule("ifgen:max_sentence_words", *per_unit("sentence", WORDS))
def max_sentence_words(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_words": n} if n is not None else None


@rule("ifgen:line_max_chars", *per_unit("line", CHARS))
def line_max_chars(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_line_chars": n} if n is not None else None


@rule("ifgen:word_length_max", *per_unit("word", r"(?:letters|characters)"))
def word_length_max(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_letters": n} if n is not None else None


# ---------------------------------------------------------------- reading level (Flesch-Kincaid only: "grade 8" alone names no formula)

FK = r"(?:a |the )?(?:reading level \()?flesch-kincaid (?:reading )?grade(?: level)?\)?"


@rule(
    "ifgen:reading_grade_max",
    rf"keep {{OBJ}} simple enough that its {FK} {{BE}} {{CNT}}{{POST}}",
    rf"(?:write|answer|respond|keep it|keep {{OBJ}})(?: at)? {FK} (?:of )?{{NUMV}}{{POST}}",
    rf"(?:write|answer|respond|keep it|keep {{OBJ}}) at {FK} (?:of )?{{CNT}}{{POST}}",
    rf"(?:the )?{FK}(?: (?:of|for) {{RESP}})? {{BE}} {{CNT}}{{POST}}",
    rf"(?:the )?{FK}(?: (?:of|for) {{RESP}})? (?P<neg>{{MNEG}}) {{VREL}} {{NUMV}}",
)
def reading_grade_max(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"grade": n} if n is not None else None


@rule(
    "ifgen:reading_grade_min",
    rf"write for an advanced audience: {FK} of {{CNT}}{{POST}}",
    rf"use (?:sophisticated )?prose whose {FK} {{BE}} {{CNT}}{{POST}}",
    rf"(?:write|answer|respond)(?: at)? {FK} (?:of )?{{NUMV}}{{POST}}",
    rf"(?:write|answer|respond) at {FK} (?:of )?{{CNT}}{{POST}}",
    rf"(?:the )?{FK}(?: (?:of|for) {{RESP}})? {{BE}} {{CNT}}{{POST}}",
)
def reading_grade_min(m):
    b = bound(m)
    n = lx.at_least(*b) if b else None
    return {"grade": n} if n is not None else None
