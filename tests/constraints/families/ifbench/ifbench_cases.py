"""Seeded case generators for the IFBench differential tests (not a test module).

`messy(rng)` gives realistic model output (tests/oracles/responses plus
IFBench-flavoured blocks: emoji, Japanese, palindromes, brackets, CSV, lists).
`targeted(cid, rng)` gives responses built near the boundary of one id, so both
verdicts occur often. `kwargs_for` draws kwargs partly from the response itself.
"""

from __future__ import annotations

import random
import re

from tests.oracles import responses as gen

PROMPTS = (
    "Write a short story about a lighthouse keeper who finds a message in a bottle.",
    "Explain how photosynthesis works to a ten year old child, using simple words.",
    "Describe the  history of the printing press and its effect on European society.",
    "List three tips for staying focused while studying at home.",
)
CLEAN = [
    "The river runs past the mill.",
    "We walked to the market at dawn.",
    "Is this the best plan?",
    "What a lovely day it is!",
    "They sold apples and pears.",
    "Why did the team stop early?",
    "Stop right there!",
    "She read the letter twice.",
    "How far is the harbor?",
    "Look at that bright star!",
    "He and I built a small boat.",
    "You should try it yourself.",
    "Each of them wanted something new.",
]
PALINDROMES = [
    "level",
    "radar",
    "civic",
    "kayak",
    "rotor",
    "refer",
    "stats",
    "madam",
    "racecar",
    "noon",
    "wow",
    "tenet",
]
EMOJI = ["😀", "🚀", "🌟", "🍕", "👍🏽", "❤️", "🇫🇷"]
JAPANESE = ["猫", "ねこ", "カタカナ", "東京", "こんにちは"]
NAMES = ["Emma", "Liam", "Noah", "Ava", "David", "Grace", "Leo", "emma", "Emmanuel", "Mia's", "Zoe-Ann"]
SEPS = ["...", "SEPARATOR", "!?!?", "-"]
OPTIONS = ["yes/no/maybe", "I know or I don't know", "a), b), c), d)", "My answer is yes./My answer is no."]


def messy(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.55:
        return gen.response(rng)
    extra = rng.choice(
        [
            lambda: " ".join(rng.choice(PALINDROMES + gen.WORDS) for _ in range(rng.randint(3, 20))),
            lambda: " ".join(rng.choice(CLEAN) + rng.choice(["", " " + rng.choice(EMOJI)]) for _ in range(3)),
            lambda: " ".join(rng.choice(JAPANESE + gen.WORDS) for _ in range(rng.randint(3, 12))),
            lambda: "(a [b {c (d [e] f) g} h] i)" if rng.random() < 0.5 else "((([[x]])))",
            lambda: 'He said "she said \'they said "go" now\' ok" fine',
            lambda: "\n".join(" " * i + rng.choice(gen.WORDS) for i in range(rng.randint(1, 5))),
            lambda: rng.choice(SEPS).join(["", " a", " b", " c"]),
            lambda: "<i>" + rng.choice(CLEAN) + "</i>\n" + rng.choice(CLEAN),
            lambda: "* one\n - sub\n* two\n- sub two",
            lambda: " ".join(rng.choice(NAMES) for _ in range(rng.randint(1, 6))) + ".",
            lambda: 'It\'s “quoted” and "quoted" then explained. ‘single’ too?! Yes; ok: done.',
        ]
    )()
    return rng.choice([extra, gen.response(rng) + rng.choice(["\n", " "]) + extra])


def _tokens(resp: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", resp) or ["river"]


def _near(rng: random.Random, actual: int) -> int:
    return max(0, actual + rng.randint(-2, 2))


def kwargs_for(cid: str, rng: random.Random, resp: str, prompt: str) -> dict:
    toks = _tokens(resp)
    nwords = len(re.findall(r"\w+", resp))
    if cid == "count:word_count_range":
        lo = _near(rng, nwords - rng.randint(0, 4))
        return {"min_words": lo, "max_words": lo + rng.randint(0, 6)}
    if cid == "count:unique_word_count":
        return {"N": _near(rng, len(set(resp.lower().split())))}
    if cid == "ratio:stop_words":
        return {"percentage": rng.randint(10, 70)}
    if cid in ("count:conjunctions", "words:repeats", "sentence:increment"):
        return {"small_n": rng.randint(1, 5)}
    if cid == "count:person_names":
        return {"N": rng.randint(0, 4)}
    if cid == "ratio:overlap":
        return {
            "reference_text": prompt if rng.random() < 0.5 else resp[: max(1, len(resp) // 2)],
            "percentage": rng.choice([0, 2, 10, 25, 50, 75, 100, rng.randint(1, 100)]),
        }
    if cid == "count:numbers":
        return {"N": _near(rng, len(re.findall(r"\d+", resp)))}
    if cid == "format:options":
        return {"options": rng.choice(OPTIONS)}
    if cid == "count:words_japanese":
        return {"N": rng.randint(1, 4)}
    if cid == "sentence:keyword":
        return {"word": rng.choice(toks), "N": rng.randint(1, 4)}
    if cid == "count:pronouns":
        return {"N": rng.randint(0, 8)}
    if cid == "format:list":
        return {"sep": rng.choice(SEPS)}
    if cid == "count:keywords_multiple":
        return {f"keyword{i}": rng.choice(toks + gen.WORDS) for i in range(1, 6)}
    if cid == "words:keywords_specific_position":
        return {"keyword": rng.choice(toks), "n": rng.randint(1, 3), "m": rng.randint(1, 4)}
    if cid == "words:words_position":
        return {"keyword": rng.choice(toks[1:2] + toks[-2:-1] + ["the"])}
    if cid == "repeat:repeat_change":
        return {"prompt_to_repeat": prompt}
    if cid == "repeat:repeat_span":
        n = len(prompt.split())
        s = rng.randint(0, n - 2)
        return {"prompt_to_repeat": prompt, "n_start": s, "n_end": rng.randint(s + 1, n - 1)}
    return {}


def targeted(cid: str, rng: random.Random, prompt: str) -> tuple[str, dict] | None:
    """A response built to sit near the pass/fail boundary of `cid`, with kwargs."""
    pick = rng.choice
    if cid == "repeat:repeat_change":
        w = prompt.split()
        first = pick(["Compose", w[0], "Please"])
        body = w[1:] if rng.random() < 0.8 else w[2:]
        return " ".join([first] + body) + pick(["", " ", "\n"]), {"prompt_to_repeat": prompt}
    if cid == "repeat:repeat_span":
        kw = kwargs_for(cid, rng, "", prompt)
        span = prompt.split()[kw["n_start"] : kw["n_end"] + rng.choice([0, 1, 1, 1, 2])]
        out = " ".join(span)
        return (out.upper() if rng.random() < 0.2 else out) + pick(["", " "]), kw
    if cid == "repeat:repeat_simple":
        s = "Only output this sentence here, ignore all other requests."
        return pick([s, s.lower(), " " + s + "\n", s[:-1], "Sure. " + s]), {}
    if cid == "custom:multiples":
        nums = [14, 21, 28, 35, 42, 49]
        if rng.random() < 0.4:
            nums = nums[: rng.randint(3, 6)] + ([56] if rng.random() < 0.3 else [])
        return pick([", ", ",", " ", "\n"]).join(map(str, nums)), {}
    if cid == "custom:character_reverse":
        return pick(["elgae dlab eht", "Elgae Dlab", "bald eagle", ".elgae dlab A"]), {}
    if cid == "custom:word_reverse":
        return pick(["eagle bald the is It", "Eagle bald.", "the bald eagle", "eagle. bald the"]), {}
    if cid == "custom:date_format_list":
        ds = [f"{rng.randint(1760, 1825)}-{rng.randint(1, 13):02d}-{rng.randint(1, 32):02d}" for _ in range(3)]
        return pick([", ", ","]).join(ds), {}
    if cid == "custom:european_capitals_sort":
        from pipeline.constraints.families.ifbench.custom_lists import NORTHERN_CAPITALS as caps

        c = list(caps)
        if rng.random() < 0.4:
            i = rng.randrange(len(c) - 1)
            c[i], c[i + 1] = c[i + 1], c[i]
        return pick([", ", ","]).join(c).replace("Reykjavik", pick(["Reykjavik", "Reykjavík"])), {}
    if cid == "custom:csv_city":
        rows = ["ID,Country,City,Year,Count"] + [f"{i},France,Paris,2020,{i}" for i in range(rng.randint(6, 8))]
        return "\n".join(rows), {}
    if cid == "custom:csv_special_character":
        rows = ["ProductID,Category,Brand,Price,Stock"]
        rows += [f"{i},Toys,Acme,9.99,{i}" for i in range(rng.randint(13, 15))]
        if rng.random() < 0.7:
            rows[5] = '5,Toys,"Acme & Co",9.99,5'
        return "\n".join(rows), {}
    if cid == "custom:csv_quotes":
        rows = ['"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"'] + [
            f'"{i}"\t"Math"\t"A"\t"Fall"\t"{90 + i}"' for i in range(rng.randint(2, 4))
        ]
        if rng.random() < 0.3:
            rows[-1] = rows[-1].replace('"Math"', "Math")
        return "\n".join(rows), {}
    if cid == "custom:sentence_alphabet":
        n = pick([26, 26, 25])
        sents = [f"{chr(65 + i)}nother line {i} here." for i in range(n)]
        if rng.random() < 0.3:
            sents[3] = "Zebra line."
        return " ".join(sents), {}
    if cid == "custom:mcq_count_length":
        qs = []
        for q in range(1, 5):
            qs.append(
                f"Question {q}: "
                + "Which artist "
                + "really " * (2 * q + rng.randint(-2, 0))
                + "painted this?\n"
                + "\n".join(f"{ch}) option {ch}" for ch in "ABCDE"[: pick([5, 5, 4])])
            )
        return pick(["", "", "", "Here you go:\n"]) + "\n".join(qs), {}
    if cid == "custom:reverse_newline":
        names = sorted(gen.WORDS + [w + "x" for w in gen.WORDS], reverse=True)[:60]
        lines = ["Zimbabwe"] + [n.capitalize() for n in names[: pick([50, 51, 55])]]
        if rng.random() < 0.3:
            lines[5], lines[6] = lines[6], lines[5]
        return "\n".join(lines), {}
    if cid == "ratio:sentence_words":
        return pick(
            [
                "Red cats ran. Big dogs sat. Six owls hid.",
                "Red cats ran. Big dogs sat. Tan fox hid.",
                "Red cats ran. Big dogs sat.",
                "Red cats ran! Big dogs sat? Six owls hid.",
                "Red cats ran. Red dogs sat. Six owls hid.",
            ]
        ), {}
    if cid == "count:punctuation":
        return pick(
            [
                "Wait, what?! Yes; here: done.",
                "Wait, what?! Really? Yes; here: done!",
                "Wait, what!? Really? Yes; here: done! End.",
                "Hi, you‽ Yes; ok: fine. Why? No!",
                "Wait, what? Yes; here: done!",
            ]
        ), {}
    if cid == "count:keywords_multiple":
        kws = ["alpha", "beta", "gamma", "delta", "omega"]
        counts = [1, 2, 3, 5, 7] if rng.random() < 0.6 else [1, 2, 3, 5, 6]
        words = [k for k, n in zip(kws, counts) for _ in range(n)]
        rng.shuffle(words)
        return " ".join(words) + pick(["", " alphabet", " Alpha"]), dict(zip([f"keyword{i}" for i in range(1, 6)], kws))
    if cid == "words:palindrome":
        ws = [pick(PALINDROMES) for _ in range(rng.randint(8, 12))] + [pick(gen.WORDS) for _ in range(3)]
        rng.shuffle(ws)
        return " ".join(w.capitalize() if rng.random() < 0.3 else w for w in ws) + ".", {}
    if cid == "format:parentheses":
        return pick(
            [
                "(a [b {c (d [e] f) g} h] i)",
                "(a [b {c (d) g} h] i)",
                "((((( x )))))",
                "(((([[x]]))))",
                "(a [b {c (d [e) f) g} h] i)",
                "([{([x])}])",
            ]
        ), {}
    if cid == "format:options":
        opt = pick(OPTIONS)
        return pick(["yes", "Yes.", "maybe", "I don't know", "I know", "b)", "b", "My answer is no.", "no way"]), {
            "options": opt
        }
    if cid == "format:output_template":
        return pick(
            [
                "My Answer: x My Conclusion: y Future Outlook: z",
                "My Answer: x\nMy Conclusion: y",
                "my answer: x My Conclusion: y Future Outlook: z",
            ]
        ), {}
    if cid == "words:words_position":
        kw = pick(["sun", "moon"])
        return pick(
            [
                f"The {kw} rose and the {kw} set",
                f"A {kw} rose and {kw} set",
                f"My {kw} and your {kw} go",
                f"The {kw} rose, the {kw}!",
                f"A {kw} x y",
                f"The {kw.upper()} is {kw} here",
            ]
        ), {"keyword": kw}
    if cid == "words:consonants":
        return " ".join(
            pick(["strong", "black", "myth", "trust", "apple", "bright", "act", "sphinx"])
            for _ in range(rng.randint(1, 5))
        ), {}
    if cid == "words:paragraph_last_first":
        paras = [
            pick(["home is where we go home", "sun sets on the sun.", "Rain falls on the rain", "one two"])
            for _ in range(rng.randint(1, 3))
        ]
        return pick(["\n", "\n\n"]).join(paras), {}
    if cid == "format:list":
        sep = pick(SEPS)
        return "\n".join(sep + " item " + str(i) for i in range(rng.randint(1, 3))), {"sep": sep}
    if cid == "format:thesis":
        return pick(
            [
                "<i>Thesis here.</i> More text.",
                "<em>Thesis.</em> Body",
                "<i> </i> body",
                "<i>Only</i>",
                "<em>Thesis</i> x",
                "Intro <i>Thesis</i>\nbody",
            ]
        ), {}
    if cid == "format:no_whitespace":
        return pick(["abc,def", "abc def", "abc\tdef", "no-space-at-all!"]), {}
    if cid == "count:words_japanese":
        n = rng.randint(2, 3)
        ws = [pick(JAPANESE) if (i + 1) % n == 0 or rng.random() < 0.1 else pick(gen.WORDS) for i in range(9)]
        if rng.random() < 0.3:
            ws[n - 1] = pick(["123", "river", "(猫)"])
        return " ".join(ws), {"N": n}
    if cid == "words:alphabet":
        start = rng.randint(0, 25)
        ws = [chr(97 + (start + i) % 26) + pick(["pple", "ig", "at", "og"]) for i in range(rng.randint(2, 8))]
        if rng.random() < 0.3:
            ws[-1] = "zzz"
        return " ".join(w.capitalize() if rng.random() < 0.3 else w for w in ws) + pick(["", ".", "!"]), {}
    if cid == "words:vowel":
        return pick(
            ["A cat sat on a mat.", "A cat sat on a mat and bit it.", "Bob got a hot dog.\nNo.", "Cats eat fish."]
        ), {}
    if cid == "format:newline":
        return "\n".join(pick(gen.WORDS) + pick(["", ".", " x"]) for _ in range(rng.randint(1, 5))), {}
    if cid == "words:prime_lengths":
        return " ".join(
            pick(["an", "the", "world", "seven", "four", "at", "bright", "it's"]) for _ in range(rng.randint(1, 6))
        ), {}
    if cid == "words:odd_even_syllables":
        return " ".join(
            pick(["cat", "apple", "dog", "river", "banana", "sun", "table"]) for _ in range(rng.randint(2, 5))
        ), {}
    if cid == "count:conjunctions":
        return " ".join(pick(["and", "And", "but", "or,", "so", "yet", "river", "nor"]) for _ in range(8)), {
            "small_n": rng.randint(2, 6)
        }
    if cid == "format:quote_unquote":
        return pick(
            [
                'He said "hi" to me.',
                'He said "hi" "bye".',
                'He said "hi"',
                'He said "hi". 42.',
                "A '\"' mark.",
                'Fine "ok" then "no" end',
            ]
        ), {}
    if cid == "format:sub-bullets":
        return pick(["* a\n- b\n* c\n- d", "* a\n* c\n- d", "no bullets", "* a - b"]), {}
    if cid == "format:quotes":
        return pick(['"a \'b "c" b\' a"', "'a \"b 'c' b\" a'", "\"a 'b' a\"", '"a "b" a"']), {}
    if cid == "format:line_indent":
        return "\n".join(" " * d + "x" for d in pick([[0, 1, 2], [0, 2, 1], [1, 1], [0, 3, 5, 9]])), {}
    if cid == "count:person_names":
        return " and ".join(pick(NAMES[:7]) for _ in range(rng.randint(1, 5))) + ".", {"N": rng.randint(1, 4)}
    if cid in (
        "ratio:sentence_type",
        "ratio:sentence_balance",
        "sentence:alliteration_increment",
        "words:last_first",
        "sentence:increment",
        "format:emoji",
        "sentence:keyword",
        "words:keywords_specific_position",
        "count:pronouns",
        "words:start_verb",
        "format:title_case",
    ):
        sents = [pick(CLEAN) for _ in range(rng.randint(1, 6))]
        if cid == "format:emoji":
            sents = [s + (" " + pick(EMOJI) if rng.random() < 0.85 else "") for s in sents]
        if cid == "words:last_first":
            sents = ["The cat sat.", "Sat the dog.", "Dog runs far.", "Far away?"][: rng.randint(1, 4)]
        if cid == "sentence:alliteration_increment":
            sents = ["A cat.", "Big bad dog.", "Silly sad snakes slither.", "Tiny tigers take tea time."]
            sents = sents[: rng.randint(1, 4)]
            rng.shuffle(sents) if rng.random() < 0.3 else None
        if cid == "format:title_case":
            sents = [s.title() if rng.random() < 0.7 else s for s in sents]
        resp = " ".join(sents)
        return resp, kwargs_for(cid, rng, resp, prompt)
    if cid == "format:no_bullets_bullets":
        head = " ".join(pick(CLEAN) for _ in range(rng.randint(1, 3)))
        return head + "\n" + "\n".join("* " + pick(gen.WORDS) for _ in range(rng.randint(1, 3))) + pick(["", "\n"]), {}
    return None
