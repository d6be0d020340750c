"""The shape of the response: bullets, paragraphs, sections, titles, highlights, placeholders, JSON, quotes.

Most of these checkers test one exact markup, so a rule maps only when the text names that markup: a
title "in double angular brackets", paragraphs "separated by ***", placeholders "in square brackets". A
request that leaves the markup open ("add a title", "write 3 paragraphs") stays unmapped, because the
checker would fail responses that honour it another way. A position the checker does not test ("a
title at the top") is also a reason to refuse.
"""

from __future__ import annotations

import re

from . import lexicon as lx
from .engine import bound, const, grp, rule


def exact_count(noun: str) -> tuple[str, ...]:
    """Ways to ask for exactly N `noun` (a bare number counts as exact)."""
    return (
        rf"{{VERB}}(?: {{OBJ}})?(?: (?:with|in|using|of|as))? {{CNT}} {noun}{{TOTAL}}{{POST}}",
        rf"{{RESP}} {{MODAL}} (?:contain|have|include|consist of|use|be) {{CNT}} {noun}{{TOTAL}}{{POST}}",
        rf"there {{MODAL}} be {{CNT}} {noun}{{TOTAL}}{{POST}}",
        rf"{{CNT}} {noun}{{TOTAL}}{{POST}}",
        rf"(?:format|structure|present|organi[sz]e|lay out|write|give|answer|split|divide) (?:{{OBJ}} )?"
        rf"(?:as|in|into|with|using|under) (?:a (?:markdown |bulleted |numbered )*list (?:of|with) )?{{CNT}} {noun}{{POST}}",
    )


def exact_params(m, key: str):
    b = bound(m)
    n = lx.exactly(*b) if b else None
    return {key: n} if n is not None else None


BULLETS = (
    r"(?:markdown )?(?:bullet points?|bullets?|bulleted items|bullet items|bullet-point items)(?: in markdown(?: format)?|"
    r" using markdown| \(lines starting with \* or -\))?(?:,? (?:using|with) markdown bullets(?: such as)?:?"
    r"(?: \* [a-z ]+?){1,3})?"
)


@rule("detectable_format:number_bullet_lists", *exact_count(BULLETS))
def number_bullet_lists(m):
    return exact_params(m, "num_bullets")


STARS = r"(?:the )?(?:markdown )?(?:divider|separator|horizontal rule)?:? ?(?:\*\*\*|three asterisks(?: \(\*\*\*\))?)"
SEP = r"(?:separated|divided|split)(?: from (?:each other|one another))? (?:by|with|using)"


@rule(
    "length_constraints:number_paragraphs",
    rf"(?:write|use|give|compose|produce|include|have) {{CNT}} paragraphs{{POST}},? {SEP} {STARS}",
    rf"(?:structure|split|divide|organi[sz]e) {{OBJ}} (?:as|into|in) {{CNT}} paragraphs{{POST}},? {SEP} {STARS}",
    rf"{{RESP}} {{MODAL}} (?:have|contain|consist of) {{CNT}} paragraphs{{POST}},? {SEP} {STARS}",
    rf"there {{MODAL}} be {{CNT}} paragraphs{{POST}},? {SEP} {STARS}",
    rf"(?:there {{MODAL}} be|{{RESP}} {{MODAL}} (?:have|contain)|write) {{CNT}} paragraphs{{POST}}[.;] (?:the )?"
    rf"(?:paragraphs|they) (?:are|{{MODAL}} be) {SEP} {STARS}",
    r"{RESP} {MODAL} have {CNT} paragraphs[.;] put a line (?:with|containing) \*\*\* between "
    r"(?:consecutive|adjacent) paragraphs",
    rf"write {{CNT}} paragraphs and separate them (?:with|by|using) {STARS}",
    r"{RESP} {MODAL} have {CNT} paragraphs, with a line containing \*\*\* between them",
)
def number_paragraphs(m):
    return exact_params(m, "num_paragraphs")


BLANK = r"(?:a single|one|a|exactly one) (?:blank|empty) line(?: \(two (?:newlines|line breaks)\))?"
const(
    "paragraphs:paragraphs2",
    rf"(?:write|give|use|compose) (?:exactly )?(?:2|two) paragraphs,? (?:separated|divided)(?: from each other)? by "
    rf"{BLANK}(?:,? and use no other blank lines)?",
    r"{RESP} {MODAL} (?:consist of|have) (?:exactly )?(?:2|two) paragraphs; the only (?:empty|blank) line "
    r"{MODAL} be the one between them",
)

ORD = rf"(?P<ord>{lx.ORDINAL})"


@rule(
    "length_constraints:nth_paragraph_first_word",
    rf"(?:write|use|give|compose) {{NUMV}} paragraphs,? (?:separated|divided|split)(?: from each other)? by "
    rf"(?:a )?(?:blank|empty) lines?(?: \(two newlines\))?[;,.]? (?:and )?(?:the )?{ORD} paragraph {{MODAL}} "
    rf"(?:begin|start) with the word {{KW}}",
    r"(?:write|use|give|compose) {NUMV} paragraphs,? (?:separated|divided|split)(?: from each other)? by "
    r"(?:a )?(?:blank|empty) lines?(?: \(two newlines\))?[;,.]? (?:and )?paragraph (?:number )?(?P<ord>\d+) "
    r"{MODAL} (?:begin|start) with the word {KW}",
)
@rule(
    "length_constraints:nth_paragraph_first_word",
    r"use {NUMV} paragraphs (?:split|separated) by (?:blank|empty) lines[.;] start paragraph (?P<ord>\d+) with {QKW}",
    r"{RESP} needs {NUMV} paragraphs, separated by (?:blank|empty) lines, and the first word of paragraph "
    r"(?:number )?(?P<ord>\d+) (?:has to|must) be {KW}",
)
def nth_paragraph_first_word(m):
    total = lx.parse_number(m.group("n"))
    nth = lx.parse_ordinal(m.group("ord"))
    word = lx.keyword(grp(m, "kw"), max_words=1)
    if not total or not word or not nth or not 1 <= nth <= total:
        return None
    return {"num_paragraphs": total, "nth_paragraph": nth, "first_word": word}


SPL = r"(?P<spl>[A-Za-z]+)"
SEC = r"(?:sections|parts|chapters)"
SEC_EG = r"(?:,? (?:such as|for example|like|e\.g\.)[:,]? (?P=spl) 1[^.!?;]*)?"


@rule(
    "detectable_format:multiple_sections",
    rf"{{RESP}} {{MODAL}} (?:have|contain|consist of) {{CNT}} {SEC}{{POST}}[.;] mark the beginning of each "
    rf"(?:section|part|chapter) with {SPL} (?:X|N|\d)(?:,? where (?:X|N) is (?:the|its) number)?{SEC_EG}",
    rf"(?:divide|split|organi[sz]e|structure) {{OBJ}} (?:into|in) {{CNT}} (?:numbered )?{SEC}{{POST}},? (?:each )?"
    rf"(?:starting|beginning|marked|headed|opening) with (?:a header (?:like|such as) )?['\"]?{SPL} 1['\"]?,? "
    r"(?:and )?['\"]?(?P=spl) 2['\"]?,? (?:and so on|etc\.?|\.\.\.)",
    rf"(?:include|use|have|write) {{CNT}} {SEC}{{POST}},? (?:marked|labell?ed|headed|numbered) {SPL} 1(?:,| and) (?P=spl) 2"
    r"(?:,? (?:and so on|etc\.?|\.\.\.))?",
    rf"(?:divide|split|organi[sz]e|structure) {{OBJ}} (?:into|in) {{CNT}} numbered {SEC} headed {SPL} 1, (?P=spl) 2, "
    r"(?:\.\.\.|and so on)",
)
def multiple_sections(m):
    b = bound(m)
    n = lx.at_least(*b, plain=True) if b else None
    return {"section_spliter": m.group("spl"), "num_sections": n} if n else None


H_NOUN = r"(?:sections?|parts?|passages?|phrases?|portions?|key (?:points|phrases|terms)|spans?)"
H_WHERE = r"(?: (?:of|in) {RESP})?"
MARKDOWN = r"(?:markdown(?: italics| emphasis)?|asterisks)"


@rule(
    "detectable_format:number_highlighted_sections",
    rf"highlight {{CNT}} {H_NOUN}{H_WHERE}{{POST}} (?:with|using|in) {MARKDOWN}{{EG_STAR}}",
    rf"use {MARKDOWN}{{EG_STAR}} to highlight {{CNT}} {H_NOUN}{H_WHERE}{{POST}}{{EG_STAR}}",
    rf"mark {{CNT}} {H_NOUN}{H_WHERE}{{POST}} as highlighted (?:using|with) {MARKDOWN}{{EG_STAR}}",
    rf"(?:include|use|add|have) {{CNT}} (?:markdown[- ])?highlighted {H_NOUN}{{POST}} (?:with|using|in) {MARKDOWN}"
    r"{EG_STAR}",
)
def number_highlighted_sections(m):
    b = bound(m)
    n = lx.at_least(*b) if b else None
    return {"num_highlights": n} if n else None


PH = r"(?:fill-in )?placeholders?"
IN_SQ = (
    r"(?:in|with|using|represented by|written in|enclosed in|wrapped in|inside|marked by|marked with|in the form of)"
    r" square brackets"
)


@rule(
    "detectable_content:number_placeholders",
    rf"{{VERB}}(?: {{OBJ}})? {{CNT}} {PH}{{POST}},? {IN_SQ}{{EG_SQ}}",
    rf"{{RESP}} {{MODAL}} (?:contain|include|have) {{CNT}} {PH}{{POST}},? {IN_SQ}{{EG_SQ}}",
    rf"{{VERB}}(?: {{OBJ}})? {{CNT}} (?:bracketed|square-bracketed|square bracket) {PH}{{POST}}{{EG_SQ}}",
    rf"{{RESP}} {{MODAL}} (?:contain|include|have) {{CNT}} (?:bracketed|square-bracketed) {PH}{{POST}}{{EG_SQ}}",
    rf"{{VERB}}(?: {{OBJ}})? {{CNT}} {PH}{{POST}},? (?:like|such as|e\.g\.) \[[^\]]+\]",
)
def number_placeholders(m):
    b = bound(m)
    n = lx.at_least(*b) if b else None
    return {"num_placeholders": n} if n else None


MARK = r"(?P<mark>P\.\s?P\.\s?S\.?|P\.\s?S\.?)"
PS_VERB = r"(?:add|include|write|append|put|(?:end|finish|close|conclude)(?: {RESP})? with)"


@rule(
    "detectable_content:postscript",
    rf"(?:at the end of {{RESP}},? )?(?:please )?(?:explicitly )?{PS_VERB} an? (?:short )?(?:postscript|post script|post-script|note) "
    rf"(?:(?:that )?(?:starting|beginning|starts|begins|opening|opens) with|introduced by|marked (?:with|by)) {MARK}"
    rf"(?: at the end(?: of {{RESP}})?)?",
    rf"(?:at the end of {{RESP}},? )?(?:please )?{PS_VERB} an? {MARK}(?: note| section)?(?: at the end(?: of {{RESP}})?)?",
)
def postscript(m):
    return {"postscript_marker": "P.P.S" if m.group("mark").upper().count("P") == 2 else "P.S."}


BRK = r"(?:double angular brackets|double angle brackets|double chevrons|<< ?(?:and )?>>|<<>>)"
WRAPPED = r"(?:wrapped |enclosed |written |placed |put |formatted )?(?:in|inside|within|between|with|using)"
const(
    "detectable_format:title",
    rf"(?:include|add|give|provide|write|use) (?:{{RESP}} )?a title,? {WRAPPED} {BRK}{{EG_ANG}}",
    rf"{{RESP}} {{MODAL}} (?:contain|include|have) a title,? {WRAPPED} {BRK}{{EG_ANG}}",
    rf"give {{RESP}} a title (?:and (?:put|wrap|enclose) it )?{WRAPPED} {BRK}{{EG_ANG}}",
    rf"(?:wrap|enclose|put|place|write) (?:the|your) title (?:in|inside|within|between) {BRK}{{EG_ANG}}",
)

JSON_TAIL = r"(?:[;,]? ?you (?:may|can) (?:use|wrap it in) markdown (?:code )?fences(?: such as ```)?)?"
JSON = r"(?:valid |well-formed |a |an |only )*json(?: format| object| document)?"
const(
    "detectable_format:json_format",
    rf"(?:wrap|format|write|give|return|provide|present|output|produce|put|deliver|structure) {{OBJ}} "
    rf"(?:entirely |only )?(?:in|as) {JSON}(?: only)?{JSON_TAIL}",
    rf"{{RESP}} {{MODAL}} be (?:entirely |formatted as |written in |in )?{JSON}(?:,? (?:with )?nothing (?:else|outside it))?"
    rf"{JSON_TAIL}",
    rf"(?:respond|reply|answer|output)(?: only| entirely| solely)? (?:with|in|using) {JSON}(?: only)?"
    r"(?:,? (?:with )?(?:no|without any|and no) (?:other|additional|extra) text)?" + JSON_TAIL,
    r"(?:return|output|give|produce) (?:only|nothing but) (?:valid )?json(?:,? (?:no|and no) (?:other|extra) text)?",
    r"(?:output|return|produce|write) (?:only )?valid json(?: only)?",
)

OPT = r"['\"]?my answer is (?:yes|no|maybe)\.?['\"]?"


@rule(
    "detectable_format:constrained_response",
    rf"(?:answer|reply|respond) (?:with|using) (?:exactly )?one of (?:the following|these)(?: three)? "
    rf"(?:options|sentences|phrases|answers):? (?P<opts>{OPT}(?:(?:,| /| or|, or) {OPT})+)",
    rf"{{RESP}} {{MODAL}} be (?:exactly )?one of:? (?P<opts>{OPT}(?:(?:,| /| or|, or) {OPT})+)",
    rf"(?:answer|reply|respond) with (?P<opts>{OPT}(?:(?:,| /| or|, or) {OPT})+)",
)
def constrained_response(m):
    found = re.findall(r"my answer is (yes|no|maybe)", m.group("opts").lower())
    return {} if sorted(found) == ["maybe", "no", "yes"] else None


SIX = (
    r"(?:(?:6|six) asterisks?(?: symbols?)?(?::? ?\(?\*{6}\)?)?|\*{6}(?: \((?:6|six) asterisks\))?|"
    r"a line of (?:6|six) asterisks(?: \(\*{6}\))?)"
)
TWO = r"(?:two|2) (?:different|distinct|alternative|separate) (?:responses|answers|replies|versions)"
const(
    "combination:two_responses",
    rf"(?:give|write|provide|produce) {TWO},? (?:separated|divided) (?:by|with) {SIX}",
    rf"(?:give|write|provide|produce) {TWO} and put {SIX} between them(?: and nowhere else)?",
)

QMARKS = r"(?:a pair of )?(?:double quotation marks|double quotes|quotation marks)(?: \(\"\))?"
const(
    "startend:quotation",
    rf"(?:wrap|enclose|put|place) {{OBJ}} (?:in|inside|within|between) {QMARKS}",
    r"{RESP} {MODAL} (?:begin|start) and end with (?:a )?double quotation marks?(?: \(\"\))?",
    rf"{{RESP}} {{MODAL}} be (?:wrapped|enclosed) in {QMARKS}",
)

const(
    "detectable_format:square_brackets",
    r"(?:put|wrap|enclose|place) (?:every|each) (?:single )?word(?: of {RESP}| you write)? (?:individually )?"
    r"(?:in|inside|within) (?:its own )?(?:pair of )?square brackets(?:,? like \[\w+\](?: \[\w+\])*)?",
    r"enclose all (?:the )?words of {RESP} individually in square brackets(?: \[ ?\])?",
)
