"""Test oracle: a plain, loop-by-loop restatement of the IFEvalG training rules.

No PyPI package ships open-instruct's IFEvalG checkers, so this module states
each rule of `open_instruct/IFEvalG/instructions.py` (and the sentence splitter
of `instructions_util.py`) again, as simply as possible, and independently of
`pipeline/constraints/iftrain_*.py`: character loops where the implementation
uses regular expressions, `nltk.word_tokenize` itself where the implementation
composes punkt + Treebank. The differential tests compare the two on generated
responses. Keywords and phrase words are treated as literal text here (the
generators only use plain words); the regex behaviour upstream has for them is
pinned separately in the quirk tests.
"""

from __future__ import annotations

import string

import nltk

from pipeline.constraints import text as _text

if _text.nltk_data_dir() and _text.nltk_data_dir() not in nltk.data.path:
    nltk.data.path.insert(0, _text.nltk_data_dir())

KEEP, CUT = "\x00", "\x01"
LETTERS = string.ascii_letters
UPPER = string.ascii_uppercase
DIGITS = "0123456789"
TITLES = ("Mr", "St", "Mrs", "Ms", "Dr")
WEB = ("com", "net", "org", "io", "gov", "edu", "me")
COMPANY = ("Inc", "Ltd", "Jr", "Sr", "Co")
# Sentence openers; those marked True must be followed by one whitespace character.
OPENERS = (
    ("Mr", False),
    ("Mrs", False),
    ("Ms", False),
    ("Dr", False),
    ("Prof", False),
    ("Capt", False),
    ("Cpt", False),
    ("Lt", False),
    ("He", True),
    ("She", True),
    ("It", True),
    ("They", True),
    ("Their", True),
    ("Our", True),
    ("We", True),
    ("But", True),
    ("However", True),
    ("That", True),
    ("This", True),
    ("Wherever", False),
)


def _at(s: str, i: int) -> str:
    return s[i] if 0 <= i < len(s) else ""


def _scan(s: str, try_at) -> str:
    """Left-to-right, non-overlapping rewrite: try_at(s, i) -> (length, replacement) or None."""
    out, i = [], 0
    while i < len(s):
        hit = try_at(s, i)
        if hit:
            out.append(hit[1])
            i += hit[0]
        else:
            out.append(s[i])
            i += 1
    return "".join(out)


def _opener_len(s: str, i: int) -> int:
    for word, needs_space in OPENERS:
        if s.startswith(word, i):
            if not needs_space:
                return len(word)
            if _at(s, i + len(word)).isspace():
                return len(word) + 1
    return 0


def _titles(s, i):
    for t in TITLES:
        if s.startswith(t + ".", i):
            return len(t) + 1, t + KEEP
    return None


def _web(s, i):
    if s[i] == "." and any(s.startswith(w, i + 1) for w in WEB):
        return 1, KEEP
    return None


def _decimal(s, i):
    if s[i] in DIGITS and _at(s, i + 1) == "." and _at(s, i + 2) in DIGITS and _at(s, i + 2):
        return 3, s[i] + KEEP + s[i + 2]
    return None


def _dot_run(s, i):
    j = i
    while _at(s, j) == ".":
        j += 1
    return (j - i, KEEP * (j - i) + CUT) if j - i >= 2 else None


def _phd(s, i):
    return (5, "Ph" + KEEP + "D" + KEEP) if s.startswith("Ph.D.", i) else None


def _initial(s, i):
    if s[i].isspace() and _at(s, i + 1) in LETTERS and _at(s, i + 1) and s[i + 2 : i + 4] == ". ":
        return 4, " " + s[i + 1] + KEEP + " "
    return None


def _acronym_opener(s, i):
    def acronym(n):
        return all(_at(s, i + 2 * k) in UPPER and _at(s, i + 2 * k) and _at(s, i + 2 * k + 1) == "." for k in range(n))

    for n in (3, 2):
        if acronym(n) and _at(s, i + 2 * n) == " ":
            k = _opener_len(s, i + 2 * n + 1)
            if k:
                return 2 * n + 1 + k, s[i : i + 2 * n] + CUT + " " + s[i + 2 * n + 1 : i + 2 * n + 1 + k]
    return None


def _letter_dots(n):
    def rule(s, i):
        if all(_at(s, i + 2 * k) in LETTERS and _at(s, i + 2 * k) and _at(s, i + 2 * k + 1) == "." for k in range(n)):
            return 2 * n, "".join(s[i + 2 * k] + KEEP for k in range(n))
        return None

    return rule


def _company_opener(s, i):
    if s[i] != " ":
        return None
    for c in COMPANY:
        if s.startswith(c + ". ", i + 1):
            k = _opener_len(s, i + len(c) + 3)
            if k:
                start = i + len(c) + 3
                return len(c) + 3 + k, " " + c + CUT + " " + s[start : start + k]
    return None


def _company(s, i):
    if s[i] == " ":
        for c in COMPANY:
            if s.startswith(c + ".", i + 1):
                return len(c) + 2, " " + c + KEEP
    return None


def _space_letter(s, i):
    if s[i] == " " and _at(s, i + 1) in LETTERS and _at(s, i + 1) and _at(s, i + 2) == ".":
        return 3, " " + s[i + 1] + KEEP
    return None


def sentences(text: str) -> list[str]:
    """IFEvalG `split_into_sentences`: protect abbreviation dots, cut after . ? !"""
    s = " " + text.replace("\n", " ") + "  "
    for rule in (
        _titles,
        _web,
        _decimal,
        _dot_run,
        _phd,
        _initial,
        _acronym_opener,
        _letter_dots(3),
        _letter_dots(2),
        _company_opener,
        _company,
        _space_letter,
    ):
        s = _scan(s, rule)
    s = s.replace(".\u201d", "\u201d.").replace('."', '".').replace('!"', '"!').replace('?"', '"?')
    out = []
    for ch in s:
        out.append(ch)
        if ch in ".?!":
            out.append(CUT)
    pieces = [p.strip() for p in "".join(out).replace(KEEP, ".").split(CUT)]
    if pieces and pieces[-1] == "":
        pieces = pieces[:-1]
    return pieces


def words(text: str) -> list[str]:
    return nltk.word_tokenize(text)


def is_word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def count_literal(needle: str, hay: str) -> int:
    """Non-overlapping, case-insensitive occurrences of plain text."""
    needle, hay = needle.lower(), hay.lower()
    n, i = 0, hay.find(needle)
    while needle and i != -1:
        n += 1
        i = hay.find(needle, i + len(needle))
    return n


def compare(n: int, k: int, relation: str) -> bool:
    return n < k if relation == "less than" else n >= k


def split_stars(text: str) -> list[str]:
    """re.split on: optional whitespace, ***, optional whitespace."""
    parts, cur, i = [], [], 0
    while i < len(text):
        if text[i].isspace() and text[i + 1 : i + 4] == "***":
            start_len = 4
        elif text[i : i + 3] == "***":
            start_len = 3
        else:
            cur.append(text[i])
            i += 1
            continue
        i += start_len
        if i < len(text) and text[i].isspace():
            i += 1
        parts.append("".join(cur))
        cur = []
    parts.append("".join(cur))
    return parts


def paragraphs_ok(parts: list[str], want: int) -> bool:
    n = len(parts)
    for idx, p in enumerate(parts):
        if p.strip() == "":
            if idx == 0 or idx == len(parts) - 1:
                n -= 1
            else:
                return False
    return n == want


def lazy_phrase_hits(first: str, last: str, text: str) -> list[str]:
    """Matches of "first .*? last" found left to right; '.' does not cross newlines."""
    hits, p = [], 0
    head, tail = first + " ", " " + last
    while p < len(text):
        if text.startswith(head, p):
            q = p + len(head)
            while q <= len(text):
                if text.startswith(tail, q):
                    break
                if q == len(text) or text[q] == "\n":
                    q = -1
                    break
                q += 1
            if q != -1 and q <= len(text) and text.startswith(tail, q):
                hits.append(text[p : q + len(tail)])
                p = q + len(tail)
                continue
        p += 1
    return hits


def repeat_phrase(r, phrase, small_n):
    ref = phrase.split()
    hits = lazy_phrase_hits(ref[0], ref[-1], r)
    if len(hits) != small_n or small_n == 0:
        return False
    diffs = 0
    for h in hits:
        ws = h.split()
        if len(ws) != len(ref):
            return False
        diffs = 0
        for a, b in zip(ws, ref):
            if a != b:
                diffs += 1
        if diffs > 1:
            return False
    return diffs == 1


def same(a, b):
    return a.strip().lower() == b.strip().lower()


def sentence_hyphens(r):
    gold = sentences(r.replace("-", " "))
    pieces = r.split("-")
    for k in range(min(len(gold), len(pieces))):
        if pieces[k].strip() != pieces[k] or pieces[k] != gold[k]:
            return False
    return True


def no_adjacent_consecutive(r):
    toks = r.split()
    for k in range(len(toks) - 1):
        a, b = toks[k][0].lower(), toks[k + 1][0].lower()
        if len(a) != 1 or len(b) != 1 or ord(b) == ord(a) + 1:
            return False
    return True


def last_clean(tok):
    return "".join(c for c in tok if is_word_char(c))


def first_word_sent(r, first_word):
    for s in sentences(r):
        if s.strip() == "" or s.split()[0].lower() != first_word.strip().lower():
            return False
    return True


def last_word_sent(r, last_word):
    for s in sentences(r):
        if s.strip() == "" or last_clean(s.split()[-1]).lower() != last_word.strip().lower():
            return False
    return True


def bigram_wrapping(r):
    toks = r.split()
    k = 0
    while k + 1 < len(toks):
        if not (toks[k].startswith("<<") and toks[k + 1].endswith(">>")):
            return False
        k += 2
    return True


def lowercase_words(r):
    n, run = 0, ""
    for c in r + " ":
        if is_word_char(c):
            run += c
        else:
            if run and all(ch in string.ascii_lowercase for ch in run):
                n += 1
            run = ""
    return n


def counting_composition(r, n_sent, n_words):
    parts = split_stars(r)
    n = len(parts)
    for idx, p in enumerate(parts):
        if p.strip() == "":
            if idx not in (0, len(parts) - 1):
                return False
            n -= 1
        ss = sentences(p)
        if len(ss) != n_sent:
            return False
        for s in ss:
            if len(words(s)) != n_words:
                return False
    return n == 3


def count_unique(r):
    seen = set()
    for w in words(r):
        if w in seen:
            return False
        seen.add(w)
    return True


def keyword_specific_position(r, keyword, n, m):
    ss = sentences(r)
    if len(ss) < n:
        return False
    ws = words(ss[n - 1])
    return len(ws) >= m and ws[m - 1] == keyword.strip()


def start_end(r):
    ws = words(r)
    return len(ws) >= 2 and ws[0].lower() == ws[-1].lower()


RULES = {
    "copy:repeat_phrase": repeat_phrase,
    "copy:copy": lambda r, prompt_to_repeat: same(r, prompt_to_repeat),
    "new:copy_span_idx": lambda r, prompt_to_repeat, n_start, n_end: same(r, prompt_to_repeat[n_start:n_end]),
    "detectable_format:sentence_hyphens": sentence_hyphens,
    "keywords:no_adjacent_consecutive": no_adjacent_consecutive,
    "detectable_format:square_brackets": lambda r: all(t[0] == "[" and t[-1] == "]" for t in r.split()),
    "keywords:word_once": lambda r, keyword: count_literal(keyword.strip(), r) == 1,
    "keywords:word_count_different_numbers": lambda r, keyword, frequency, relation: compare(
        count_literal(keyword.strip(), r), frequency, relation
    ),
    "keywords:exclude_word_harder": lambda r, keyword, instruction=None: (" " + keyword.strip() + " ") not in r,
    "paragraphs:paragraphs": lambda r: paragraphs_ok(split_stars(r), 2),
    "paragraphs:paragraphs2": lambda r: paragraphs_ok(r.split("\n\n"), 2),
    "first_word:first_word_sent": first_word_sent,
    "first_word:first_word_answer": lambda r, first_word: (
        len(r.split()) > 0 and r.split()[0].lower() == first_word.strip().lower()
    ),
    "last_word:last_word_sent": last_word_sent,
    "last_word:last_word_answer": lambda r, last_word: (
        len(r.split()) > 0 and last_clean(r.split()[-1]).lower() == last_word.strip().lower()
    ),
    "detectable_format:bigram_wrapping": bigram_wrapping,
    "copy:copying_simple": lambda r, prompt_to_repeat: same(r, prompt_to_repeat),
    "copy:copying_multiple": lambda r, prompt_to_repeat, N: (
        len(r.split("******")) == N and all(same(p, prompt_to_repeat) for p in r.split("******"))
    ),
    "punctuation:punctuation_dot": lambda r: all(c != "." for c in r),
    "punctuation:punctuation_exclamation": lambda r: all(c != "!" for c in r),
    "count:lowercase_counting": lambda r, N: lowercase_words(r) <= N,
    "letters:letter_counting": lambda r, N, relation: compare(sum(c in LETTERS for c in r), N, relation),
    "letters:letter_counting2": lambda r, letter, let_frequency, let_relation: compare(
        sum(c == letter.lower() for c in r.lower()), let_frequency, let_relation
    ),
    "count:counting_composition": counting_composition,
    "count:count_unique": count_unique,
    "count:count_increment_word": lambda r, keyword1, keyword2: (
        count_literal(keyword1, r) == 1 and count_literal(keyword2, r) == 2
    ),
    "keywords:palindrome": lambda r: any(t == "".join(reversed(t)) for t in r.split()),
    "keywords:keyword_specific_position": keyword_specific_position,
    "keywords:start_end": start_end,
}


def strict(cid: str, response: str, params: dict) -> bool:
    if not response.strip():
        return False
    return bool(RULES[cid](response, **params))


def loose(cid: str, response: str, params: dict) -> bool:
    """IFEval loose scoring: any of the response, it without its first line, without
    its last line, without both, and each of those with asterisks deleted."""
    lines = response.split("\n")
    cut = ["\n".join(lines[1:]).strip(), "\n".join(lines[:-1]).strip(), "\n".join(lines[1:-1]).strip()]
    variants = [response, *cut]
    variants += [v.replace("*", "") for v in variants]
    return any(v.strip() and RULES[cid](v, **params) for v in variants)
