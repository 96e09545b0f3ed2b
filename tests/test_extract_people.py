"""People extraction: each rule on short texts written for the tests, with the real model."""

from __future__ import annotations

import pytest
from fixtures import people_of, spans

from archive.extract import normalise_person
from archive.extract.people import find_people


def test_possessive_is_stripped():
    body = "Critics of Vladimir Putin's government met in Vilnius. They said Putin's war must end."
    assert people_of(body) == ["Vladimir Putin"]


def test_titles_are_stripped():
    body = (
        "President Joe Biden spoke with Dr. Anthony Fauci on Monday. "
        "Later Sen. Elizabeth Warren said Biden and Fauci had agreed."
    )
    assert sorted(people_of(body)) == ["Anthony Fauci", "Elizabeth Warren", "Joe Biden"]


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("Mr. John Smith's", "John Smith"),
        ("Prime Minister Keir Starmer", "Keir Starmer"),
        ("VLADIMIR PUTIN", "Vladimir Putin"),
        ("Vladimir   Putin", "Vladimir Putin"),
        ("SEAN O'BRIEN", "Sean O'Brien"),
        ("Sean O’Brien", "Sean O'Brien"),
        ("Jean-Claude Juncker", "Jean-Claude Juncker"),
    ],
)
def test_normalise_person_gives_one_display_form(raw, shown):
    assert normalise_person(raw) == shown


def test_bare_surname_maps_to_the_full_name():
    body = "Angela Merkel arrived in Paris on Tuesday. Merkel told reporters the talks went well."
    assert people_of(body) == ["Angela Merkel"]


def test_bare_first_name_maps_to_the_full_name():
    text = "Hillary Clinton spoke first. Later Hillary thanked the volunteers."
    ents = spans(text, ("Hillary Clinton", "PERSON"), ("Hillary thanked", "PERSON"))
    ents[1] = (ents[1][0], ents[1][0] + len("Hillary"), "PERSON")
    assert find_people(text, ents) == ["Hillary Clinton"]


def test_shared_surname_is_left_alone():
    text = "George Bush and Laura Bush visited Austin. Bush said the trip was private."
    ents = spans(text, ("George Bush", "PERSON"), ("Laura Bush", "PERSON"))
    ents.append((text.index("Bush said"), text.index("Bush said") + 4, "PERSON"))
    assert find_people(text, ents) == ["George Bush", "Laura Bush"]


def test_mentions_are_cut_at_line_breaks():
    text = "Reported by the Daily Planet\nMarta Kowalska said the bridge would close."
    ents = spans(text, ("Planet\nMarta Kowalska", "PERSON"))
    assert find_people(text, ents) == ["Marta Kowalska"]


def test_full_name_the_model_missed_is_propagated():
    text = "Oleksandr Bortnyk joined the unit in May. Bortnyk said he had no choice."
    ents = spans(text, ("Bortnyk said", "PERSON"))
    ents[0] = (ents[0][0], ents[0][0] + len("Bortnyk"), "PERSON")
    assert find_people(text, ents) == ["Oleksandr Bortnyk"]


def test_places_and_peoples_from_the_list_are_not_persons():
    text = "Soldiers from Buryatia and Tuva, and the Chechens, joined Ivan Petrov."
    ents = spans(
        text,
        ("Buryatia", "PERSON"),
        ("Tuva", "PERSON"),
        ("Chechens", "PERSON"),
        ("Ivan Petrov", "PERSON"),
    )
    assert find_people(text, ents) == ["Ivan Petrov"]


def test_document_evidence_rejects_a_place_the_list_does_not_know():
    text = "Zorbania voted. Zorbania borders Quellia. The vote in Zorbania was calm, said Ana Lind."
    starts = [i for i in range(len(text)) if text.startswith("Zorbania", i)]
    ents = [
        (starts[0], starts[0] + 8, "PERSON"),
        (starts[1], starts[1] + 8, "GPE"),
        (starts[2], starts[2] + 8, "GPE"),
    ] + spans(text, ("Ana Lind", "PERSON"))
    assert find_people(text, ents) == ["Ana Lind"]


def test_the_and_in_cues_reject_a_people_or_place():
    text = "The Vorlans marched. Support for the Vorlans grew, said Ana Lind."
    ents = spans(text, ("Vorlans marched", "PERSON"), ("Ana Lind", "PERSON"))
    ents[0] = (ents[0][0], ents[0][0] + len("Vorlans"), "PERSON")
    assert find_people(text, ents) == ["Ana Lind"]


def test_a_known_outlet_is_not_a_person():
    text = "Newsweek said Ivan Petrov resigned."
    ents = spans(text, ("Newsweek", "PERSON"), ("Ivan Petrov", "PERSON"))
    assert find_people(text, ents, not_people={"newsweek"}) == ["Ivan Petrov"]


def test_photo_credits_are_not_story_people():
    body = "Maria Nowak, the mayor, opened the bridge.\nPhoto: PAP/Tomasz Gzell"
    people = people_of(body, photo_credits=["PAP/Tomasz Gzell"])
    assert people == ["Maria Nowak"]


def test_authors_are_not_story_people():
    body = "By Jane Roe\n\nMaria Nowak opened the bridge, Jane Roe reports."
    assert people_of(body, authors=["Jane Roe"]) == ["Maria Nowak"]


def test_capitals_and_spacing_give_one_person():
    people = people_of(
        "Officials said Vladimir  Putin would attend. Putin declined.",
        title="VLADIMIR PUTIN TO SKIP SUMMIT",
    )
    assert people == ["Vladimir Putin"]


def test_most_mentioned_person_comes_first():
    body = (
        "Anna Berg met Tomas Holm. Holm spoke first, then Holm answered questions. Holm left early."
    )
    assert people_of(body) == ["Tomas Holm", "Anna Berg"]


def test_company_words_and_acronyms_are_not_persons() -> None:
    text = "Kloof Gold Mining Co said KDP shares rose. Ana Lind of KDP agreed."
    ents = spans(
        text, ("Kloof Gold Mining Co", "PERSON"), ("KDP", "PERSON"), ("Ana Lind", "PERSON")
    )
    assert find_people(text, ents) == ["Ana Lind"]


def test_adjacent_person_spans_are_one_name():
    text = "President Zine al-Abidine Ben Ali opened the session."
    ents = spans(text, ("Zine al-Abidine", "PERSON"), ("Ben Ali", "PERSON"))
    assert find_people(text, ents) == ["Zine al-Abidine Ben Ali"]


def test_a_dateline_or_town_of_shows_a_place():
    text = "VORNESK , Norway 1996-08-30\nThe town of Vornesk mourned, said Ana Lind."
    ents = spans(text, ("VORNESK", "PERSON"), ("Ana Lind", "PERSON"))
    assert find_people(text, ents) == ["Ana Lind"]


def test_a_capitalised_common_noun_is_not_a_person():
    text = '"Death is natural," said Ana Lind, who spoke of death calmly.'
    ents = spans(text, ("Death", "PERSON"), ("Ana Lind", "PERSON"))
    assert find_people(text, ents) == ["Ana Lind"]
