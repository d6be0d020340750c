"""Conflict groups: named kinds of constraint that clash as a kind, not pair by pair.

A constraint joins a group in its own block (`groups=("layout",)`); this table says what each group means and
which clashes follow from membership:
  within    every two distinct members conflict (two rules that each rewrite every word);
  against   every member conflicts with every member of another group (a token wrapper destroys any layout).
Blocks may also conflict with a whole group (`conflicts=Conflicts(groups={"english_only": why})`), and an
exclusive constraint may allow whole groups (`exclusive(why, groups=("content_ban",))`).

The id-level table is a superset of IFEval's INSTRUCTION_CONFLICTS (google-research
`instruction_following_eval/instructions_registry.py`) and of the IFEvalG additions (allenai/open-instruct
`IFEvalG/instructions_registry.py`), extended to IFBench and ifgen ids; the facts carried over are which pairs
conflict, the encoding is ours.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Group:
    about: str
    within: str | None = None  # reason when two members meet
    against: dict[str, str] = field(default_factory=dict)  # other group -> reason


GROUPS: dict[str, Group] = {
    "token_wrapper": Group(
        "rewrites every word or token (brackets, hyphens, one word per line)",
        within="two rules that each rewrite every word",
        against={"layout": "every word is rewritten, so no markdown layout survives"},
    ),
    "start_rule": Group("fixes how the response starts", within="competing rules for how the response starts"),
    "whole_layout": Group("fixes the layout of the whole answer", within="competing layouts for the whole answer"),
    "layout": Group("a markdown or line layout (lists, sections, tables, headings, fixed lines)"),
    "english_only": Group("parameters or checks that only make sense in English"),
    "numbered": Group("needs numerals in the response"),
    "content_ban": Group("bans some content anywhere in the text, so it survives whole-response formats"),
    "fits_json": Group("still meaningful inside a whole-response JSON body"),
    "fits_data": Group("still meaningful inside ifgen's own data formats (JSON object, YAML, CSV)"),
}
