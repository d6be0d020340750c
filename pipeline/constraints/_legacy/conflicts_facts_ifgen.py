"""Facts extractors for the ifgen-native ids (see `conflicts_facts` for the vocabulary).

Kept apart from the reference-id extractors so each file stays small; the
helpers come from `conflicts_facts`, which imports this table at its end.
"""

from __future__ import annotations

from . import conflicts_facts as cf
from .conflicts_facts import FIRST_PERSON, SECOND_PERSON, Facts, kw, rel


def _table(p: dict) -> Facts:
    return Facts().need("char:|", 1).need("char:-", 3).need("lines", int(p["num_rows"]) + 2)


def _steps(p: dict) -> Facts:
    n = int(p["num_steps"])
    return Facts().need("char:digit", 1).need("lines", n).need("steps", n, n)


def _headings(p: dict) -> Facts:
    n = int(p["num_headings"])
    f = Facts().need("headings", n, n).need("lines", n)
    return f.need("char:#", 1) if n else f


def _keywords(*keys: str):
    def ex(p: dict) -> Facts:
        f = Facts()
        for k in keys:
            kw(f, p[k], 1)
        return f

    return ex


def _csv(p: dict) -> Facts:
    f = Facts(body="csv").need("lines", 2)
    return f.need("char:,", 1) if int(p["num_columns"]) >= 2 else f


def _hashtags(p: dict) -> Facts:
    n = int(p["num_hashtags"])
    f = Facts().need("hashtags", n, n)
    return f.need("char:#", 1) if n else f


def _period_sentences(p: dict) -> Facts:
    return Facts().need("char:.", 1).need("char:?", 0, 0).need("char:!", 0, 0).need("questions", 0, 0)


IFGEN_EXTRACTORS: dict[str, cf.Extractor] = {
    "ifgen:markdown_table": _table,
    "ifgen:code_block_language": lambda p: Facts().need("char:`", 6).need("lines", 2),
    "ifgen:numbered_steps": _steps,
    "ifgen:headings_count": _headings,
    "ifgen:bold_count": cf._counted("bold", "num_bold", "relation", char="*"),
    "ifgen:table_of_contents": cf._toc,
    "ifgen:bullet_nesting_depth": lambda p: Facts().need("lines", int(p["depth"])),
    "ifgen:section_order": lambda p: Facts().need("lines", len(p["section_names"])),
    "ifgen:exact_lines": lambda p: Facts().need("lines", int(p["num_lines"]), int(p["num_lines"])),
    "ifgen:blockquote_count": lambda p: Facts().need("char:>", 1) if int(p["num_blockquotes"]) else Facts(),
    "ifgen:inline_code_count": lambda p: Facts().need("char:`", 2) if int(p["num_inline_code"]) else Facts(),
    "ifgen:qa_pairs": lambda p: Facts().need("lines", 2 * int(p["num_pairs"])).need("char::", 1),
    "ifgen:list_item_max_words": lambda p: Facts().need("lines", 2),
    "ifgen:json_keys": cf._json_keys,
    "ifgen:valid_yaml": lambda p: Facts(body="yaml"),
    "ifgen:csv_columns": _csv,
    "ifgen:citation_markers": lambda p: Facts().need("char:[", 1).need("char:]", 1).need("char:digit", 1),
    "ifgen:email_format": cf._email,
    "ifgen:hashtags_count": _hashtags,
    "ifgen:iso_dates": lambda p: Facts().need("char:digit", 1).need("char:-", 2),
    "ifgen:wrap_in_tags": cf._wrap_tags,
    "ifgen:tldr_summary": cf._tldr,
    "ifgen:start_phrase": cf._start_phrase,
    "ifgen:acronym_definitions": lambda p: Facts().need("char:upper", 1).need("char:(", 1).need("char:)", 1),
    "ifgen:reading_grade_max": lambda p: Facts().need("grade", -cf.INF, float(p["grade"])),
    "ifgen:reading_grade_min": lambda p: Facts().need("grade", float(p["grade"])),
    "ifgen:sentences_end_with_period": _period_sentences,
    "ifgen:question_count": cf._counted("questions", "num_questions", "relation", char="?"),
    "ifgen:end_with_question": cf._end_question,
    "ifgen:varied_sentence_starts": lambda p: Facts().need("sentences", 2),
    "ifgen:sentences_per_paragraph": lambda p: Facts().need("sentences", int(p["num_sentences"])),
    "ifgen:keyword_order": _keywords("first_keyword", "second_keyword"),
    "ifgen:keyword_in_first_sentence": _keywords("keyword"),
    "ifgen:keyword_in_last_sentence": _keywords("keyword"),
    "ifgen:max_chars": lambda p: Facts().need("chars", 0, int(p["max_chars"])),
    "ifgen:min_chars": lambda p: Facts().need("chars", int(p["min_chars"])),
    "ifgen:balanced_paragraphs": lambda p: Facts().need("paragraphs", 2),
    "ifgen:quotes_count": lambda p: _quotes(p),
    "ifgen:no_emoji": cf._bans("emoji"),
    "ifgen:emoji_count": cf._counted("emoji", "num_emoji", "relation"),
    "ifgen:no_digits": cf._bans("char:digit"),
    "ifgen:no_first_person": cf._pronoun_ban(FIRST_PERSON),
    "ifgen:no_second_person": cf._pronoun_ban(SECOND_PERSON),
}


def _quotes(p: dict) -> Facts:
    lo, hi = rel(p["num_quotes"], p["relation"])
    f = Facts().need("quotes", lo, hi)
    return f.need('char:"', 2) if lo >= 1 else f
