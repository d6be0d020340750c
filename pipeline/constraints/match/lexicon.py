"""The words the matcher reads: numbers, bounds, quoted words, languages, and the framing it may ignore.

Kept apart from the rules so each rule reads as the sentence it recognises. Everything here is a plain
regex or a small parser; nothing guesses. A value that does not parse cleanly (a number word sequence
that is not a number, a keyword holding regex characters, a language without one langdetect code)
comes back as None, and the rule that asked for it then maps nothing.
"""

from __future__ import annotations

import re

# ---------------------------------------------------------------- normalising the text


_QUOTES = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "\u00a0": " "})


def normalise(text: str) -> str:
    """Straight quotes, one space between words, no list marker in front."""
    s = re.sub(r"\s+", " ", str(text).translate(_QUOTES)).strip()
    return re.sub(r"^(?:[-*•]|\d+[.)])\s+(?=\w)", "", s)


# Words that make a request soft, conditional or approximate. A constraint carrying one of them outside
# quotes is not the whole of any exact checker ("use 'very' sparingly", "if possible, avoid commas",
# "about 200 words"), so the matcher gives up on the text before trying a rule. Approximators count only
# before a number ("about 200 words", not "a story about a river" - which no rule maps anyway).
_SOFT = (
    r"try|tries|trying|attempt|if possible|where possible|whenever possible|when possible|if you can|where you can|"
    r"ideally|preferably|prefer|sparingly|if|unless|whenever|when|except|(?<!nothing )(?<!anything )but|though|"
    r"although|however|perhaps|maybe|might|could|feel free|optional|optionally|consider|appropriate|as needed|"
    r"as much as possible|mostly|generally|usually|typically|largely|mainly|primarily|too|some|several|few|many|"
    r"lots|a lot|a bit|a little|slightly|fairly|quite|rather|somewhat|more or less|give or take|similar|similarly|"
    r"etc|and so forth|sometimes|often|occasionally|recommended|encouraged|suggested|if needed|if necessary|"
    r"reasonable|reasonably"
)
_APPROX = r"(?:about|around|roughly|approximately|approx\.?|nearly|almost|close to|circa|some)\s+(?:\d|a\b|an\b|one|two|three|four|five|six|seven|eight|nine|ten|twenty|thirty|forty|fifty|hundred|dozen)"
_HEDGES = re.compile(rf"\b(?:{_SOFT})\b|\b{_APPROX}|\d\s*(?:-ish|ish|or so)\b|\bor so\b", re.IGNORECASE)
# a markdown fence offered as an option is not a hedge on the constraint ("optionally inside a ```yaml block")
_FENCE_OPTION = re.compile(r"\(?,?\s*optionally (?:in|inside) a ```\w* block\)?", re.IGNORECASE)
_QUOTED_SPAN = re.compile(r"'(?:[^'\n]|'(?=[A-Za-z]))+'|\"[^\"\n]+\"|<<[^>]*>>|```\w*")
_CONSTRAINED_OPTION = re.compile(r"my answer is (?:yes|no|maybe)\.?", re.IGNORECASE)


def hedged(text: str) -> bool:
    """True when a softening word occurs outside quoted words, examples and answer options."""
    bare = _CONSTRAINED_OPTION.sub(" ", _QUOTED_SPAN.sub(" ", _FENCE_OPTION.sub(" ", text)))
    return bool(_HEDGES.search(bare))


# Framing around a constraint that adds nothing to it: politeness, "make sure", "in your response, ...".
_RESP_NOUN = r"(?:response|answer|reply|output|text|writing|essay|message|post|story|poem|article)"
_PREFIXES = re.compile(
    r"^(?:(?:please|kindly|also|additionally|finally|always)[,:]?\s+"
    r"|(?:important|note|rule|constraint|requirement|instruction|formatting|format|style|length)\s*:\s*"
    r"|(?:make sure|ensure|be sure|remember|don't forget|do not forget|it is (?:important|essential|required|mandatory))"
    r"(?: that| to)?\s+"
    r"|(?:you (?:must|should|need to|have to|are required to|will need to)|i (?:want|need|would like) you to|"
    r"i'd like you to)\s+(?!not\b)"
    r"|you\s+(?=never\b|do not\b|don't\b|must not\b|should not\b)"
    rf"|(?:in|throughout|for) (?:your|the) (?:entire |whole |full |complete )?{_RESP_NOUN}\s*[,:]\s*"
    rf"|(?:somewhere )?in your {_RESP_NOUN},\s*)",
    re.IGNORECASE,
)
_SUFFIXES = re.compile(
    rf"(?:,?\s+(?:(?:anywhere |at any point )?(?:in|within|throughout|across) (?:your|the) "
    rf"(?:entire |whole |full |complete )?{_RESP_NOUN}|anywhere|at all|whatsoever|entirely|completely|"
    r"throughout|please|no exceptions|in what you write|in the reply|in your reply))\s*[.!;]*$",
    re.IGNORECASE,
)


def core(text: str) -> str:
    """The clause left once framing is peeled off both ends (repeatedly: "Please make sure that ...")."""
    s = text
    while True:
        t = _PREFIXES.sub("", s, count=1)
        t = _SUFFIXES.sub("", t, count=1).strip()
        if t == s:
            return s
        s = t


# ---------------------------------------------------------------- numbers

_UNITS = {
    w: i
    for i, w in enumerate(
        "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen "
        "sixteen seventeen eighteen nineteen".split()
    )
}
_TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
_WORD = "|".join(sorted([*_UNITS, *_TENS, "hundred", "thousand", "dozen", "single"], key=len, reverse=True))

# a number written as digits ("1,000", "80") or as words ("two hundred", "twenty-five", "a dozen")
NUM = rf"(?:\d{{1,3}}(?:,\d{{3}})+|\d+|(?:a\s+|half\s+a\s+)?(?:{_WORD})\b(?:(?:\s+and\s+|\s+|-)(?:{_WORD})\b)*)"


def parse_number(s: str | None) -> int | None:
    """Digits or English number words -> int; None for anything that is not one clean number."""
    if not s:
        return None
    s = s.strip().lower()
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        return int(s.replace(",", ""))
    s = {"once": "one time", "twice": "two times", "thrice": "three times"}.get(s, s)
    s = re.sub(r"(?:\s+or (?:more|fewer|less|greater))?\s+times?$", "", s)
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+|\d+", s):
        return int(s.replace(",", ""))
    special = {"a single": 1, "single": 1, "a dozen": 12, "dozen": 12, "half a dozen": 6}
    if s in special:
        return special[s]
    toks = [t for t in re.split(r"[\s-]+", s) if t != "and"]
    if toks and toks[0] == "a":  # "a hundred", "a thousand"
        toks = ["one", *toks[1:]]
        if len(toks) < 2 or toks[1] not in ("hundred", "thousand"):
            return None
    total, cur, last = 0, 0, ""
    for t in toks:
        if t in _UNITS:
            if last in _UNITS or (last in _TENS and _UNITS[t] >= 10) or (last in _TENS and _UNITS[t] == 0):
                return None
            cur += _UNITS[t]
        elif t in _TENS:
            if last in _UNITS or last in _TENS:
                return None
            cur += _TENS[t]
        elif t == "hundred":
            if not cur or cur >= 100:
                return None
            cur *= 100
        elif t == "thousand":
            if not cur:
                return None
            total, cur = total + cur * 1000, 0
        else:
            return None
        last = t
    return total + cur if toks else None


_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth".split()
ORDINAL = r"(?:\d+(?:-?th|st|nd|rd)|" + "|".join(_ORDINALS) + ")"  # "second", "2nd", "4-th"


def parse_ordinal(s: str | None) -> int | None:
    """'second' / '2nd' / '4-th' / '3' -> 2 / 2 / 4 / 3."""
    if not s:
        return None
    s = s.strip().lower()
    if s in _ORDINALS:
        return _ORDINALS.index(s) + 1
    m = re.fullmatch(r"(\d+)(?:-?th|st|nd|rd)?", s)
    return int(m.group(1)) or None if m else None


# ---------------------------------------------------------------- bounds ("at least", "no more than", ...)

# Each wording maps to one comparison with the number that follows (or precedes, for the POST forms).
_PRE_OPS = {
    ">=": "at least|at the least|at minimum|no fewer than|no less than|not fewer than|not less than|a minimum of|"
    "minimum of|minimum|min\\.?|upwards of",
    ">": "more than|over|above|greater than|in excess of|longer than",
    "<": "fewer than|less than|under|below|shorter than",
    "<=": "at most|at the most|no more than|not more than|a maximum of|maximum of|maximum|max\\.?|up to|"
    "no longer than|not longer than|no greater than|not exceeding|within|within a limit of",
    "==": "exactly|precisely|exactly and only",
}
_POST_OPS = {
    ">=": "or more|or greater|or above|or over|or longer|or higher|at least|at minimum|minimum|and up|and above",
    "<=": "or fewer|or less|or under|or below|or shorter|or lower|at most|at maximum|maximum|max|tops|and no more|"
    "and below|or under",
    "==": "exactly|no more,? no less|no more and no less|no more,? no fewer|no more and no fewer|"
    "no more and not fewer|and only once",
}
_VERB_OPS = {
    ">": "exceed|exceeds|go over|go beyond|surpass|run over|run longer than|be longer than|be more than|be over|"
    "is longer than|has more than"
}
_OPS: dict[str, str] = {}
for table in (_PRE_OPS, _POST_OPS, _VERB_OPS):
    for op, words in table.items():
        for w in words.split("|"):
            _OPS[re.sub(r"\\.\?|\\", "", w).replace(",?", "")] = op
_OPS.update(
    {
        "limit is": "<=",
        "no shorter than": ">=",
        "not shorter than": ">=",
        "to": "<=",
        "at": "<=",
        "max.": "<=",
        "min.": ">=",
        "no more, no less": "==",
        "no more, no fewer": "==",
    }
)

REL_PRE = "(?:" + "|".join(_PRE_OPS.values()) + ")"
REL_POST = "(?:" + "|".join(_POST_OPS.values()) + ")"
REL_VERB = "(?:" + "|".join(_VERB_OPS.values()) + ")"
REL_MID = "(?:or more|or fewer|or less|or greater)"  # "2 or more placeholders": the bound before the noun
_NEGATED = {">=": "<", ">": "<=", "<": ">=", "<=": ">"}


def op_of(words: str | None) -> str | None:
    if not words:
        return None
    return _OPS.get(re.sub(r"\s+", " ", words.strip().lower()))


def combine(ops: list[str | None], negated: bool) -> tuple[bool, str | None]:
    """The one comparison several bound words agree on, flipped by a negation ("do not write more than").
    Returns (ok, op); ok is False for a conflict ("at least 5 or fewer") or a negated exact/plain count."""
    found = {o for o in ops if o}
    if len(found) > 1:
        return False, None
    op = found.pop() if found else None
    if negated:
        if op not in _NEGATED:
            return False, None
        op = _NEGATED[op]
    return True, op


def ifeval_relation(op: str | None, n: int) -> tuple[str, int] | None:
    """IFEval's two relations are `< N` ("less than") and `>= N` ("at least"); the other bounds convert
    exactly: more than N == at least N+1, at most N == less than N+1. Exact and plain counts do not fit."""
    rel = {">=": ("at least", n), ">": ("at least", n + 1), "<": ("less than", n), "<=": ("less than", n + 1)}.get(
        op or ""
    )
    return rel if rel and rel[1] >= 1 else None


def at_least(op: str | None, n: int, plain: bool = False) -> int | None:
    v = {">=": n, ">": n + 1}.get(op or "", n if plain and op is None else None)
    return v if v is not None and v >= 1 else None


def at_most(op: str | None, n: int) -> int | None:
    v = {"<=": n, "<": n - 1}.get(op or "")
    return v if v is not None and v >= 1 else None


def exactly(op: str | None, n: int, plain: bool = True) -> int | None:
    if op == "==" or (plain and op is None):
        return n if n >= 1 else None
    return None


# ---------------------------------------------------------------- words and phrases

# one quoted item: '...' (an apostrophe inside a word such as don't is kept) or "..."
QUOTED = r"(?:'(?:[^'\n]|'(?=[A-Za-z]))+'|\"[^\"\n]+\")"
BARE = r"[A-Za-z][A-Za-z'-]*"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+|nor\s+)?|\s+(?:and|or|nor)\s+)"
QLIST = rf"{QUOTED}(?:{_SEP}{QUOTED})*"
BLIST = rf"{BARE}(?:{_SEP}{BARE})*"

# bare words that are instructions or pronouns, never the keyword meant ("mention it twice")
_STOP = frozenset(
    "a an the it its this that these those them they one ones any some each every all word words keyword keywords "
    "term terms phrase phrases following above below your my our his her their what which who something anything "
    "everything nothing yourself itself letter letters name names number numbers topic".split()
)
_SAFE = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_ '-]*[A-Za-z0-9_])?")


def unquote(s: str) -> tuple[str, bool]:
    s = s.strip()
    if len(s) >= 2 and s[0] == s[-1] and s[0] in "'\"":
        return s[1:-1].strip(), True
    return s, False


def keyword(raw: str | None, max_words: int = 4) -> str | None:
    """A keyword the registry can take as given: letters, digits, spaces, hyphens and apostrophes only (the
    IFEval checkers read keywords as regular expressions, so a '.' or '+' would change what they count)."""
    if not raw:
        return None
    word, quoted = unquote(raw)
    if not _SAFE.fullmatch(word) or len(word.split()) > max_words or len(word) > 40:
        return None
    if not quoted and (" " in word or word.lower() in _STOP):
        return None
    return word


def keyword_list(raw: str | None, allow_or: bool) -> list[str] | None:
    """'a', 'b' and 'c' / a, b, or c -> [a, b, c]; None when an item is not a clean keyword or the list says
    "or" where every item must hold."""
    if not raw:
        return None
    if not allow_or and re.search(r"(?:^|[\s,])(?:or|nor)\s", re.sub(QUOTED, "", raw)):
        return None
    items = re.findall(QUOTED, raw) if raw.strip()[0] in "'\"" else re.split(_SEP, raw)
    if raw.strip()[0] in "'\"" and re.sub(_SEP, "", re.sub(QUOTED, "", raw)).strip():
        return None
    words = [keyword(i) for i in items]
    if not words or any(w is None for w in words):
        return None
    return [w for w in words if w is not None]


def phrase(raw: str | None, max_words: int = 14) -> str | None:
    """A quoted or trailing phrase, one sentence of at most `max_words` words."""
    if not raw:
        return None
    text, _ = unquote(raw)
    if not text or len(text.split()) > max_words or re.search(r"[.!?]\s+\S", text):
        return None
    return text


# ---------------------------------------------------------------- languages

# English names -> the langdetect codes the registry's language checker compares with. "Chinese" alone is
# left out on purpose: langdetect tells zh-cn from zh-tw, and the name does not say which.
LANGUAGE_CODES = {
    "english": "en",
    "spanish": "es",
    "french": "fr",
    "german": "de",
    "italian": "it",
    "portuguese": "pt",
    "dutch": "nl",
    "swedish": "sv",
    "finnish": "fi",
    "turkish": "tr",
    "russian": "ru",
    "arabic": "ar",
    "hindi": "hi",
    "japanese": "ja",
    "korean": "ko",
    "simplified chinese": "zh-cn",
    "traditional chinese": "zh-tw",
    "vietnamese": "vi",
    "thai": "th",
    "bengali": "bn",
    "bangla": "bn",
    "tamil": "ta",
    "telugu": "te",
    "marathi": "mr",
    "gujarati": "gu",
    "kannada": "kn",
    "punjabi": "pa",
    "urdu": "ur",
    "persian": "fa",
    "farsi": "fa",
    "swahili": "sw",
    "polish": "pl",
    "bulgarian": "bg",
    "ukrainian": "uk",
    "hebrew": "he",
    "nepali": "ne",
    "malayalam": "ml",
    "czech": "cs",
    "greek": "el",
    "romanian": "ro",
    "hungarian": "hu",
    "danish": "da",
    "norwegian": "no",
    "indonesian": "id",
}
LANG = "(?:" + "|".join(sorted(LANGUAGE_CODES, key=len, reverse=True)) + ")"
