"""IFEvalG format constraints: words wrapped in brackets or pairs, hyphen-joined sentences, two-paragraph layouts."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core.contract import NO_CONFLICTS, Conflicts, fails, passes
from . import define
from ._common import STARS, blocks_ok
from ._text import split_sentences_g


def sentence_hyphens(response: str) -> bool:
    """Pieces between hyphens must be, in order, the sentences of the response
    with hyphens read as spaces, with no space around any piece. Comparison stops
    at the shorter list, so a single sentence without hyphens passes."""
    gold = split_sentences_g(response.replace("-", " "))
    pieces = response.split("-")
    return all(p == p.strip() and p == g for p, g in zip(pieces, gold))


define(
    "detectable_format:sentence_hyphens",
    category="format",
    description="Join all sentences with hyphens and no spaces around them.",
    phrasings=[
        "Join all of your sentences with hyphens, leaving no spaces around the hyphens.",
        "Connect every sentence to the next with a hyphen (-) and put no space before or after it.",
        "Write your sentences run together, separated only by hyphens with no surrounding spaces.",
    ],
    check=sentence_hyphens,
    tags=("english", "short", "no_code"),
    conflicts=NO_CONFLICTS,
    groups=("token_wrapper",),
    facts=None,
    examples=[
        passes("I woke up.-The sun was out.-We walked."),
        fails("I woke up. - The sun was out.", "spaces around the hyphen"),
        fails("A well-known fact.-Another one.", "a hyphen inside a sentence cuts it into pieces"),
        passes("Just one sentence here.", "pieces and sentences are compared pairwise: one sentence needs no hyphen"),
    ],
)


def square_brackets(response: str) -> bool:
    """Every whitespace-separated token starts with "[" and ends with "]"."""
    return all(t.startswith("[") and t.endswith("]") for t in response.split())


define(
    "detectable_format:square_brackets",
    category="format",
    description="Every word is wrapped in square brackets.",
    phrasings=[
        "Put every single word of your reply inside square brackets, like [this] [example].",
        "Wrap each word you write in its own pair of square brackets.",
        "Enclose all words of the response individually in square brackets [ ].",
    ],
    check=square_brackets,
    tags=("no_code", "short"),
    conflicts=NO_CONFLICTS,
    groups=("token_wrapper",),
    facts=None,
    examples=[
        passes("[Hello] [world!]"),
        fails("[Hello] world"),
        fails("[Hello world]", "each word needs its own brackets"),
    ],
)


def bigram_wrapping(response: str) -> bool:
    """Tokens taken in pairs (0,1), (2,3)...: the first starts with "<<", the
    second ends with ">>". An odd last token is not checked."""
    toks = response.split()
    return all(toks[i].startswith("<<") and toks[i + 1].endswith(">>") for i in range(0, len(toks) - 1, 2))


define(
    "detectable_format:bigram_wrapping",
    category="format",
    description="Every pair of words is wrapped in << >>.",
    phrasings=[
        "Group your words in pairs and wrap each pair in double angular brackets, like <<the sun>> <<is out>>.",
        "Wrap every two-word chunk of your reply in << and >>, e.g. <<we can>> <<start now>>.",
        "Write the whole answer as consecutive word pairs, each enclosed in double angle brackets (<<like this>>).",
    ],
    check=bigram_wrapping,
    tags=("no_code", "short"),
    conflicts=NO_CONFLICTS,
    groups=("token_wrapper",),
    facts=None,
    examples=[
        passes("<<I am>> <<at home>>"),
        fails("<<I am at>> <<home>>", "a group of three words breaks the pairing"),
        fails("I am at home"),
        passes("<<I am>> home", "an odd last word is not checked"),
    ],
)


def two_paragraphs_stars(response: str) -> bool:
    """Two paragraphs separated by the markdown divider ***."""
    return blocks_ok(STARS.split(response), 2)


define(
    "paragraphs:paragraphs",
    category="format",
    description="Exactly two paragraphs separated by ***.",
    phrasings=[
        "Write exactly 2 paragraphs and separate them with the markdown divider ***.",
        "Your answer should have two paragraphs, with a line containing *** between them.",
        "Split the response into 2 paragraphs divided by ***.",
    ],
    check=two_paragraphs_stars,
    tags=("prose", "no_code"),
    conflicts=Conflicts(
        ids={
            "paragraphs:paragraphs2": "two paragraph layouts with different separators",
            "length_constraints:nth_paragraph_first_word": "*** separators vs blank-line paragraphs",
        }
    ),
    facts=lambda p: F.Facts().need("paragraphs", 2, 2),
    examples=[
        passes("First part.\n***\nSecond part."),
        fails("Only one part."),
        fails("One.\n***\nTwo.\n***\nThree."),
        passes("***\nOne.\n***\nTwo.\n***", "empty first and last pieces are not counted"),
    ],
)


def two_paragraphs_blank_line(response: str) -> bool:
    """Two paragraphs separated by exactly one blank line ("\\n\\n")."""
    return blocks_ok(response.split("\n\n"), 2)


define(
    "paragraphs:paragraphs2",
    category="format",
    description="Exactly two paragraphs separated by one blank line.",
    phrasings=[
        "Write exactly 2 paragraphs separated by a single blank line, and use no other blank lines.",
        "Your answer should consist of two paragraphs; the only empty line should be the one between them.",
        "Give two paragraphs divided by one empty line (two line breaks).",
    ],
    check=two_paragraphs_blank_line,
    tags=("prose", "no_code"),
    conflicts=Conflicts(ids={"length_constraints:number_paragraphs": "*** separators vs blank-line paragraphs"}),
    facts=lambda p: F.Facts().need("paragraphs", 2, 2),
    examples=[
        passes("First paragraph.\n\nSecond paragraph."),
        fails("First.\nStill first.", "a single line break does not separate paragraphs"),
        fails("One.\n\n\n\nTwo.", "two blank lines leave an empty piece in the middle"),
    ],
)
