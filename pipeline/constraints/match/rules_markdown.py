"""ifgen's markdown, structured-output and sentence-shape ids.

Same rule as everywhere: the text must name the exact thing the checker tests (a "```python" block, a
table's data rows, "Q:"/"A:" lines, the <answer> tag) and nothing else.
"""

from __future__ import annotations

import re

from pipeline.constraints import get

from . import lexicon as lx
from .engine import bound, const, grp, rule
from .rules_layout import exact_count, exact_params


@rule(
    "ifgen:numbered_steps",
    *exact_count(r"numbered (?:steps|list items|items)(?: \(1\., 2\., \.\.\.\))?"),
    r"(?:format|structure|write|give|present|lay out) {OBJ} as a numbered list (?:of|with) {CNT} (?:steps|items){POST}",
    r"give {CNT} steps, numbered from 1 to (?P<upto>\d+)(?:, one per line)?",
)
def numbered_steps(m):
    if m.groupdict().get("upto") and int(m.group("upto")) != lx.parse_number(m.group("n")):
        return None
    return exact_params(m, "num_steps")


@rule(
    "ifgen:headings_count",
    *exact_count(
        r"(?:markdown )?(?:headings|headers)(?: \(lines starting with #\)| written with markdown # syntax| using #|"
        r" in markdown)?"
    ),
)
def headings_count(m):
    return exact_params(m, "num_headings")


@rule("ifgen:hashtags_count", *exact_count(r"hashtags(?: \(#\w+\))?"))
def hashtags_count(m):
    return exact_params(m, "num_hashtags")


@rule("ifgen:exact_lines", *exact_count(r"(?:non-empty )?lines(?: of text)?(?: \(blank lines do not count\))?"))
def exact_lines(m):
    return exact_params(m, "num_lines")


QA = r"(?:Q:/A: pairs|Q/A pairs|'Q:'/'A:' pairs|pairs of lines (?:starting|beginning) (?:with )?'Q:' and 'A:')"


@rule(
    "ifgen:qa_pairs",
    *exact_count(QA),
    r"use a Q:/A: format with {CNT} questions{POST},? each followed by its answer",
    r"(?:write|format) {OBJ} as an FAQ with {CNT} pairs of lines starting 'Q:' and 'A:'",
    r"format {OBJ} as {CNT} question-and-answer pairs, each question on a 'Q:' line followed by an 'A:' line",
)
def qa_pairs(m):
    return exact_params(m, "num_pairs")


@rule(
    "ifgen:sentences_per_paragraph",
    r"(?:every|each|all) paragraphs? {MODAL} (?:contain|have|consist of) {CNT} sentences{POST}(?: each)?",
    r"write (?:every|each) paragraph with {CNT} sentences{POST}",
    r"keep (?:all|every|each) paragraphs? to {CNT} sentences(?: each)?{POST}",
)
def sentences_per_paragraph(m):
    return exact_params(m, "num_sentences")


def _at_least(key: str):
    def build(m):
        b = bound(m)
        n = lx.at_least(*b) if b else None
        return {key: n} if n else None

    return build


BQ = r"(?:markdown )?(?:blockquotes?|block quotes?|blockquote blocks)(?: \(lines starting with >\)| in markdown)?"
rule(
    "ifgen:blockquote_count",
    r"{VERB}(?: {OBJ})? {CNT} (?:separate )?" + BQ + "{POST}",
    r"{RESP} (?:{MODAL} (?:contain|include|have)|needs|contains|has|includes) {CNT} " + BQ + "{POST}",
    r"quote material in {CNT} separate > blockquotes{POST}",
)(_at_least("num_blockquotes"))

rule(
    "ifgen:inline_code_count",
    r"{VERB}(?: {OBJ})? {CNT} (?:`?inline code`? spans?|inline code snippets?)(?: like `\w+`)?{POST}",
    r"use (?:`?inline code`?|backtick|`backtick` inline code) formatting {TIMES}",
    r"mark {CNT} identifiers as `?inline code`?(?: with backticks)?{POST}",
    r"{RESP} (?:{MODAL} (?:contain|include|have)|needs|contains|has|includes) {CNT} inline code spans?(?: like `\w+`)?{POST}",
)(_at_least("num_inline_code"))

const(
    "ifgen:no_code_blocks",
    r"{NEG} (?:use|include|add|write) (?:any )?(?:fenced )?code (?:blocks|fences)",
    r"(?:answer in prose only; )?no (?:fenced |``` )?code (?:blocks|fences)(?: (?:are|is) allowed)?",
    r"{AVOID} (?:all )?(?:fenced )?code (?:blocks|fences)",
)

HDR = r"(?:,? (?:not counting|excluding) the header(?: row)?|\s*\((?:not counting|excluding) the header(?: row)?\))?"
ROWS = r"(?P<rows>" + lx.NUM + r") (?:data |body )?rows"
COLS = r"(?P<cols>" + lx.NUM + r") columns"
TABLE = r"(?:include|add|use|give|provide|create) (?:exactly )?(?:a|one) markdown table with (?:exactly )?"


@rule(
    "ifgen:markdown_table",
    TABLE + ROWS + HDR + " and (?:exactly )?" + COLS,
    TABLE + COLS + " and (?:exactly )?" + ROWS + HDR,
    r"present (?:the key information|{OBJ}) as a markdown table: " + COLS + ", " + ROWS + " below the header(?: row)?",
    r"{RESP} {MODAL} contain (?:a|one) markdown table whose body has " + ROWS + " and whose header has " + COLS,
)
def markdown_table(m):
    if not re.search(r"data rows|body|header", m.group(0), re.IGNORECASE):
        return None  # "a table with 4 rows": does the header row count? The checker counts data rows only.
    rows, cols = lx.parse_number(m.group("rows")), lx.parse_number(m.group("cols"))
    return {"num_rows": rows, "num_columns": cols} if rows and cols else None


_CODE_LANGS = {str(c).lower() for c in get("ifgen:code_block_language").params[0].choices}


@rule(
    "ifgen:code_block_language",
    r"(?:use|include|write (?:the|your) code in|put (?:the|your|all) code in) (?:a|one|at least one) ```(?P<cl>[\w+]+) "
    r"(?:fenced )?code block",
    r"put (?:the|your|all) code in a fenced code block (?:marked|tagged|labell?ed) (?:as )?(?P<cl>[\w+]+)"
    r"(?: \(```[\w+]+\))?",
    r"(?:use|include) (?:a|one|at least one) (?:fenced )?(?P<cl>[\w+]+) code block",
    r"include at least one ``` code block whose opening fence names the language (?P<cl>[\w+]+)",
    r"write your (?:solution|code) in (?P<cl>[\w+]+) inside a fenced (?:markdown )?code block labell?ed with the language",
)
def code_block_language(m):
    lang = m.group("cl").lower()
    if lang not in _CODE_LANGS or re.search(r"\(```([\w+]+)\)", m.group(0)) and lang not in m.group(0).lower():
        return None
    return {"code_language": lang}


@rule(
    "ifgen:json_keys",
    r"(?:return|reply with|respond with|output|give|produce|provide) (?:only )?(?:a|one|a single) (?:valid )?json object "
    r"(?:\(optionally in a ```json block\) )?(?:with|that has|containing|having|that contains|including) (?:(?:the|these) )?(?:top-level )?(?:keys|fields|properties):? {KWS}",
    r"output only json; the object {MODAL} (?:include|contain|have) the (?:keys|fields) {KWS}",
    r"(?:wrap|format|put|write) {OBJ} (?:in|as) a json object with (?:the )?(?:top-level )?(?:keys|fields) {KWS}",
)
def json_keys(m):
    keys = lx.keyword_list(grp(m, "kws"), allow_or=False)
    return {"keys": keys} if keys else None


YAML = r"(?:a |an )?(?:valid )?yaml(?: format| document)?(?: \(a mapping or a list\))?"
const(
    "ifgen:valid_yaml",
    rf"(?:write|format|give|return|produce|output) {{OBJ}} (?:entirely )?(?:as|in) {YAML}(?:,? optionally inside a ```yaml block)?",
    rf"(?:answer|respond|reply) (?:only )?in {YAML}(?: only)?",
    rf"{{RESP}} {{MODAL}} be {YAML}",
    r"answer only in yaml that a yaml parser accepts, structured as key-value pairs or a list",
)


@rule(
    "ifgen:csv_columns",
    r"(?:respond|reply|answer) (?:only )?with (?:valid )?csv(?: data)?(?: only)?,? (?:that has|with|having) "
    r"(?:exactly )?{NUMV} (?:comma-separated )?columns(?: in every row| per row)?",
    r"(?:produce|give|return|write) (?:a )?valid csv(?: table| file| data)? with (?:exactly )?{NUMV} columns"
    r"(?: in every row| per row)?",
    r"respond with csv data only: a header row and data rows, each with exactly {NUMV} comma-separated columns",
    r"give {OBJ} as comma-separated values; every line {MODAL} have {NUMV} fields",
)
def csv_columns(m):
    return exact_params(m, "num_columns")


@rule(
    "ifgen:wrap_in_tags",
    r"(?:wrap|enclose|put) {OBJ} (?:in|inside|within) <(?P<tag>\w+)> ?(?:and )?</(?P=tag)> tags",
    r"(?:wrap|enclose|put) {OBJ} (?:in|inside|within) <(?P<tag>\w+)> tags",
    r"(?:wrap|enclose|put) {OBJ} between (?:an )?(?:opening )?<(?P<tag>\w+)>(?: tag)? and (?:a )?(?:closing )?"
    r"</(?P=tag)>(?: tag)?",
    r"put everything you write inside a single <(?P<tag>\w+)>\.\.\.</(?P=tag)> element",
)
def wrap_in_tags(m):
    return {"tag_name": m.group("tag")}


TLDR = r"['\"]?TL;DR:?['\"]?"


@rule(
    "ifgen:tldr_summary",
    rf"(?:end|finish|close|conclude)(?: {{RESP}})? with a (?:final |last )?(?:one-)?line (?:that )?(?:starts|starting|"
    rf"beginning|begins) with {TLDR} (?:and|that) (?:has|is|contains) {{CNT}} words{{POST}}",
    rf"(?:end|finish|close|conclude)(?: {{RESP}})? with a one-line {TLDR} summary (?:of )?{{CNT}} words{{POST}}",
    rf"(?:end|finish|close|conclude)(?: {{RESP}})? with a final line starting {TLDR} that sums everything up in "
    rf"{{CNT}} words{{POST}}",
    rf"the (?:last|final) line {{MODAL}} be {TLDR}(?: \.\.\.'?)? with {{CNT}} words{{POST}} after the colon",
)
def tldr_summary(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_words": n} if n else None


# ---------------------------------------------------------------- sentence shape

const(
    "ifgen:sentences_end_with_period",
    r"(?:end|finish) (?:every|each) sentence with a (?:period|full stop)(?:;? no question marks or exclamation marks "
    r"at sentence ends)?",
    r"(?:every|each|all) (?:of your )?sentences? {MODAL} end with a (?:period|full stop)(?: \(\.\))?(?: and nothing else)?",
    r"each of your sentences (?:finishes|ends) with a (?:full stop|period)",
)
const(
    "ifgen:no_repeated_adjacent_words",
    r"{NEG} (?:write|use|repeat) the same word twice in a row",
    r"{NEG} repeat (?:a|any) word twice in a row",
    r"no word (?:may|should|can|must) (?:directly |immediately )?follow an identical word",
    r"{AVOID} (?:immediate|consecutive) word repetitions(?: such as '(?P<w>\w+) (?P=w)')?",
)
const(
    "ifgen:end_with_question",
    r"(?:end|finish|conclude|close)(?: {RESP})? with a question",
    r"(?:the )?(?:final|last) sentence of {RESP} {MODAL} be a question(?: ending (?:in|with) '?\?'?)?",
    r"(?:end|finish|conclude|close) by asking (?:the reader )?a question(?:;? the last character must be a question mark)?",
)
const(
    "ifgen:varied_sentence_starts",
    r"{NEG} (?:start|begin) two (?:consecutive|adjacent|successive) sentences with the same word",
    r"{NEG} (?:start|begin) two sentences in a row with the same word",
    r"no two (?:consecutive|adjacent|successive) sentences (?:may|should|can|must) (?:start|begin) with the same word",
    r"vary your sentence openings: no two consecutive sentences (?:may|should|can) (?:start|begin) with the same word",
    r"each sentence {MODAL} (?:open|start|begin) with a different word (?:from|than) the (?:sentence|one) before it",
)


@rule(
    "ifgen:iso_dates",
    r"(?:mention|include|give|use) {CNT} dates{POST},? (?:writing|formatting) (?:every|each|all) dates? in (?:ISO|ISO 8601) "
    r"format(?: \(YYYY-MM-DD\))?",
    r"include {CNT} dates{POST}; all dates {MODAL} use the YYYY-MM-DD format(?: and no other)?",
    r"every date you write {MODAL} look like \d{4}-\d{2}-\d{2}; give {CNT} of them{POST}",
)
def iso_dates(m):
    return _at_least("num_dates")(m)


@rule(
    "ifgen:section_order",
    r"include sections with these headings,? in this order: {KWS}",
    r"(?:structure|organi[sz]e) {OBJ} with the headings {KWS},? appearing in exactly that (?:sequence|order)",
    r"use the following section headings and keep their order: {KWS}",
)
def section_order(m):
    names = lx.keyword_list(grp(m, "kws"), allow_or=False)
    return {"section_names": names} if names and len(names) >= 2 else None


@rule(
    "ifgen:list_item_max_words",
    r"use a bulleted list in which (?:every|each) item has {CNT} words{POST}",
    r"keep each list item to {CNT} words{POST},? and include at least two items",
    r"answer with list items {CNT} words each",
)
def list_item_max_words(m):
    b = bound(m)
    n = lx.at_most(*b) if b else None
    return {"max_words": n} if n else None


@rule(
    "ifgen:bullet_nesting_depth",
    r"use a nested bullet list that goes {CNT} levels deep",
    r"include a hierarchical list nested to a depth of {CNT} levels",
    r"organi[sz]e the points as bullets with sub-bullets; the deepest nesting level {MODAL} be {CNT}",
)
def bullet_nesting_depth(m):
    return exact_params(m, "depth")


@rule(
    "ifgen:citation_markers",
    r"cite {CNT} sources inline as \[1\], \[2\], \.\.\.,? numbered in order of first mention",
    r"support your claims with numbered citation markers \[1\] through \[{NUMV}\],? introduced in order",
)
def citation_markers(m):
    return exact_params(m, "num_citations")


SIGN = r"(?P<sign>[A-Z][a-z]+(?: [a-z]+)?)"


@rule(
    "ifgen:email_format",
    rf"format {{OBJ}} as an email with a subject line at the top and '{SIGN},?' as the sign-off",
    rf"write it as an email: start with a 'Subject:' line and close with the sign-off '{SIGN}' followed by a name",
)
def email_format(m):
    return {"sign_off": m.group("sign")}


@rule(
    "ifgen:lexical_diversity",
    r"(?:the )?ratio of (?:unique|distinct) words to (?:total|all) words(?: in {RESP})? {MODAL} be (?:at least|no less than) "
    r"(?P<f>0?\.\d+)",
    r"avoid repeating words; your type-token ratio (?:has to|must) reach (?P<f>0?\.\d+) or more",
)
def lexical_diversity(m):
    f = float(m.group("f"))
    return {"min_ratio": f} if 0 < f < 1 else None


const(
    "ifgen:table_of_contents",
    r"add a table of contents \(titled 'Table of Contents'\) listing every section heading of {RESP}",
    r"begin with a 'Table of Contents' list whose entries match the markdown headings used below it",
)
