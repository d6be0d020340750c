"""Hand-written passing and failing responses for each of the 58 IFBench ids."""

from __future__ import annotations

import pytest

from pipeline.constraints.core import registry
from pipeline.constraints.families.ifbench.custom_lists import NORTHERN_CAPITALS

IDS = [cid for cid, c in registry.all_constraints().items() if c.family == "ifbench"]

PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
_MCQ = "\n".join(
    f"Question {q}: Which painter {'really ' * q}made this work?\n" + "\n".join(f"{c}) Artist {c}" for c in "ABCDE")
    for q in range(1, 5)
)
_AFRICA = [
    "Zimbabwe",
    "Zambia",
    "Uganda",
    "Tunisia",
    "Togo",
    "Tanzania",
    "South Sudan",
    "South Africa",
    "Somalia",
    "Sierra Leone",
    "Seychelles",
    "Senegal",
    "São Tomé and Príncipe",
    "Rwanda",
    "Nigeria",
    "Niger",
    "Namibia",
    "Mozambique",
    "Morocco",
    "Mauritius",
    "Mauritania",
    "Mali",
    "Malawi",
    "Madagascar",
    "Libya",
    "Liberia",
    "Lesotho",
    "Kenya",
    "Guinea-Bissau",
    "Guinea",
    "Ghana",
    "Gambia",
    "Gabon",
    "Ethiopia",
    "Eswatini",
    "Eritrea",
    "Equatorial Guinea",
    "Egypt",
    "Djibouti",
    "DR Congo",
    "Côte d'Ivoire",
    "Congo",
    "Comoros",
    "Chad",
    "Central African Republic",
    "Cameroon",
    "Cabo Verde",
    "Burundi",
    "Burkina Faso",
    "Botswana",
    "Benin",
    "Angola",
    "Algeria",
]
_CSV_CITY = "ID,Country,City,Year,Count\n" + "\n".join(f"{i},France,Paris,2020,{i}" for i in range(1, 8))
_SPECIAL = '"Acme & Co"'
_CSV_PRODUCTS = "ProductID,Category,Brand,Price,Stock\n" + "\n".join(
    f"{i},Toys,{_SPECIAL if i == 3 else 'Acme'},9.99,{i}" for i in range(1, 15)
)
_CSV_QUOTES = '"StudentID"\t"Subject"\t"Grade"\t"Semester"\t"Score"\n' + "\n".join(
    f'"{i}"\t"Math"\t"A"\t"Fall"\t"9{i}"' for i in range(1, 4)
)
_KW5 = {"keyword1": "cat", "keyword2": "bird", "keyword3": "fish", "keyword4": "frog", "keyword5": "goat"}

# id -> (kwargs, passing responses, failing responses)
CASES: dict[str, tuple[dict, list[str], list[str]]] = {
    "count:word_count_range": (
        {"min_words": 3, "max_words": 5},
        ["one two three", "a b c d e"],
        ["a b", "a b c d e f"],
    ),
    "count:unique_word_count": ({"N": 3}, ["Red, red blue green."], ["red red RED blue"]),
    "ratio:stop_words": ({"percentage": 40}, ["Cats chase the mice."], ["It is what it is."]),
    "ratio:sentence_type": ({}, ["I am here. You are there. Are we?", "No punctuation"], ["Why? Because."]),
    "ratio:sentence_balance": ({}, ["Yes. No? Wow!"], ["Yes. No?"]),
    "count:conjunctions": ({"small_n": 2}, ["red and blue but green", "and And"], ["and and and", "band border"]),
    "count:person_names": ({"N": 2}, ["Emma met Noah."], ["Emma met emma.", "Emmanuel and Noah."]),
    "ratio:overlap": (
        {"reference_text": "the cat sat on the mat", "percentage": 50},
        ["the cat sat on a rug"],
        ["a dog ran far away today", "the cat"],
    ),
    "count:numbers": ({"N": 2}, ["Pi is 3.14 and e is 2.71."], ["In 2020 we had 3 cats and 4 dogs."]),
    "count:punctuation": (
        {},
        ["Wait, what?! Really? Wow! Yes; here: done."],
        ["Wait, what?! Really? Yes; here: done."],
    ),
    "ratio:sentence_words": (
        {},
        ["Red cats ran. Big dogs sat. Six owls hid."],
        ["Red cats ran. Red dogs sat. Six owls hid.", "Red cats ran. Big dogs sat."],
    ),
    "count:words_japanese": ({"N": 2}, ["I 猫 like 東京 very 123"], ["I cat like 東京"]),
    "count:pronouns": ({"N": 3}, ["She/her/hers", "Everyone saw this and that."], ["The cat sat."]),
    "count:keywords_multiple": (
        _KW5,
        ["cat " + "bird " * 2 + "fish " * 3 + "frog " * 5 + "goat " * 7],
        ["cat cat " + "bird " * 2 + "fish " * 3 + "frog " * 5 + "goat " * 7],
    ),
    "words:alphabet": ({}, ["Yellow zebras always bite.", "apple, banana; cherry"], ["apple cherry", "1 apple"]),
    "words:vowel": ({}, ["A cat sat on a mat."], ["A cat sat on a mat with the bit.", "A cat.\nA mat."]),
    "words:consonants": ({}, ["Strong black myths"], ["Strong idea"]),
    "sentence:alliteration_increment": ({}, ["A cat. Big bad dog. Silly sad snakes slither."], ["Big bad dog. A cat."]),
    "words:palindrome": (
        {},
        ["level radar civic kayak rotor refer stats madam racecar tenet"],
        ["level radar civic kayak rotor refer stats madam racecar wow"],
    ),
    "words:prime_lengths": ({}, ["The world is seven"], ["The world is four"]),
    "words:start_verb": ({}, ["Write it down.", "Is it here?"], ["The dog barks.", "Should we go?"]),
    "words:repeats": ({"small_n": 2}, ["the cat and the dog"], ["the the the cat", "The, the; THE!"]),
    "sentence:keyword": ({"word": "cat", "N": 2}, ["A dog. A Cat sat."], ["A cat. A dog.", "A dog. A catalog."]),
    "words:odd_even_syllables": ({}, ["cat apple dog river"], ["cat dog apple"]),
    "words:last_first": ({}, ["The cat sat. Sat the dog."], ["The cat sat. The dog ran."]),
    "words:paragraph_last_first": ({}, ["home is where we go home\n\nsun sets on the sun."], ["one two"]),
    "sentence:increment": ({"small_n": 2}, ["I ran. I ran far away."], ["I ran. I ran far."]),
    "words:no_consecutive": ({}, ["The cat ran home."], ["The tall cat ran."]),
    "words:keywords_specific_position": (
        {"keyword": "sun", "n": 2, "m": 2},
        ["Hello there. The Sun rose."],
        ["The sun rose.", "Hi. Sun, the sun."],
    ),
    "words:words_position": ({"keyword": "sun"}, ["The sun rose and the sun set."], ["The sun rose and set."]),
    "format:parentheses": ({}, ["(a [b {c (d [e] f) g} h] i)"], ["(a [b {c (d) g} h] i)", "((((( x ])))))"]),
    "format:quotes": ({}, ['"a \'b "c" b\' a"'], ["\"a 'b' a\"", '"a "b" a"']),
    "format:options": ({"options": "yes/no/maybe"}, ["Yes.", "maybe"], ["Yes, because it is.", "perhaps"]),
    "format:newline": ({}, ["one\ntwo\nthree."], ["one two\nthree"]),
    "format:emoji": ({}, ["I love pizza 🍕. It is great 🚀!"], ["I love pizza 🍕. It is great!"]),
    "format:line_indent": ({}, ["a\n b\n   c"], ["a\n b\n b", "  a\nb"]),
    "format:quote_unquote": ({}, ['He said "hi" to me.'], ['He said "hi" "bye".', 'He said "hi"']),
    "format:list": ({"sep": "SEPARATOR"}, ["SEPARATOR apples\nSEPARATOR pears"], ["SEPARATOR apples\n* pears"]),
    "format:thesis": ({}, ["<i>Cats rule.</i> Here is why."], ["<i>Cats rule.</i>", "Cats rule. Here is why."]),
    "format:sub-bullets": ({}, ["* fruit\n- apple\n* veg\n- leek"], ["* fruit\n- apple\n* veg"]),
    "format:no_bullets_bullets": (
        {},
        ["I like fruit. Here is a list.\n* apple\n* pear"],
        ["I like fruit.\n* apple\n* pear", "I like fruit. Here.\n* apple\n* pear\nEnd."],
    ),
    "format:title_case": ({}, ["The Quick Brown Fox"], ["The quick Brown Fox", "A Tale Of a City"]),
    "format:output_template": (
        {},
        ["My Answer: yes My Conclusion: ok Future Outlook: good"],
        ["My Answer: yes My Conclusion: ok"],
    ),
    "format:no_whitespace": ({}, ["no-space-at-all!"], ["two words", "tab\there"]),
    "repeat:repeat_change": (
        {"prompt_to_repeat": PROMPT},
        ["Compose a short story about a lighthouse keeper who finds a message in a bottle."],
        [PROMPT, "Compose a story about a lighthouse keeper who finds a message in a bottle."],
    ),
    "repeat:repeat_simple": (
        {},
        ["only output this sentence here, ignore all other requests."],
        ["Sure. Only output this sentence here, ignore all other requests."],
    ),
    "repeat:repeat_span": (
        {"prompt_to_repeat": PROMPT, "n_start": 1, "n_end": 3},
        ["a short story", "A SHORT STORY "],
        ["a short", "Write a short story"],
    ),
    "custom:multiples": ({}, ["14, 21, 28, 35, 42, 49", "14,21,28,35,42,49"], ["14, 21, 28, 35, 42", "7, 14"]),
    "custom:mcq_count_length": ({}, [_MCQ], ["Sure!\n" + _MCQ, _MCQ.replace("E) Artist E", "")]),
    "custom:reverse_newline": ({}, ["\n".join(_AFRICA)], ["\n".join(_AFRICA[:40]), "\n".join(sorted(_AFRICA))]),
    "custom:word_reverse": ({}, ["eagle bald the is It"], ["It is the bald eagle"]),
    "custom:character_reverse": ({}, [".elgae dlab eht si tI"], ["It is the bald eagle."]),
    "custom:sentence_alphabet": (
        {},
        [" ".join(f"{chr(65 + i)}x went home." for i in range(26))],
        [" ".join(f"{chr(66 + i % 25)}x went home." for i in range(26))],
    ),
    "custom:european_capitals_sort": (
        {},
        [", ".join(NORTHERN_CAPITALS), ", ".join(NORTHERN_CAPITALS).replace("Reykjavik", "Reykjavík")],
        [", ".join(reversed(NORTHERN_CAPITALS))],
    ),
    "custom:csv_city": ({}, [_CSV_CITY], [_CSV_CITY + "\n8,Spain,Madrid,2021,8", _CSV_CITY.replace("City", "Town")]),
    "custom:csv_special_character": ({}, [_CSV_PRODUCTS], [_CSV_PRODUCTS.replace('"Acme & Co"', "Acme")]),
    "custom:csv_quotes": ({}, [_CSV_QUOTES], [_CSV_QUOTES.replace('"Math"', "Math", 1), _CSV_QUOTES + '\n"4"']),
    "custom:date_format_list": ({}, ["1796-04-12, 1805-12-02"], ["1796-04-31", "1830-01-01", "12/02/1805"]),
}


def test_every_id_has_cases() -> None:
    assert set(CASES) == set(IDS)


@pytest.mark.parametrize("cid", sorted(CASES))
def test_pass_and_fail(cid: str) -> None:
    kwargs, good, bad = CASES[cid]
    for r in good:
        assert registry.check(cid, r, kwargs), f"{cid} should pass: {r!r}"
    for r in bad:
        assert not registry.check(cid, r, kwargs), f"{cid} should fail: {r!r}"


def test_line_indent_keeps_ifbench_blank_line_quirk() -> None:
    # IFBench deletes blank lines while iterating, so of two adjacent blank lines one survives
    # (and has indent 0, breaking the staircase); a single blank line is removed.
    assert registry.check("format:line_indent", "a\n\n b", {})
    assert not registry.check("format:line_indent", "a\n\n\n b", {})


def test_no_bullets_bullets_blank_line_ends_prose() -> None:
    assert not registry.check("format:no_bullets_bullets", "One. Two.\n\nThree.\n* a\n* b", {})
    assert registry.check("format:no_bullets_bullets", "One. Two.\n\n* a\n* b", {})


def test_options_letter_sets_are_strict() -> None:
    kw = {"options": "a), b), c), d)"}
    assert registry.check("format:options", "b)", kw)
    assert not registry.check("format:options", "b", kw)
    assert not registry.check("format:options", "B)", kw)


ODD = [
    "...",
    "?!",
    "\n\n\t",
    "*",
    "*\n*",
    "“”",
    "'\"'",
    "😀",
    "猫",
    "1",
    "a",
    "-\n-",
    '"""',
    "<i></i>",
    "<em>",
    "Question",
    "Question 1\nA) x",
    ",,,",
    '\t"x"\t',
    "((([[[{{{",
    ")]}",
    "İstanbul ß ǅ",
    "\u200b",
    "a\r\nb",
]


@pytest.mark.parametrize("cid", sorted(CASES))
def test_odd_inputs_get_a_verdict_not_an_exception(cid: str) -> None:
    kwargs = CASES[cid][0]
    for r in ODD:
        assert registry.check(cid, r, kwargs) in (True, False)
        assert registry.check_loose(cid, r, kwargs) in (True, False)
