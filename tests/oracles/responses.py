"""Seeded generator of realistic, messy model responses for differential tests.

A response is assembled from blocks a model might write: prose in several
languages, markdown bullets (*, -, **bold** lines), numbered sections, *** and
****** separators, JSON (bare, fenced, broken), titles in << >>, [placeholders],
postscripts in several spellings, ALL-CAPS words, quotes, and whitespace noise
(leading blank lines, trailing spaces, CRLF). Every knob is drawn from the given
random.Random, so a seed reproduces a case exactly.
"""

from __future__ import annotations

import json
import random

WORDS = [
    "river",
    "bridge",
    "garden",
    "market",
    "planet",
    "harbor",
    "lantern",
    "compass",
    "meadow",
    "summit",
    "canvas",
    "anchor",
    "orbit",
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "it",
    "was",
    "for",
    "on",
    "with",
    "as",
    "by",
    "at",
    "from",
    "this",
    "that",
    "people",
    "time",
    "water",
    "light",
    "city",
    "history",
    "music",
    "science",
    "cat",
    "category",
    "catalog",
    "dog",
    "apple",
    "banana",
    "idea",
    "plan",
    "team",
    "value",
    "result",
    "risk",
    "growth",
    "system",
    "model",
    "data",
]

SENTENCES = {
    "en": [
        "The river runs quietly past the old mill.",
        "Dr. Smith arrived at 5 p.m. on Monday.",
        "Is this the best plan we have?",
        "Wow, that was unexpected!",
        "We met Mr. Brown at the U.S. embassy.",
        "Prices rose by 3.5 percent last year.",
        "It works... mostly.",
        "The cat sat on the catalog.",
        "NASA and the EU signed the deal.",
        "Keep calm and carry on",
        'I said "hello" and left.',
        "e.g. apples, pears, and plums.",
        "This costs $4.99 at the store.",
    ],
    "fr": [
        "Le chat dort sur le canapé depuis ce matin.",
        "Nous avons visité le musée du Louvre hier.",
        "Il fait très beau aujourd'hui à Paris.",
    ],
    "es": ["El perro corre por el parque todos los días.", "Mañana vamos a la playa con mis amigos."],
    "de": ["Der Hund schläft im Garten unter dem Baum.", "Wir fahren morgen mit dem Zug nach Berlin."],
    "it": ["La pizza napoletana è famosa in tutto il mondo."],
    "pt": ["O menino brinca na praia com o seu cão."],
    "ru": ["Сегодня хорошая погода, и мы идём гулять."],
    "ja": ["今日はとても良い天気ですね。"],
    "zh": ["我们明天去公园散步。"],
    "hi": ["आज मौसम बहुत अच्छा है।"],
    "ar": ["الطقس جميل اليوم في المدينة."],
}

POSTSCRIPTS = [
    "P.S. Write back soon.",
    "p.s. one more thing",
    "P.P.S Also this.",
    "P. P. S. Final note.",
    "PS: remember the date.",
    "P.S.",
    "Note: P.S. inside a line",
    "p. s. spaced out",
]
SPLITTERS = ["Section", "SECTION", "Part", "PARAGRAPH", "Chapter", "Day"]


def words(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n))


def sentence(rng: random.Random, lang: str = "en") -> str:
    return rng.choice(SENTENCES[lang])


def prose(rng: random.Random, lang: str = "en", n: int | None = None) -> str:
    n = n if n is not None else rng.randint(1, 5)
    parts = [sentence(rng, lang) for _ in range(n)]
    if rng.random() < 0.3:
        parts.append(words(rng, rng.randint(2, 12)).capitalize() + rng.choice([".", "!", "?", "", ","]))
    return " ".join(parts)


def bullets(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 6)):
        mark = rng.choice(["* ", "- ", "*", "-", "  * ", "** ", "**Bold:** ", "1. ", "• "])
        out.append(mark + words(rng, rng.randint(1, 6)))
    return "\n".join(out)


def sections(rng: random.Random) -> str:
    sp = rng.choice(SPLITTERS)
    out = []
    for i in range(1, rng.randint(1, 5) + 1):
        head = rng.choice([f"{sp} {i}", f"{sp}{i}", f"{sp} {i}:", f"## {sp} {i}", f"{sp.lower()} {i}"])
        out.append(head + "\n" + prose(rng, n=rng.randint(0, 2)))
    return "\n".join(out)


def json_block(rng: random.Random) -> str:
    obj = {
        "name": words(rng, 2),
        "items": [rng.randint(0, 9) for _ in range(rng.randint(0, 3))],
        "ok": rng.random() < 0.5,
    }
    body = json.dumps(obj, indent=rng.choice([None, 2]))
    kind = rng.randint(0, 5)
    if kind == 1:
        return "```json\n" + body + "\n```"
    if kind == 2:
        return "```JSON\n" + body + "\n```"
    if kind == 3:
        return "```\n" + body + "\n```"
    if kind == 4:
        return body[:-1]  # broken
    return body


def highlights(rng: random.Random) -> str:
    out = []
    for _ in range(rng.randint(1, 4)):
        out.append(rng.choice(["*", "**", "* ", "***"]) + words(rng, rng.randint(0, 3)) + rng.choice(["*", "**", " *"]))
    return " ".join(out)


def caps(rng: random.Random) -> str:
    return " ".join(w.upper() if rng.random() < 0.5 else w for w in words(rng, rng.randint(2, 10)).split())


def block(rng: random.Random) -> str:
    kind = rng.choice(
        [
            "prose",
            "prose",
            "prose",
            "foreign",
            "bullets",
            "sections",
            "json",
            "title",
            "placeholder",
            "postscript",
            "highlights",
            "caps",
            "quote",
            "heading",
            "answer",
        ]
    )
    if kind == "prose":
        return prose(rng)
    if kind == "foreign":
        return prose(rng, rng.choice([k for k in SENTENCES if k != "en"]))
    if kind == "bullets":
        return bullets(rng)
    if kind == "sections":
        return sections(rng)
    if kind == "json":
        return json_block(rng)
    if kind == "title":
        return rng.choice(["<<" + words(rng, rng.randint(1, 4)) + ">>", "<< >>", "<<>>", "<<a\nb>>", "<<Title>> text"])
    if kind == "placeholder":
        return " ".join(rng.choice(["[name]", "[address]", "[ ]", "[]", "[a [b] c]", "[date"]) for _ in range(3))
    if kind == "postscript":
        return rng.choice(POSTSCRIPTS)
    if kind == "highlights":
        return highlights(rng)
    if kind == "caps":
        return caps(rng)
    if kind == "quote":
        return '"' + prose(rng, n=1) + '"'
    if kind == "heading":
        return rng.choice(["# ", "## ", "**"]) + words(rng, 3).title()
    return rng.choice(["My answer is yes.", "My answer is no.", "my answer is maybe.", "My answer is maybe"])


def response(rng: random.Random) -> str:
    """One whole response: 1-6 blocks joined by assorted separators, plus noise."""
    seps = ["\n\n", "\n", " ", "\n***\n", " *** ", "\n******\n", "******", "\n\n\n"]
    parts = [block(rng) for _ in range(rng.randint(1, 6))]
    text = parts[0]
    for p in parts[1:]:
        text += rng.choice(seps) + p
    noise = rng.random()
    if noise < 0.1:
        text = "\n\n" + text
    elif noise < 0.2:
        text = text + "   \n"
    elif noise < 0.25:
        text = text.replace("\n", "\r\n")
    elif noise < 0.3:
        text = "***\n" + text + "\n***"
    elif noise < 0.35:
        text = text.lower()
    elif noise < 0.4:
        text = text.upper()
    elif noise < 0.45:
        text = '"' + text + '"'
    elif noise < 0.5:
        text = "Sure! Here is my answer:\n" + text + "\nHope this helps!"
    return text
