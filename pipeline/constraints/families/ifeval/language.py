"""IFEval language constraint: the whole response in one given language."""

from __future__ import annotations

from ...conflicts import facts as F
from ...core import samplers as S
from ...core.contract import Conflicts, Param, fails, passes
from . import define
from ._common import in_language

FRENCH = "Le chat dort sur le canapé depuis ce matin et il ne veut pas bouger."
ENGLISH = "The river flows past the old mill and the children play near the water every summer afternoon."


def response_language(response: str, language: str) -> bool:
    return in_language(response, language)


define(
    "language:response_language",
    category="language",
    description="The whole response is in the given language (langdetect).",
    params=[Param("language", "language", choices=S.LANGUAGES, sample=S.language)],
    phrasings=[
        "Your entire response must be written in {language_name} (language code: {language}); no other language.",
        "Answer only in {language_name} ({language}).",
        "Write the whole reply in {language_name} [{language}], without switching to any other language.",
    ],
    check=response_language,
    conflicts=Conflicts(
        ids={
            "detectable_format:multiple_sections": "section markers are English words",
            "keywords:existence": "keywords are English words",
            "keywords:frequency": "keywords are English words",
            "keywords:forbidden_words": "forbidden words are English words",
            "startend:end_checker": "the end phrase is English",
            "change_case:english_capital": "asks for English capitals",
            "change_case:english_lowercase": "asks for English lowercase",
        },
        groups={"english_only": "an English-only instruction in a non-English response"},
    ),
    facts=F.one_value("language"),
    examples=[
        passes(FRENCH, language="fr"),
        fails(ENGLISH, language="fr"),
        passes(ENGLISH, language="en"),
        passes("12345 !!! ...", "undecidable text (no letters) counts as followed", language="fr"),
    ],
)
