"""Evidence inside one document that a span the model tags PERSON names a thing: a company's
legal form or partners' names, a noun that introduces it, a weapon noun after it, a place
lexicon, words of a share menu fused to it. Sentences written
for the test (the pattern, not corpus text); spans given by hand so each rule is seen alone."""

from __future__ import annotations

import re

from archive.extract.people import find_people


def tagged(text: str, *pieces: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Build model-style spans for every occurrence of each (piece, label)."""
    return sorted(
        (m.start(), m.end(), label)
        for piece, label in pieces
        for m in re.finditer(re.escape(piece), text)
    )


def test_a_name_with_a_legal_form_is_a_company() -> None:
    text = (
        "Brennick Medical Industries Inc said on Friday it bought a plant. Brennick Medical "
        "will pay cash. Shares of Tolvec S.A. fell, and Tolvec said its chief Jan Marsh quit."
    )
    ents = tagged(
        text, ("Brennick Medical", "PERSON"), ("Tolvec", "PERSON"), ("Jan Marsh", "PERSON")
    )
    assert find_people(text, ents) == ["Jan Marsh"]


def test_an_indonesian_pt_company_is_no_person() -> None:
    text = "Kia and PT Sinar Putra Jaya will sell the cars, said Budi Santoso."
    ents = tagged(text, ("PT Sinar Putra Jaya", "PERSON"), ("Budi Santoso", "PERSON"))
    assert find_people(text, ents) == ["Budi Santoso"]


def test_a_person_named_in_a_company_name_stays_a_person() -> None:
    text = "Martha Stewart said Martha Stewart Living Omnimedia Inc would grow."
    ents = tagged(text, ("Martha Stewart", "PERSON"))
    assert find_people(text, ents) == ["Martha Stewart"]


def test_a_name_introduced_by_a_thing_noun_is_no_person() -> None:
    text = (
        "The aircraft carrier Dale Brannock sailed on Monday, and mineral water firm Aquilo "
        "backed the bid, said the admiral, Tom Reyes. The Dale Brannock leads the group."
    )
    ents = tagged(text, ("Dale Brannock", "PERSON"), ("Aquilo", "PERSON"), ("Tom Reyes", "PERSON"))
    assert find_people(text, ents) == ["Tom Reyes"]


def test_a_person_introduced_by_a_job_noun_stays_a_person() -> None:
    text = "Analyst Dale Brannock said the company Aquilo hired Dale Brannock in May."
    ents = tagged(text, ("Dale Brannock", "PERSON"), ("Aquilo", "ORG"))
    assert find_people(text, ents) == ["Dale Brannock"]


def test_a_capital_city_is_no_person() -> None:
    text = "The man was deported on a flight to Bamako after Judge Ines Varga ruled."
    ents = tagged(text, ("Bamako", "PERSON"), ("Ines Varga", "PERSON"))
    assert find_people(text, ents) == ["Ines Varga"]


def test_share_menu_words_fused_in_front_of_a_name_are_cut_off() -> None:
    text = "Facebook Twitter Pinterest Barack Obama speaks in Chicago. Obama smiled."
    ents = tagged(text, ("Facebook Twitter Pinterest Barack Obama", "PERSON"))
    assert find_people(text, ents) == ["Barack Obama"]


def test_a_platform_word_after_a_possessive_is_cut_but_a_surname_stays() -> None:
    text = "Theresa May's Brexit deal failed, said Nikola Tesla, the inventor's namesake."
    ents = tagged(text, ("Theresa May's Brexit", "PERSON"), ("Nikola Tesla", "PERSON"))
    assert find_people(text, ents) == ["Theresa May", "Nikola Tesla"]


def test_the_first_of_a_firms_partner_names_is_no_person() -> None:
    text = "Legal counsel: Harwick , Delano & Pryce , Detroit. The agent, Rosa Lind, agreed."
    ents = tagged(text, ("Harwick", "PERSON"), ("Rosa Lind", "PERSON"))
    assert find_people(text, ents) == ["Rosa Lind"]


def test_a_name_followed_by_a_weapon_noun_is_a_product() -> None:
    text = "Thieves took two Varnok assault rifles and a pistol, said Inspector Lena Ostrow."
    ents = tagged(text, ("Varnok", "PERSON"), ("Lena Ostrow", "PERSON"))
    assert find_people(text, ents) == ["Lena Ostrow"]


def test_job_nouns_relative_clauses_and_verbs_keep_people() -> None:
    text = (
        "Magazine publisher Jann Wenner met movie maker Reza Aslan. The bank Rudy Giuliani "
        "represented paid. Officials said Saddam Hussein had weapons."
    )
    names = ("Jann Wenner", "Reza Aslan", "Rudy Giuliani", "Saddam Hussein")
    ents = tagged(text, *[(name, "PERSON") for name in names])
    assert sorted(find_people(text, ents)) == sorted(names)


def test_a_thing_noun_ending_a_sentence_is_no_cue() -> None:
    text = "Money flowed to the group. Linda Marsh, the former chief, denied it."
    ents = tagged(text, ("Linda Marsh", "PERSON"))
    assert find_people(text, ents) == ["Linda Marsh"]
