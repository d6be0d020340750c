"""nltk's punkt sentence splitter (and Treebank words), same output, several times faster.

Verify asks punkt for the sentences of every response and of its eight loose
variants, and punkt is where verification spent half its time. Two costs, two fixes:

* the decision at each candidate period (`text_contains_sentbreak(context)`) is
  a pure function of a short context string ("plan. The") and the fixed model;
  the variants of a response, and the responses of a run, share most contexts,
  so the decision is memoised (bounded);
* the scan around it (finding candidates, the word before each, realigning
  closing quotes) ran through several generator layers and nltk's regex timeout
  wrapper; `_spans` does the same steps in one loop on the same compiled
  patterns (nltk 3.10 logic: `_match_potential_end_contexts`, `_slices_from_text`,
  `_realign_boundaries`).

Treebank words (`bare_treebank`) run NLTKWordTokenizer's ~40 substitutions per
sentence in nltk's order on nltk's patterns, skipping each one that cannot match
(e.g. no quote char, no "--"): most sentences need a handful.

`fast_ok()` compares the fast scan with nltk's own on tricky texts when the
tokenizer is built and falls back to nltk's code if they ever differ (another
nltk version); tests/constraints/test_text_punkt.py compares them on many texts.
"""

from __future__ import annotations

import functools

from nltk.tokenize import PunktTokenizer

_WS = (" ", "\t", "\n", "\r", "\x0b", "\x0c")  # string.whitespace, what nltk's scan tests against

SELF_CHECK = (
    "Dr. Smith arrived at 5 p.m. on Monday. He left (quietly.) Then \"Go!\" she said. 'Yes.' Fine...",
    "It works... mostly. Prices rose by 3.5 percent. e.g. apples. U.S. embassy. Is it? Yes! No.",
    "Very bad acting!!! I promise. (Sent1.) Sent2. \u201cQuoted.\u201d Next.\u00bb Done.-- dash. End.  ",
    '* one.\n* two!\n\n1. First. 2. Second.\nP.S. note.\n\n<<Title>>\n"A." "B." ))) x. ) y.',
    "   ",
    "",
    "No period at all",
    "a.b.c. d. E. F.G. Mr. X. ... .. ?! !? .\n.\n",
)


def _unwrap(pattern):
    """nltk 3.10 wraps compiled patterns to add a timeout; the bare pattern matches alike."""
    return getattr(pattern, "_rx", pattern)


class MemoPunkt(PunktTokenizer):
    _memo_sentbreak = functools.lru_cache(maxsize=1 << 16)(PunktTokenizer.text_contains_sentbreak)

    def __init__(self, lang: str = "english") -> None:
        super().__init__(lang)
        self._period_rx = _unwrap(self._lang_vars.period_context_re())
        self._realign_rx = _unwrap(self._lang_vars.re_boundary_realignment)
        self._fast = True
        self._fast = self.fast_ok()

    def text_contains_sentbreak(self, text: str) -> bool:
        return MemoPunkt._memo_sentbreak(self, text)

    def _get_last_whitespace_index(self, text: str) -> int:
        # nltk scans char by char from the end; rfind per whitespace char gives the same answer
        return max(
            0,
            text.rfind(" "),
            text.rfind("\t"),
            text.rfind("\n"),
            text.rfind("\r"),
            text.rfind("\x0b"),
            text.rfind("\x0c"),
        )

    def fast_ok(self) -> bool:
        return all(self._spans(t) == list(super(MemoPunkt, self).span_tokenize(t)) for t in SELF_CHECK)

    def span_tokenize(self, text: str, realign_boundaries: bool = True):
        if self._fast and realign_boundaries:
            return iter(self._spans(text))
        return super().span_tokenize(text, realign_boundaries)

    def sentences_from_text(self, text: str, realign_boundaries: bool = True) -> list[str]:
        return [text[s:e] for s, e in self.span_tokenize(text, realign_boundaries)]

    def _spans(self, text: str) -> list[tuple[int, int]]:
        breaks = self._breaks(text)
        # realign: closing punctuation that opens the next slice joins the previous sentence
        out: list[tuple[int, int]] = []
        realign = 0
        match = self._realign_rx.match
        last = len(breaks) - 1
        for k, (start, stop) in enumerate(breaks):
            start += realign
            if k == last:
                if start < stop:
                    out.append((start, stop))
                break
            nstart, nstop = breaks[k + 1]
            m = match(text[nstart:nstop])
            if m:
                out.append((start, nstart + len(m.group(0).rstrip())))
                realign = m.end()
            else:
                realign = 0
                if start < stop:
                    out.append((start, stop))
        return out

    def _breaks(self, text: str) -> list[tuple[int, int]]:
        """nltk's _slices_from_text over _match_potential_end_contexts, as (start, stop)."""
        sentbreak = self.text_contains_sentbreak
        spaces = [c for c in _WS if c in text]  # usually " " and "\n" only
        slices: list[tuple[int, int]] = []
        last_break = 0
        prev = None  # previous candidate match
        prev_start = prev_stop = 0  # slice of the word before it
        for m in self._period_rx.finditer(text):
            mstart = m.start()
            # the last whitespace in text[prev_stop:mstart]; nltk treats one at offset 0 as none
            i = max([text.rfind(c, prev_stop, mstart) for c in spaces], default=-1)
            word_start = i + 1 if i > prev_stop else prev_start
            if prev is not None and prev_stop <= word_start:
                if sentbreak(text[prev_start:prev_stop] + prev.group() + prev.group("after_tok")):
                    slices.append((last_break, prev.end()))
                    last_break = prev.start("next_tok") if prev.group("next_tok") else prev.end()
            prev, prev_start, prev_stop = m, word_start, mstart
        if prev is not None:
            if sentbreak(text[prev_start:prev_stop] + prev.group() + prev.group("after_tok")):
                slices.append((last_break, prev.end()))
                last_break = prev.start("next_tok") if prev.group("next_tok") else prev.end()
        slices.append((last_break, len(text.rstrip())))
        return slices


# For each NLTKWordTokenizer pattern (nltk 3.10), chars of which every match holds
# at least one: when the text being rewritten holds none, the substitution is a no-op
# and is skipped. None = always run. Checked against nltk's pattern list on load.
_START_TRIGGERS = ("\u00ab\u201c\u2018\u201e`", '"', "`", "\"'", "'")
_PUNCT_TRIGGERS = (".", ":,", ":,", ".", ";@#$%&", "\u2012\u2013\u2014\u2015", ".", "?!", "'", "*")
_END_TRIGGERS = ("\u00bb\u201d\u2019", "'", '"', None, "'", "'")
_CONTRACTION_WORDS = ("cannot", "d'ye", "gimme", "gonna", "gotta", "lemme", "more'n", "wanna", "'tis", "'twas")
_EXPECTED = (
    (
        "([\u00ab\u201c\u2018\u201e]|[`]+)",
        '^\\"',
        "(``)",
        "([ \\(\\[{<])(\\\"|\\'{2})",
        "(?i)(?<!\\w)(\\')(?!(?:re|ve|ll|m|t|s|d|n)\\b)(?=\\w)",
    ),
    (
        "([^\\.])(\\.)([\\]\\)}>\"\\'\u00bb\u201d\u2019 ]*+)\\s*$",
        "([:,])([^\\d])",
        "([:,])$",
        "\\.{2,}",
        "[;@#$%&]",
        "[\\u2012-\\u2015]",
        "([^\\.])(\\.)([\\]\\)}>\"\\']*)\\s*$",
        "[?!]",
        "([^'])' ",
        "[*]",
    ),
    (
        "([\u00bb\u201d\u2019])",
        "''",
        '"',
        "\\s+",
        "([^' ])('[sS]|'[mM]|'[dD]|') ",
        "([^' ])('ll|'LL|'re|'RE|'ve|'VE|n't|N'T) ",
    ),
    (
        "(?i)\\b(can)(?#X)(not)\\b",
        "(?i)\\b(d)(?#X)('ye)\\b",
        "(?i)\\b(gim)(?#X)(me)\\b",
        "(?i)\\b(gon)(?#X)(na)\\b",
        "(?i)\\b(got)(?#X)(ta)\\b",
        "(?i)\\b(lem)(?#X)(me)\\b",
        "(?i)\\b(more)(?#X)('n)\\b",
        "(?i)\\b(wan)(?#X)(na)(?=\\s)",
        "(?i) ('t)(?#X)(is)\\b",
        "(?i) ('t)(?#X)(was)\\b",
    ),
)


class _Treebank:
    """nltk's NLTKWordTokenizer.tokenize, step for step on nltk's own compiled
    patterns (unwrapped from the timeout layer), skipping each substitution that
    cannot match the current text (see the trigger tables). Falls back to nltk's
    tokenizer if its pattern list is not the one the tables describe."""

    def __init__(self) -> None:
        from nltk.tokenize import NLTKWordTokenizer as T

        self._plain = T()
        self._start = [(_unwrap(r), s, t) for (r, s), t in zip(T.STARTING_QUOTES, _START_TRIGGERS, strict=True)]
        self._punct = [(_unwrap(r), s, t) for (r, s), t in zip(T.PUNCTUATION, _PUNCT_TRIGGERS, strict=True)]
        self._end = [(_unwrap(r), s, t) for (r, s), t in zip(T.ENDING_QUOTES, _END_TRIGGERS, strict=True)]
        self._parens = (_unwrap(T.PARENS_BRACKETS[0]), T.PARENS_BRACKETS[1])
        self._dashes = (_unwrap(T.DOUBLE_DASHES[0]), T.DOUBLE_DASHES[1])
        self._contractions = [_unwrap(r) for r in [*T.CONTRACTIONS2, *T.CONTRACTIONS3]]
        found = (
            tuple(r.pattern for r, _s, _t in self._start),
            tuple(r.pattern for r, _s, _t in self._punct),
            tuple(r.pattern for r, _s, _t in self._end),
            tuple(r.pattern for r in self._contractions),
        )
        self.fast = (
            found == _EXPECTED and self._parens[0].pattern == r"[\]\[\(\)\{\}\<\>]" and self._dashes[0].pattern == "--"
        )
        # and nltk still applies them in the order tokenize() below assumes
        self.fast = self.fast and all(self.tokenize(t) == self._plain.tokenize(t) for t in SELF_CHECK)

    def tokenize(self, text: str) -> list[str]:
        if not self.fast:
            return self._plain.tokenize(text)
        for r, sub, trig in self._start:
            if any(map(text.__contains__, trig)):
                text = r.sub(sub, text)
        for r, sub, trig in self._punct:
            if any(map(text.__contains__, trig)):
                text = r.sub(sub, text)
        if any(map(text.__contains__, "[](){}<>")):
            text = self._parens[0].sub(self._parens[1], text)
        if "--" in text:
            text = self._dashes[0].sub(self._dashes[1], text)
        text = " " + text + " "
        for r, sub, end_trig in self._end:
            if end_trig is None or any(map(text.__contains__, end_trig)):
                text = r.sub(sub, text)
        # (?i) patterns: a lowercase substring test is exact on ASCII text only
        if not text.isascii() or any(map(text.lower().__contains__, _CONTRACTION_WORDS)):
            for r in self._contractions:
                text = r.sub(r" \1 \2 ", text)
        return text.split()


@functools.lru_cache(maxsize=1)
def bare_treebank() -> _Treebank:
    return _Treebank()
