"""Id-level conflicts as data: which instruction ids must never share a prompt.

A superset of IFEval's INSTRUCTION_CONFLICTS (google-research
`instruction_following_eval/instructions_registry.py`) and of the IFEvalG
additions (allenai/open-instruct `IFEvalG/instructions_registry.py`), extended to
IFBench and ifgen ids. Facts carried over: which pairs conflict; the table
itself is written here as data.

Three shapes, all symmetric by construction (the lookup in `conflicts.py` reads
every entry both ways):
  PAIRS      (a, b, reason)
  GROUPS     (ids, reason): every two distinct members conflict
  CROSS      (left ids, right ids, reason): every left id conflicts with every right id
  EXCLUSIVE  (id, allowed ids, reason): the id conflicts with every other id except
             the allowed ones (IFEval's "set(INSTRUCTION_DICT) - {...}" entries)
and, as in IFEval's conflict_make, every id conflicts with itself.
"""

from __future__ import annotations

from .conflicts_refs import IFBENCH_IDS, IFEVAL_IDS, IFEVALG_IDS, REFERENCE_IDS  # noqa: F401 - re-exported

# ---- groups of ids used below ----------------------------------------------------------------------------------
# Content bans that apply to any text, so they survive whole-response formats (JSON, two responses, ...).
CONTENT_BANS = (
    "keywords:forbidden_words",
    "keywords:exclude_word_harder",
    "ifgen:no_emoji",
    "ifgen:no_urls",
    "ifgen:no_first_person",
    "ifgen:no_second_person",
    "ifgen:no_contractions",
)
# ifgen ids whose parameters or checks are English-only (IFEval treats keyword ids the same way).
ENGLISH_ONLY = (
    "keywords:word_once",
    "keywords:word_count_different_numbers",
    "keywords:exclude_word_harder",
    "keywords:keyword_specific_position",
    "count:count_increment_word",
    "first_word:first_word_sent",
    "first_word:first_word_answer",
    "last_word:last_word_sent",
    "last_word:last_word_answer",
    "ifgen:keyword_order",
    "ifgen:keyword_in_first_sentence",
    "ifgen:keyword_in_last_sentence",
    "ifgen:reading_grade_max",
    "ifgen:reading_grade_min",
    "ifgen:acronym_definitions",
    "ifgen:no_first_person",
    "ifgen:no_second_person",
    "ifgen:no_contractions",
    "ifgen:section_order",
    "ifgen:email_format",
    "ifgen:word_length_max",
    "ifgen:formal_tone",
    "ifgen:explain_to_child",
)
# Rewrite every word or token; cannot coexist with markdown or data layouts.
TOKEN_WRAPPERS = (
    "detectable_format:square_brackets",
    "detectable_format:bigram_wrapping",
    "detectable_format:sentence_hyphens",
    "format:newline",
    "format:no_whitespace",
)
LAYOUTS = (
    "detectable_format:number_bullet_lists",
    "detectable_format:multiple_sections",
    "detectable_format:title",
    "ifgen:markdown_table",
    "ifgen:code_block_language",
    "ifgen:numbered_steps",
    "ifgen:headings_count",
    "ifgen:table_of_contents",
    "ifgen:bullet_nesting_depth",
    "ifgen:section_order",
    "ifgen:qa_pairs",
    "ifgen:list_item_max_words",
    "ifgen:email_format",
    "ifgen:blockquote_count",
    "ifgen:tldr_summary",
    "ifgen:exact_lines",
    "ifgen:line_max_chars",
    "format:sub-bullets",
    "format:no_bullets_bullets",
    "format:line_indent",
    "format:list",
)
# Whole-response data formats and what can still hold inside them.
DATA_FORMATS = ("detectable_format:json_format", "ifgen:json_keys", "ifgen:valid_yaml", "ifgen:csv_columns")
_JSON_OK = CONTENT_BANS + ("keywords:existence", "ifgen:no_digits", "ifgen:max_chars", "ifgen:min_chars")
# ifgen's own data formats are less strict than IFEval's json_format: counts and bans inside the data are
# fine, and parameter rules catch the rest (e.g. CSV or a two-key JSON object under punctuation:no_comma).
_DATA_OK = _JSON_OK + (
    "keywords:frequency",
    "keywords:word_once",
    "keywords:letter_frequency",
    "length_constraints:number_words",
    "count:word_count_range",
    "punctuation:no_comma",
    "punctuation:punctuation_exclamation",
    "punctuation:punctuation_dot",
    "ifgen:no_repeated_adjacent_words",
    "ifgen:word_length_max",
    "ifgen:line_max_chars",
    "ifgen:formal_tone",
)
# Answers that must be nothing but a copy, a span or a fixed option.
EXCLUSIVE_ANSWERS = (
    "detectable_format:constrained_response",
    "copy:copy",
    "new:copy_span_idx",
    "copy:copying_simple",
    "copy:copying_multiple",
    "format:options",
)
NUMBERED = (
    "detectable_format:multiple_sections",
    "ifgen:numbered_steps",
    "ifgen:citation_markers",
    "ifgen:iso_dates",
    "count:numbers",
)

PAIRS: tuple[tuple[str, str, str], ...] = (
    # IFEval
    ("language:response_language", "detectable_format:multiple_sections", "section markers are English words"),
    ("language:response_language", "keywords:existence", "keywords are English words"),
    ("language:response_language", "keywords:frequency", "keywords are English words"),
    ("language:response_language", "keywords:forbidden_words", "forbidden words are English words"),
    ("language:response_language", "startend:end_checker", "the end phrase is English"),
    ("language:response_language", "change_case:english_capital", "asks for English capitals"),
    ("language:response_language", "change_case:english_lowercase", "asks for English lowercase"),
    (
        "length_constraints:number_paragraphs",
        "length_constraints:nth_paragraph_first_word",
        "different paragraph separators (*** vs blank lines)",
    ),
    (
        "length_constraints:number_paragraphs",
        "length_constraints:number_sentences",
        "paragraph and sentence counts are easily contradictory",
    ),
    (
        "detectable_format:multiple_sections",
        "detectable_format:number_highlighted_sections",
        "two competing ways to mark sections",
    ),
    ("change_case:capital_word_frequency", "change_case:english_lowercase", "capital words vs all lowercase"),
    ("change_case:capital_word_frequency", "change_case:english_capital", "a capital-word count vs all capitals"),
    ("change_case:english_lowercase", "change_case:english_capital", "all lowercase vs all capitals"),
    ("startend:quotation", "detectable_format:title", "a title would sit outside the quotation"),
    # IFEvalG
    ("paragraphs:paragraphs", "paragraphs:paragraphs2", "two paragraph layouts with different separators"),
    ("first_word:first_word_sent", "first_word:first_word_answer", "two rules for the first word"),
    ("count:counting_composition", "count:count_unique", "fixed sentence shapes vs no repeated word"),
    ("count:counting_composition", "count:count_increment_word", "fixed sentence shapes vs keyword counts"),
    ("count:counting_composition", "paragraphs:paragraphs", "3 paragraphs vs 2 paragraphs"),
    ("count:counting_composition", "paragraphs:paragraphs2", "3 paragraphs vs 2 paragraphs"),
    ("count:counting_composition", "keywords:letter_frequency", "fixed word counts vs letter counts"),
    ("count:counting_composition", "keywords:frequency", "fixed word counts vs keyword counts"),
    # extensions: lengths, paragraphs, case
    ("length_constraints:number_words", "count:word_count_range", "two different word-count requirements"),
    ("count:counting_composition", "length_constraints:number_sentences", "the composition fixes the sentence count"),
    ("count:counting_composition", "length_constraints:number_paragraphs", "the composition fixes the paragraphs"),
    ("count:counting_composition", "length_constraints:number_words", "the composition fixes the word count"),
    ("count:counting_composition", "ifgen:sentences_per_paragraph", "the composition fixes sentences per paragraph"),
    ("count:counting_composition", "ifgen:max_sentence_words", "the composition fixes words per sentence"),
    ("length_constraints:number_paragraphs", "paragraphs:paragraphs2", "*** separators vs blank-line paragraphs"),
    ("paragraphs:paragraphs", "length_constraints:nth_paragraph_first_word", "*** separators vs blank-line paragraphs"),
    ("change_case:english_lowercase", "ifgen:acronym_definitions", "acronyms are written in capitals"),
    ("change_case:english_lowercase", "format:title_case", "all lowercase vs title case"),
    ("change_case:english_capital", "format:title_case", "all capitals vs title case"),
    ("change_case:english_lowercase", "count:lowercase_counting", "all words lowercase vs few lowercase words"),
    ("change_case:english_capital", "ifgen:acronym_definitions", "acronyms cannot stand out in all capitals"),
    # punctuation and characters
    ("punctuation:no_comma", "ifgen:csv_columns", "CSV needs commas"),
    ("punctuation:punctuation_dot", "ifgen:sentences_end_with_period", "no dots vs every sentence ends with one"),
    ("ifgen:sentences_end_with_period", "ifgen:end_with_question", "the last sentence cannot end with both"),
    ("ifgen:sentences_end_with_period", "punctuation:punctuation_exclamation", "redundant sentence-end rules"),
    ("ifgen:no_emoji", "format:emoji", "no emoji vs an emoji after every sentence"),
    ("ifgen:no_emoji", "ifgen:emoji_count", "no emoji vs counting emoji"),
    ("ifgen:no_code_blocks", "ifgen:code_block_language", "no code fences vs a fenced code block"),
    ("ifgen:max_sentence_words", "sentence:increment", "capped sentences vs ever longer ones"),
    ("ifgen:varied_sentence_starts", "first_word:first_word_sent", "every sentence starts with the same word"),
    ("ifgen:no_second_person", "ifgen:email_format", "an email addresses its reader"),
    ("ifgen:start_phrase", "first_word:first_word_answer", "two rules for how the response starts"),
    ("ifgen:start_phrase", "combination:repeat_prompt", "the response must start with the prompt"),
    ("ifgen:start_phrase", "ifgen:wrap_in_tags", "the response must start with the tag"),
    ("ifgen:start_phrase", "ifgen:table_of_contents", "the table of contents comes first"),
    ("ifgen:start_phrase", "ifgen:email_format", "an email starts with its Subject line"),
    ("ifgen:start_phrase", "startend:quotation", "the response must start with a quotation mark"),
    ("ifgen:end_with_question", "startend:quotation", "the last character must be a quotation mark"),
    ("ifgen:end_with_question", "ifgen:wrap_in_tags", "the response must end with the closing tag"),
    ("ifgen:end_with_question", "keywords:start_end", "nothing may follow the last word"),
    ("ifgen:end_with_question", "ifgen:email_format", "an email ends with its sign-off"),
    ("ifgen:end_with_question", "ifgen:tldr_summary", "the TL;DR line must come last"),
    ("startend:end_checker", "detectable_content:postscript", "both must come last"),
    ("startend:end_checker", "startend:quotation", "the closing quotation mark would follow the end phrase"),
    ("startend:end_checker", "ifgen:wrap_in_tags", "the closing tag would follow the end phrase"),
    ("startend:end_checker", "ifgen:tldr_summary", "both must come last"),
    ("startend:end_checker", "ifgen:email_format", "an email ends with its sign-off"),
    ("ifgen:tldr_summary", "detectable_content:postscript", "both must come last"),
    ("ifgen:tldr_summary", "ifgen:email_format", "both must come last"),
    ("ifgen:tldr_summary", "ifgen:wrap_in_tags", "the closing tag must come last"),
    ("ifgen:tldr_summary", "startend:quotation", "the closing quotation mark must come last"),
    ("ifgen:wrap_in_tags", "startend:quotation", "two different wrappers"),
    ("ifgen:wrap_in_tags", "combination:repeat_prompt", "the response must start with the prompt"),
    ("ifgen:table_of_contents", "combination:repeat_prompt", "the response must start with the prompt"),
    ("ifgen:email_format", "combination:repeat_prompt", "the response must start with the prompt"),
    ("ifgen:exact_lines", "format:newline", "one word per line fixes the line count"),
    ("ifgen:headings_count", "ifgen:section_order", "two rules for the headings"),
    ("ifgen:numbered_steps", "ifgen:qa_pairs", "two layouts for the whole answer"),
    ("ifgen:markdown_table", "ifgen:valid_yaml", "a table is not YAML data"),
)

GROUPS: tuple[tuple[tuple[str, ...], str], ...] = (
    (TOKEN_WRAPPERS, "two rules that each rewrite every word"),
    (
        (
            "first_word:first_word_answer",
            "combination:repeat_prompt",
            "startend:quotation",
            "ifgen:table_of_contents",
            "ifgen:email_format",
        ),
        "competing rules for how the response starts",
    ),
    (
        ("ifgen:email_format", "ifgen:qa_pairs", "ifgen:csv_columns", "ifgen:markdown_table"),
        "competing layouts for the whole answer",
    ),
)

CROSS: tuple[tuple[tuple[str, ...], tuple[str, ...], str], ...] = (
    (("language:response_language",), ENGLISH_ONLY, "an English-only instruction in a non-English response"),
    (TOKEN_WRAPPERS, LAYOUTS, "every word is rewritten, so no markdown layout survives"),
    (("ifgen:no_digits",), NUMBERED, "the instruction needs numerals"),
)

EXCLUSIVE: tuple[tuple[str, tuple[str, ...], str], ...] = (
    ("detectable_format:constrained_response", (), "the answer is one fixed sentence"),
    (
        "detectable_format:json_format",
        _JSON_OK + ("keywords:existence", "ifgen:json_keys", "ifgen:valid_yaml"),
        "the whole response must be JSON",
    ),
    (
        "ifgen:json_keys",
        _DATA_OK + ("detectable_format:json_format", "ifgen:valid_yaml"),
        "the whole response must be a JSON object",
    ),
    (
        "ifgen:valid_yaml",
        _DATA_OK + ("detectable_format:json_format", "ifgen:json_keys", "change_case:english_lowercase"),
        "the whole response must be YAML",
    ),
    (
        "ifgen:csv_columns",
        _DATA_OK + ("change_case:english_lowercase", "change_case:english_capital"),
        "the whole response must be CSV",
    ),
    (
        "combination:two_responses",
        (
            "keywords:forbidden_words",
            "keywords:existence",
            "language:response_language",
            "detectable_format:title",
            "punctuation:no_comma",
        )
        + CONTENT_BANS
        + ("ifgen:no_digits", "punctuation:punctuation_exclamation"),
        "two separate responses split every count and position",
    ),
    (
        "combination:repeat_prompt",
        (
            "keywords:existence",
            "detectable_format:title",
            "punctuation:no_comma",
            "ifgen:formal_tone",
            "ifgen:explain_to_child",
            "ifgen:persuasive_tone",
        ),
        "the response must begin with a verbatim copy of the prompt",
    ),
    ("copy:copy", (), "the answer is a verbatim copy of the prompt"),
    ("new:copy_span_idx", (), "the answer is a verbatim span of the prompt"),
    ("copy:copying_simple", (), "the answer is a verbatim copy of the request"),
    ("copy:copying_multiple", (), "the answer is repeated copies of the request"),
    ("format:options", (), "the answer is one of the given options, without explanation"),
    ("repeat:repeat_simple", (), "the answer is a repetition of the request"),
    ("repeat:repeat_change", (), "the answer is a lightly changed repetition of the request"),
    ("repeat:repeat_span", (), "the answer is a span of the request"),
)
