"""Word lists the IFBench checkers share: IFBench's person names, pronouns and coordinating conjunctions, and
the verb lexicon behind words:start_verb.

The verb test is deterministic. IFBench asks nltk's averaged-perceptron POS tagger whether the first token is
tagged VB*. That model is not shipped with any package we can install offline, so we use a lexicon instead: common
English verbs (including auxiliaries be/have/do) in all their forms. Modals (can, will, should, ...) are excluded
because the tagger labels them MD, not VB. This agrees with the tagger on clear cases ("Write ...", "Is ...",
"Consider ...") and may differ on words that are as often nouns as verbs;
tests/constraints/families/ifbench/test_ifbench_known_differences.py documents the trade-off.
"""

from __future__ import annotations

import functools

# IFBench's 50 first names (count:person_names), in its order.
PERSON_NAMES = tuple(
    "Emma Liam Sophia Jackson Olivia Noah Ava Lucas Isabella Mason Mia Ethan Charlotte Alexander Amelia Benjamin "
    "Harper Leo Zoe Daniel Chloe Samuel Lily Matthew Grace Owen Abigail Gabriel Ella Jacob Scarlett Nathan Victoria "
    "Elijah Layla Nicholas Audrey David Hannah Christopher Penelope Thomas Nora Andrew Aria Joseph Claire Ryan Stella "
    "Jonathan".split()
)

_PRONOUN_WORDS = (
    # personal, possessive, reflexive
    "i me we us you he him she her it they them my mine our ours your yours his hers its their theirs "
    "myself ourselves yourself yourselves himself herself itself themselves "
    # demonstrative, interrogative, relative
    "this that these those who whom whose which what whoever whomever whatever whichever "
    # indefinite
    "anybody anyone anything everybody everyone everything nobody nothing somebody someone something "
    "each either neither both all some any none"
)
PRONOUNS = frozenset(_PRONOUN_WORDS.split())

COORDINATING_CONJUNCTIONS = frozenset(["and", "but", "for", "nor", "or", "so", "yet"])

_BASE = """
accept achieve act add adjust admire advise afford agree aim allow analyze answer apply appreciate approach
arrange ask assess assume attach attempt attend avoid bake balance be bear beat become begin believe belong bend
bet bind bite blow boil book borrow break breathe bring build burn buy calculate call calm capture care carry catch
celebrate change check choose claim clean clear climb close collect combine come compare complete compose
compute concentrate confirm connect consider contact continue convert cook copy count cover craft crawl create
cross cry cut dance deal decide declare define deliver demonstrate describe design destroy determine develop die
dig discover discuss dive divide do draft drag draw dream dress drink drive drop earn eat edit eliminate embrace
emphasize enable encourage end enjoy ensure enter establish estimate evaluate examine explain explore express
face fail fall feed feel fight fill find finish fit fix fly focus fold follow forget forgive form freeze gain
gather generate get give go grab grant greet grow guess guide handle hang happen hate have hear help hide hit
hold hope hug hunt identify ignore imagine implement improve include increase indicate inform insert inspect
install introduce invent investigate invite join jump justify keep kick kill knock know label laugh lay lead
lean learn leave lend let lie lift like list listen live locate look lose love maintain make manage mark measure
meet melt mention mix modify move name navigate need note notice observe obtain offer open order organize
outline own paint pass pause pay perform pick picture place plan plant play point pour practice prefer prepare
present press prevent print produce promise protect prove provide pull push put question quit raise reach read
realize receive recognize recommend record reduce reflect refuse relax release remain remember remove repeat
replace reply report represent request research resolve respond rest retain return reveal review rewrite ride
ring rise run save say scan search see seek select sell send serve set settle shake shape share shift shine
shoot show shut sing sit sketch skip sleep slide smell smile solve sort speak spend split spread stand start
state stay steal step stick stir stop store stretch strike study submit suggest summarize supply support
suppose surround swim take talk taste teach tear tell test thank think throw tie touch trace track train
transform translate travel treat try turn understand unite update use verify visit wait wake walk want warn
wash watch wear weigh welcome win wish wonder work worry wrap write
"""

_IRREGULAR = """
am is are was were been being has had having does did done doing went gone made ate eaten began begun became
bit bitten blew blown broke broken brought built burnt bought caught chose chosen came dealt dug dove drew drawn
dreamt drank drunk drove driven fell fallen fed felt fought found flew flown forgot forgotten forgave forgiven
froze frozen got gotten gave given grew grown hung heard hid hidden held kept knew known laid led leant left lent
lain lost meant met paid ran rode ridden rang rung rose risen said saw seen sought sold sent shook shaken shone
shot showed shown sang sung sat slept slid spoke spoken spent spread stood stole stolen stuck struck swam swum
took taken taught tore torn told thought threw thrown understood woke woken wore worn won wrote written
"""


def _inflect(base: str) -> set[str]:
    forms = {base}
    if base.endswith(("s", "sh", "ch", "x", "z", "o")):
        forms.add(base + "es")
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.add(base[:-1] + "ies")
    else:
        forms.add(base + "s")
    if base.endswith("e"):
        forms.update({base + "d", base[:-1] + "ing"})
    elif base.endswith("y") and base[-2:-1] not in "aeiou":
        forms.update({base[:-1] + "ied", base + "ing"})
    else:
        forms.update({base + "ed", base + "ing"})
        if len(base) <= 4 and base[-1] not in "aeiouwxy" and base[-2] in "aeiou" and base[-3:-2] not in "aeiou":
            forms.update({base + base[-1] + "ed", base + base[-1] + "ing"})
    return forms


@functools.lru_cache(maxsize=1)
def verb_forms() -> frozenset[str]:
    forms: set[str] = set(_IRREGULAR.split())
    for base in _BASE.split():
        forms |= _inflect(base)
    return frozenset(forms)


def is_verb(token: str) -> bool:
    return token.lower() in verb_forms()
