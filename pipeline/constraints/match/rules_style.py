"""Language, letter case, punctuation and things banned outright (emoji, digits, links, pronouns, contractions).

These are whole-response rules, so the text must scope them to the whole response: "answer in French" maps,
"write the title in French" or "answer in French, then translate" does not. A negation that does not
match an id ("don't write in all caps") matches no pattern here, since every pattern is positive or names
its own negation.
"""

from __future__ import annotations

from . import lexicon as lx
from .engine import const, grp, rule

ONLY = r"(?:only|exclusively|solely|entirely|fully|wholly|completely)"
NO_OTHER = (
    r"(?:(?:,|;| and| with)? (?:no other languages? (?:is|are) allowed|with no other languages?|and no other language|"
    r"no other languages?|without (?:switching to|using|mixing in) any other language))?"
)
SPEAK = r"(?:write|answer|respond|reply|give|compose|produce|provide)"


@rule(
    "language:response_language",
    rf"{SPEAK}(?: {{OBJ}})?(?: {ONLY})? in {{LANG}}(?: {ONLY}| language)?{NO_OTHER}",
    rf"{{RESP}} {{MODAL}} be (?:written |given )?(?:{ONLY} )?in {{LANG}}(?: {ONLY})?{NO_OTHER}",
    rf"{{RESP}} (?:is|has to be|must be) (?:written )?(?:{ONLY} )?in {{LANG}}(?: {ONLY})?{NO_OTHER}",
    rf"use (?:only )?{{LANG}} (?:for|throughout) {{RESP}}{NO_OTHER}",
    rf"use only {{LANG}}{NO_OTHER}",
    rf"(?:the )?language of {{RESP}} {{MODAL}} be {{LANG}}(?: {ONLY})?",
)
def response_language(m):
    code = lx.LANGUAGE_CODES.get(m.group("lang").lower())
    given = grp(m, "code")
    if code is None or (given and given.lower() != code):
        return None
    return {"language": code}


ENGLISH_AND = r"(?:in english,? and |english,? and |in english,? )?"
NO_CAPS = (
    r"(?:[;,]? ?(?:with )?no capital letters(?: (?:are|is) allowed)?|,? without a single capital letter|"
    r",? no uppercase letters(?: (?:are|is) allowed)?)?"
)
LOWER = rf"(?:(?:in |using )?(?:all |only |entirely )?lower ?case(?: letters| characters)?(?: only)?){NO_CAPS}"
const(
    "change_case:english_lowercase",
    rf"{{RESP}} {{MODAL}} be (?:written )?{ENGLISH_AND}(?:entirely |completely )?{LOWER}",
    rf"{{RESP}} {{MODAL}} be in english and in all lowercase letters{NO_CAPS}",
    rf"(?:write|answer|respond|reply|type)(?: {{OBJ}})?(?: in english,? and| in english,?)?(?: (?:entirely|only|completely))? "
    rf"{LOWER}",
    r"(?:write|answer|respond|reply)(?: {OBJ})?(?: in english)? without (?:a single|any) capital letters?",
    r"{NEG} use (?:any|a single) (?:capital|uppercase|upper-case) letters?",
    r"no (?:capital|uppercase) letters(?: (?:are|is) allowed)?",
    r"use (?:only |all )lower ?case(?: letters)?(?: only)?",
    r"use lower ?case(?: letters)? only",
)
const(
    "change_case:english_capital",
    rf"{{RESP}} {{MODAL}} be (?:written )?{ENGLISH_AND}(?:entirely |completely )?(?:in )?all (?:capital letters|caps)",
    rf"{{RESP}} {{MODAL}} be (?:written )?{ENGLISH_AND}(?:entirely |completely )?(?:in )?(?:upper ?case|all upper ?case)(?: letters)?",
    r"(?:write|answer|respond|reply|type)(?: {OBJ})?(?: in english)?,?(?: (?:entirely|only|completely))? (?:in |using )"
    r"(?:all |only |entirely )?(?:capital letters|caps|upper ?case(?: letters)?)(?: only)?(?:,? (?:with )?no lowercase letters(?: anywhere)?)?",
    r"(?:write|answer|reply|respond)(?: {OBJ})? in english,? all caps(?:,? with no lowercase letters(?: anywhere)?)?",
    r"(?:write|answer|respond|reply)(?: {OBJ})? in english using only uppercase letters",
    r"{NEG} use (?:any|a single) lower ?case letters?",
    r"use (?:only |all )(?:capital letters|caps|upper ?case letters)(?: only)?",
    r"use (?:capital|upper ?case) letters only",
)

COMMA = r"(?:commas?|comma characters?|the comma(?: character)?)"
const(
    "punctuation:no_comma",
    rf"{{NEG}} (?:use|include|write|put|type) (?:any |a single |even one |one )?{COMMA}",
    rf"{{AVOID}} (?:any |all )?{COMMA}",
    rf"(?:refrain|abstain) from (?:using )?(?:any )?{COMMA}",
    rf"no {COMMA}(?: (?:are|is) allowed)?",
    rf"use no {COMMA}",
    rf"(?:write|answer|respond|reply)(?: {{OBJ}})? without (?:any |a single |using )?{COMMA}",
    rf"{{RESP}} {{MNEG}} (?:contain|include|use|have) (?:any |a single )?{COMMA}",
)
DOT = r"(?:periods|full stops|dots|dot characters|the \. character|the period character)(?: \(\.\))?"
const(
    "punctuation:punctuation_dot",
    rf"{{NEG}} (?:use|include|write|put) (?:any |a single )?{DOT}(?: in {{RESP}})?(?:,? not even in numbers(?: or abbreviations)?)?",
    r"(?:write|answer|respond)(?: {OBJ})? without (?:a single|any) (?:dot|period|full stop)(?: characters?)?",
    rf"{{AVOID}} (?:all |any )?{DOT}",
    rf"no {DOT}(?: (?:are|is) allowed)?",
)
EXCL = r"(?:exclamation (?:marks?|points?)|the ! character|! characters?)(?: \(!\))?"
const(
    "punctuation:punctuation_exclamation",
    rf"{{NEG}} (?:use|include|write|put) (?:any |a single |an |one )?{EXCL}",
    r"(?:write|answer|respond)(?: {OBJ})? without (?:a single|any) (?:!|exclamation mark|exclamation point)(?: characters?)?",
    rf"{{AVOID}} (?:all |any )?{EXCL}",
    rf"no {EXCL}(?: (?:are|is) allowed)?",
)

# ---------------------------------------------------------------- banned outright

EMOJI = r"(?:emojis?|emoji characters)"
const(
    "ifgen:no_emoji",
    rf"{{NEG}} (?:use|include|add|put) (?:any |a single )?{EMOJI}",
    rf"(?:use )?no {EMOJI}(?: (?:are|is) allowed)?",
    rf"{{AVOID}} (?:all |any )?{EMOJI}",
    rf"keep {{RESP}} free (?:of|from) {EMOJI}",
    rf"{{RESP}} {{MNEG}} (?:contain|include|use) (?:any )?{EMOJI}",
)
DIGITS = r"(?:digits|numerals|digit characters)"
SPELL = r"spell out (?:all|every) numbers?(?: in (?:full|words))?"
const(
    "ifgen:no_digits",
    rf"{{NEG}} use (?:any )?{DIGITS}(?:[;,] {SPELL})?",
    r"write (?:all|every) numbers? (?:as|in) words,? (?:not|never) (?:as )?(?:numerals|digits)",
    rf"{SPELL}(?:[;,] (?:no|do not use|don't use) {DIGITS})?",
    rf"(?:use )?no {DIGITS}(?: (?:are|is) allowed)?",
    rf"{{RESP}} {{MNEG}} contain (?:any )?{DIGITS}(?: \(0-9\))?",
    r"{RESP} {MNEG} contain the characters 0-9(?: \(or any other digit\))?",
)
LINKS = r"(?:urls?|links|hyperlinks|web links|web addresses)"
const(
    "ifgen:no_urls",
    rf"{{NEG}} (?:include|use|add|put) (?:any )?{LINKS}(?: or {LINKS})?",
    rf"no {LINKS}(?: or {LINKS})?(?: (?:are|is) allowed)?",
    r"{RESP} {MNEG} contain (?:a single |any )?(?:urls?|web links?|links?|web addresses)",
    rf"{{AVOID}} (?:all |any )?{LINKS}(?: or {LINKS})?",
)


def _pronouns(person: str) -> tuple[str, ...]:
    p = rf"{person}[- ]person pronouns(?:,? (?:such as|like|e\.g\.) [\w', ]+| \([\w', .]+\))?"
    return (
        rf"{{NEG}} use (?:any )?{p}",
        rf"{{AVOID}} (?:all |any )?{p}",
        rf"no {p}(?: (?:are|is) allowed)?",
        rf"write (?:impersonally,? )?(?:with no |without (?:any )?){person}[- ]person (?:words|pronouns)"
        r"(?: \([\w', .]+\)|,? (?:such as|like|e\.g\.) [\w', ]+)?",
    )


const("ifgen:no_first_person", *_pronouns("first"))
const("ifgen:no_second_person", *_pronouns("second"))
CONTRACTION_EG = r"(?:,? (?:such as|like|e\.g\.) (?:[a-z]+'[a-z]+(?:,? (?:and |or )?)?)+)?"
const(
    "ifgen:no_contractions",
    rf"{{NEG}} use (?:any )?contractions{CONTRACTION_EG}",
    rf"{{NEG}} use contractions; write {lx.QUOTED} instead of {lx.QUOTED}(?:, {lx.QUOTED} instead of {lx.QUOTED})*",
    r"spell out every contracted form in full(?: \(no apostrophe contractions\))?",
    rf"{{AVOID}} (?:all |any )?contractions{CONTRACTION_EG}",
    rf"(?:use )?no contractions(?: (?:are|is) allowed)?{CONTRACTION_EG}",
)

const(
    "keywords:no_adjacent_consecutive",
    r"two adjacent words {MODAL} never start with consecutive letters of the alphabet",
    r"no two (?:neighbouring|neighboring|adjacent) words (?:may )?(?:begin|start) with letters that follow each other in "
    r"the alphabet",
)
const(
    "detectable_format:sentence_hyphens",
    r"join all (?:of )?your sentences with hyphens,? leaving no spaces around the hyphens",
    r"connect every sentence to the next with a hyphen(?: \(-\))? and put no space before or after it",
)
const(
    "detectable_format:bigram_wrapping",
    r"group your words in pairs and wrap each pair in double angular brackets(?:,? like <<\w+ \w+>>(?: <<\w+ \w+>>)*)?",
    r"write {RESP} as consecutive word pairs, each enclosed in double angle brackets(?: \(<<\w+ \w+>>\))?",
)
