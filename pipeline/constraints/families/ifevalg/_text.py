"""IFEvalG's own sentence splitter, restated exactly.

The open-instruct IFEvalG checkers do not use punkt for "sentences": they use a rule-based splitter (the classic
"protect abbreviation dots, then cut after . ? !" recipe, file `open_instruct/IFEvalG/instructions_util.py`).
Verdicts must match theirs, so the rules are restated here as an ordered table of rewrites. Words, where their
checkers say `nltk.word_tokenize`, are the text package's `treebank_tokens` (Treebank tokens of each punkt
sentence, which is what that function does).

Our markers are private-use code points, so a protected dot or a cut point can never collide with real text or
with the ASCII the later rules look at.
"""

from __future__ import annotations

import re

_KEEP = "\ue000"  # a dot that must not end a sentence
_CUT = "\ue001"  # a sentence boundary

_LETTER = "[A-Za-z]"
# Words after which a capitalised acronym or company suffix still ends a sentence.
_OPENERS = (
    r"(Mr|Mrs|Ms|Dr|Prof|Capt|Cpt|Lt|He\s|She\s|It\s|They\s|Their\s|Our\s|We\s|But\s|However\s|That\s|This\s|Wherever)"
)
_COMPANY = "(Inc|Ltd|Jr|Sr|Co)"


def _keep_dots(m: re.Match) -> str:
    return m.group(0).replace(".", _KEEP)


# Ordered rewrites; the order matters (each sees the output of the previous).
_RULES: tuple[tuple[re.Pattern, object], ...] = (
    # titles: "Mr." "Mrs." "Ms." "Dr." and "St." never end a sentence
    (re.compile(r"(?:Mr|St|Mrs|Ms|Dr)\."), _keep_dots),
    # web suffixes: ".com" ".net" ".org" ".io" ".gov" ".edu" ".me" (no word boundary)
    (re.compile(r"\.(?=com|net|org|io|gov|edu|me)"), _KEEP),
    # decimals such as 3.14 (pairs are consumed, so in 1.2.3 the second dot is free)
    (re.compile(r"[0-9]\.[0-9]"), _keep_dots),
    # ellipses: every dot kept, one cut after the run
    (re.compile(r"\.{2,}"), lambda m: _KEEP * len(m.group(0)) + _CUT),
    (re.compile(r"Ph\.D\."), _keep_dots),
    # an initial standing alone between whitespace and a space
    # (the whitespace before it comes out as a plain space)
    (re.compile(r"\s(" + _LETTER + r")\. "), lambda m: " " + m.group(1) + _KEEP + " "),
    # an acronym followed by a typical sentence opener ends its sentence
    (re.compile(r"([A-Z]\.[A-Z]\.(?:[A-Z]\.)?) " + _OPENERS), lambda m: m.group(1) + _CUT + " " + m.group(2)),
    (re.compile(_LETTER + r"\." + _LETTER + r"\." + _LETTER + r"\."), _keep_dots),
    (re.compile(_LETTER + r"\." + _LETTER + r"\."), _keep_dots),
    # "Inc. He ..." ends the sentence, and the dot itself is dropped
    (re.compile(" " + _COMPANY + r"\. " + _OPENERS), lambda m: " " + m.group(1) + _CUT + " " + m.group(2)),
    (re.compile(" " + _COMPANY + r"\."), _keep_dots),
    (re.compile(" " + _LETTER + r"\."), _keep_dots),
)

# Closing quotes travel in front of the terminal mark so they stay in the sentence.
_QUOTE_SWAPS = ((".\u201d", "\u201d."), ('."', '".'), ('!"', '"!'), ('?"', '"?'))


def split_sentences_g(text: str) -> list[str]:
    """Sentences as IFEvalG's `split_into_sentences` returns them (stripped;
    a trailing empty piece dropped, empty pieces in the middle kept)."""
    s = " " + text.replace("\n", " ") + "  "
    for pattern, repl in _RULES:
        s = pattern.sub(repl, s)
    for old, new in _QUOTE_SWAPS:
        s = s.replace(old, new)
    s = re.sub(r"[.?!]", lambda m: m.group(0) + _CUT, s).replace(_KEEP, ".")
    pieces = [p.strip() for p in s.split(_CUT)]
    if pieces and not pieces[-1]:
        pieces.pop()
    return pieces
