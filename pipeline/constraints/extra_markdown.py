"""ifgen-native markdown structure constraints: tables, code fences, steps, headings, lists.

The reference sets check bullets, highlights and sections; real assistant
answers also need tables with a given shape, a code block in a named language,
exactly n numbered steps, a table of contents that matches the headings, or a
given section order. Each checker reads markdown with small regexes, outside
code fences where that matters.
"""

from __future__ import annotations

from . import samplers as S
from .base import Constraint, Param
from .extra_common import (
    relation_inverse,
    sample_list,
)
from .extra_markdown_checks import (  # noqa: F401
    CODE_LANGUAGES,
    check_blockquote_count,
    check_bold_count,
    check_bullet_nesting_depth,
    check_code_block_language,
    check_exact_lines,
    check_headings_count,
    check_inline_code_count,
    check_list_item_max_words,
    check_markdown_table,
    check_no_code_blocks,
    check_numbered_steps,
    check_qa_pairs,
    check_section_order,
    check_table_of_contents,
)
from .registry import register

SECTION_POOL = (
    "Introduction",
    "Background",
    "Approach",
    "Analysis",
    "Results",
    "Risks",
    "Recommendations",
    "Conclusion",
)

_T = frozenset
register(
    Constraint(
        "ifgen:markdown_table",
        "format",
        "A markdown table with exactly n data rows and m columns.",
        (
            Param("num_rows", "int", 2, 8, sample=S.int_range(2, 6)),
            Param("num_columns", "int", 2, 6, sample=S.int_range(2, 5)),
        ),
        (
            "Include a markdown table with exactly {num_rows} data rows (not counting the header) and {num_columns} columns.",
            "Present the key information as a markdown table: {num_columns} columns, {num_rows} rows below the header row.",
            "Your answer must contain one markdown table whose body has {num_rows} rows and whose header has {num_columns} columns.",
        ),
        check_markdown_table,
        tags=_T({"structured"}),
    ),
    Constraint(
        "ifgen:code_block_language",
        "format",
        "A fenced code block tagged with the given language.",
        (Param("code_language", "choice", choices=tuple(CODE_LANGUAGES)),),
        (
            "Put the code in a fenced code block marked as {code_language} (```{code_language}).",
            "Write your solution in {code_language} inside a fenced markdown code block labelled with the language.",
            "Include at least one ``` code block whose opening fence names the language {code_language}.",
        ),
        check_code_block_language,
        tags=_T({"code", "code_only"}),
    ),
    Constraint(
        "ifgen:numbered_steps",
        "format",
        "Exactly n numbered steps, numbered 1..n.",
        (Param("num_steps", "int", 3, 10, sample=S.scaled_int(0.02, 0.04, floor=3, cap=10)),),
        (
            "Lay out your answer as exactly {num_steps} numbered steps (1., 2., ...).",
            "Give precisely {num_steps} steps, numbered from 1 to {num_steps}, one per line.",
            "Structure the response as a numbered list with {num_steps} steps, no more and no fewer.",
        ),
        check_numbered_steps,
        tags=_T({"list"}),
    ),
    Constraint(
        "ifgen:headings_count",
        "format",
        "Exactly n markdown headings (# ...).",
        (Param("num_headings", "int", 2, 8, sample=S.scaled_int(0.01, 0.02, floor=2, cap=8)),),
        (
            "Organise the answer under exactly {num_headings} markdown headings (lines starting with #).",
            "Use {num_headings} markdown headings in total, no more and no fewer.",
            "Your response must contain exactly {num_headings} headings written with markdown # syntax.",
        ),
        check_headings_count,
        tags=_T({"structured"}),
    ),
    Constraint(
        "ifgen:bold_count",
        "format",
        "Number of **bold** spans compared with n.",
        (Param("num_bold", "int", 1, 8, sample=S.int_range(2, 6)), Param("relation", "choice", choices=S.RELATIONS)),
        (
            "Use {relation} {num_bold} bold phrases (**like this**) in your response.",
            "The number of **bold** spans in your answer must be {relation} {num_bold}.",
            "Highlight with markdown bold: {relation} {num_bold} bold segments.",
        ),
        check_bold_count,
        inverse=relation_inverse("ifgen:bold_count"),
    ),
    Constraint(
        "ifgen:table_of_contents",
        "format",
        "A table of contents listing the headings that follow.",
        (),
        (
            "Begin with a 'Table of Contents' list whose entries match the markdown headings used below it.",
            "Add a table of contents (titled 'Table of Contents') listing every section heading of your answer.",
            "Open with a Table of Contents: a list of at least two items, each one a heading that appears later.",
        ),
        check_table_of_contents,
        tags=_T({"long", "structured"}),
    ),
    Constraint(
        "ifgen:bullet_nesting_depth",
        "format",
        "A nested list whose deepest level is exactly d.",
        (Param("depth", "int", 2, 3, sample=S.int_range(2, 3)),),
        (
            "Use a nested bullet list that goes exactly {depth} levels deep.",
            "Organise the points as bullets with sub-bullets; the deepest nesting level must be {depth}.",
            "Include a hierarchical list nested to a depth of exactly {depth} levels.",
        ),
        check_bullet_nesting_depth,
        tags=_T({"list"}),
    ),
    Constraint(
        "ifgen:section_order",
        "format",
        "Named sections appear as headings in the given order.",
        (Param("section_names", "keywords", sample=sample_list(SECTION_POOL, 2, 4)),),
        (
            "Include sections with these headings, in this order: {section_names}.",
            "Structure your answer with the headings {section_names}, appearing in exactly that sequence.",
            "Use the following section headings and keep their order: {section_names}.",
        ),
        check_section_order,
        tags=_T({"long", "structured"}),
    ),
    Constraint(
        "ifgen:exact_lines",
        "format",
        "Exactly n non-empty lines.",
        (Param("num_lines", "int", 2, 12, sample=S.scaled_int(0.03, 0.08, floor=2, cap=12)),),
        (
            "Answer in exactly {num_lines} lines.",
            "Your response must consist of {num_lines} non-empty lines, no more and no fewer.",
            "Write precisely {num_lines} lines of text (blank lines do not count).",
        ),
        check_exact_lines,
        tags=_T({"short"}),
    ),
    Constraint(
        "ifgen:blockquote_count",
        "format",
        "At least n markdown blockquotes (> ...).",
        (Param("num_blockquotes", "int", 1, 3, sample=S.int_range(1, 3)),),
        (
            "Include at least {num_blockquotes} markdown blockquotes (lines starting with >).",
            "Quote material in {num_blockquotes} or more separate > blockquotes.",
            "Use no fewer than {num_blockquotes} blockquote blocks in markdown.",
        ),
        check_blockquote_count,
    ),
    Constraint(
        "ifgen:inline_code_count",
        "format",
        "At least n `inline code` spans.",
        (Param("num_inline_code", "int", 1, 6, sample=S.int_range(2, 5)),),
        (
            "Mark at least {num_inline_code} identifiers as `inline code` with backticks.",
            "Use `backtick` inline code formatting at least {num_inline_code} times.",
            "Your answer needs {num_inline_code} or more inline code spans like `this`.",
        ),
        check_inline_code_count,
        tags=_T({"code"}),
    ),
    Constraint(
        "ifgen:no_code_blocks",
        "format",
        "No fenced code blocks at all.",
        (),
        (
            "Do not use any fenced code blocks.",
            "Answer in prose only; no ``` code blocks anywhere.",
            "Avoid code fences entirely in your response.",
        ),
        check_no_code_blocks,
        tags=_T({"no_code", "prose"}),
    ),
    Constraint(
        "ifgen:qa_pairs",
        "format",
        "Exactly n Q:/A: pairs, alternating.",
        (Param("num_pairs", "int", 2, 6, sample=S.int_range(2, 5)),),
        (
            "Write the answer as an FAQ with exactly {num_pairs} pairs of lines starting 'Q:' and 'A:'.",
            "Format your response as {num_pairs} question-and-answer pairs, each question on a 'Q:' line followed by an 'A:' line.",
            "Use a Q:/A: format with precisely {num_pairs} questions, each followed by its answer.",
        ),
        check_qa_pairs,
        tags=_T({"structured"}),
    ),
    Constraint(
        "ifgen:list_item_max_words",
        "format",
        "A list of at least two items, each at most n words.",
        (Param("max_words", "int", 4, 15, sample=S.int_range(5, 12)),),
        (
            "Use a bulleted list in which every item has at most {max_words} words.",
            "Keep each list item to {max_words} words or fewer, and include at least two items.",
            "Answer with list items no longer than {max_words} words each.",
        ),
        check_list_item_max_words,
        tags=_T({"list"}),
    ),
)
