"""The named people defects of issue 9 and the junk classes, each on a sentence written for
the test (the pattern, not corpus text), with the real model."""

from __future__ import annotations

import re

from fixtures import people_of, spans

from archive.extract.people import find_people


def test_a_paragraph_starting_photos_keeps_its_people() -> None:
    body = (
        "Photos: Prime Minister Mateusz Morawiecki met Chancellor Olaf Scholz in Berlin on "
        "Monday, and the two leaders discussed energy, security and the border for two hours."
    )
    assert sorted(people_of(body)) == ["Mateusz Morawiecki", "Olaf Scholz"]


def test_a_short_photo_line_is_still_a_credit() -> None:
    body = "Photo: Jan Kowalski/PAP\nThe minister met the press on Monday."
    assert people_of(body) == []


def test_name_comma_possessive_place_is_a_person() -> None:
    text = "Dmytro Kuleba, Poland's closest partner in Kyiv, said aid would come."
    ents = spans(text, ("Dmytro Kuleba", "PERSON"), ("Poland", "GPE"), ("Kyiv", "GPE"))
    assert find_people(text, ents) == ["Dmytro Kuleba"]


def test_name_comma_place_and_title_is_a_person() -> None:
    text = "Jeb Bush, Florida Sen. Marco Rubio's rival, said he would run."
    ents = spans(text, ("Jeb Bush", "PERSON"), ("Florida", "GPE"), ("Marco Rubio", "PERSON"))
    assert sorted(find_people(text, ents)) == ["Jeb Bush", "Marco Rubio"]


def test_a_dateline_comma_place_is_still_a_place() -> None:
    text = "LONGYEAR , Norway 1996-08-22\nThe ship sailed."
    assert find_people(text, spans(text, ("LONGYEAR", "PERSON"), ("Norway", "GPE"))) == []


def test_a_country_possessive_is_no_given_name() -> None:
    body = "Germany's Merkel said on Monday that the talks failed. Germany's Merkel left early."
    assert people_of(body) == ["Merkel"]


def test_polish_vel_joins_one_surname() -> None:
    text = "Deputy minister Szymon Szynkowski vel Sęk met the envoy in Warsaw on Tuesday."
    ents = spans(text, ("Szymon Szynkowski", "PERSON"), ("Sęk", "PERSON"))
    assert find_people(text, ents) == ["Szymon Szynkowski vel Sęk"]


def test_author_with_a_suffix_is_not_a_story_person() -> None:
    body = "Leonard Pitts won a prize in 2004 for his columns, and he writes twice a week."
    assert people_of(body, authors=("Leonard Pitts Jr.",)) == []


def test_author_with_a_section_prefix_is_not_a_story_person() -> None:
    body = "Jane Doe argued on Monday that the senator was wrong about the budget."
    assert people_of(body, authors=("Opinion Jane Doe",)) == []


def test_an_unlabeled_slash_credit_is_not_a_person() -> None:
    body = "Prime Minister Mateusz Morawiecki spoke in Warsaw on Monday.PAP/Albert Zawada"
    assert people_of(body) == ["Mateusz Morawiecki"]


def test_sign_offs_and_bylines_are_not_story_people() -> None:
    body = (
        "By Mark Lindqvist, senior correspondent\n\nSenator Amy Klobuchar spoke on Monday.\n\n"
        "Fox News' Jenna Marlowe and Tom Whitcombe contributed to this report."
    )
    assert people_of(body) == ["Amy Klobuchar"]


def test_person_shaped_org_or_fac_is_a_person() -> None:
    text = "Olaf Scholz met Tomasz Siemoniak in Berlin. Later Siemoniak flew home."
    ents = spans(text, ("Olaf Scholz", "ORG"), ("Tomasz Siemoniak", "FAC"))
    assert sorted(find_people(text, ents)) == ["Olaf Scholz", "Tomasz Siemoniak"]


def test_a_company_the_model_files_as_org_stays_out() -> None:
    text = "Goldman Sachs raised its forecast on Monday."
    assert find_people(text, spans(text, ("Goldman Sachs", "ORG"))) == []


def test_platforms_and_boilerplate_are_not_people() -> None:
    text = "Replay More Videos\nSlideshow\nTwitter said on Monday that Brexit hurt Pfizer."
    ents = spans(
        text,
        ("Replay More Videos", "PERSON"),
        ("Slideshow", "PERSON"),
        ("Twitter", "PERSON"),
        ("Brexit", "PERSON"),
        ("Pfizer", "PERSON"),
    )
    assert find_people(text, ents) == []


def test_ranks_groups_and_buildings_are_not_people() -> None:
    text = "Lance Cpl. Doe served twice. Latinos rallied outside Trump Tower on Monday."
    ents = spans(text, ("Lance Cpl", "PERSON"), ("Latinos", "PERSON"), ("Trump Tower", "PERSON"))
    assert find_people(text, ents) == []


def test_headline_words_are_cut_off_a_name() -> None:
    text = "Obama Was Pushed by Lobbyists\n\nPresident Obama spoke. Did Obama know? He did."
    ents = spans(text, ("Obama Was Pushed", "PERSON"), ("Obama spoke", "PERSON"))
    ents.append((text.index("Did Obama"), text.index("Did Obama") + 9, "PERSON"))
    ents[1] = (ents[1][0], ents[1][0] + len("Obama"), "PERSON")
    assert find_people(text, ents) == ["Obama"]


def test_a_given_name_in_front_is_never_cut() -> None:
    text = "Bill Clinton Says He Will Campaign\n\nClinton spoke. The bill passed."
    ents = spans(text, ("Bill Clinton", "PERSON"), ("Clinton spoke", "PERSON"))
    ents[1] = (ents[1][0], ents[1][0] + len("Clinton"), "PERSON")
    assert find_people(text, ents) == ["Bill Clinton"]


def test_link_text_fused_into_a_name_is_cut() -> None:
    body = (
        "Senator Ron Wyden Ronald Lee WydenAlcohol industry races to save tax break MORE "
        "said on Monday that Donald Trump Donald John TrumpGOP senators worry MORE was wrong."
    )
    people = people_of(body)
    assert sorted(people) == ["Donald Trump", "Ron Wyden"]


def test_spellings_of_one_name_are_one_person() -> None:
    body = (
        "Donald J. Trump signed the order on Monday. Later Donald Trump said it was fair. "
        "North Korean leader Kim Jong Un fired a missile; analysts said Kim Jong-un wanted "
        "attention. George W. Bush spoke in Dallas, and George W Bush said he was proud."
    )
    assert sorted(people_of(body)) == ["Donald J. Trump", "George W. Bush", "Kim Jong Un"]


def test_accents_and_a_shortened_double_surname_are_one_person() -> None:
    body = (
        "Mexican President Enrique Peña Nieto met the press. "
        "Enrique Pena Nieto said the wall was a bad idea."
    )
    assert people_of(body) == ["Enrique Peña Nieto"]


def test_two_people_sharing_a_surname_never_merge() -> None:
    body = (
        "Former President Bill Clinton and Hillary Clinton arrived. "
        "Bill Clinton spoke first, then Hillary Clinton."
    )
    assert sorted(people_of(body)) == ["Bill Clinton", "Hillary Clinton"]


def test_an_unclosed_photo_aside_keeps_the_paragraph() -> None:
    body = (
        "(Photo by Jim Watts/AFP via Getty Images President Joe Biden talks on Friday.\n\n"
        "Senator Amy Klobuchar said on Monday that the deal was weak (and wrong)."
    )
    assert "Amy Klobuchar" in people_of(body)


def test_a_personal_title_outweighs_org_votes() -> None:
    text = "Critics faulted Trump on Monday. President Trump replied. Trump left."
    starts = [m.start() for m in re.finditer("Trump", text)]
    ents = [(start, start + 5, "ORG") for start in starts]
    ents[1] = (starts[1], starts[1] + 5, "PERSON")
    assert find_people(text, ents) == ["Trump"]


def test_org_votes_without_a_title_still_reject() -> None:
    text = "Shares of Sanofi fell. Sanofi said profits rose, and Sanofi hired staff."
    ents = spans(text, ("Sanofi", "PERSON"))
    ents += [(text.index("Sanofi said"), text.index("Sanofi said") + 6, "ORG")]
    ents += [(text.index("Sanofi hired"), text.index("Sanofi hired") + 6, "ORG")]
    assert find_people(text, ents) == []


def test_a_given_name_span_takes_the_surname_the_model_left_out() -> None:
    text = "In an interview with former host Bill O’Reilly, the senator denied it."
    assert find_people(text, spans(text, ("Bill", "PERSON"))) == ["Bill O'Reilly"]


def test_a_headline_word_is_no_given_name() -> None:
    text = "Left Pretends Trump Inheriting Strong Obama Economy\n\nPresident Obama spoke."
    ents = [(text.index("Obama"), text.index("Obama") + 5, "PERSON")]
    ents.append((text.rindex("Obama"), text.rindex("Obama") + 5, "PERSON"))
    assert find_people(text, ents) == ["Obama"]


def test_party_and_state_after_a_name_are_dropped() -> None:
    text = "Rep. Pramila Jayapal D-Wash., could play a prominent role."
    assert find_people(text, spans(text, ("Pramila Jayapal D-Wash.", "PERSON"))) == [
        "Pramila Jayapal"
    ]


def test_the_administration_of_a_name_names_a_person() -> None:
    text = "A judge ruled against the Trump administration on Friday."
    ents = spans(text, ("the Trump administration", "ORG"))
    assert find_people(text, ents) == ["Trump"]


def test_a_surname_with_a_particle_joins_its_full_name() -> None:
    text = "A parcel was sent to Robert De Niro. De Niro was not at home."
    ents = spans(text, ("Robert De Niro", "PERSON"), ("De Niro was", "PERSON"))
    ents[1] = (ents[1][0], ents[1][0] + len("De Niro"), "PERSON")
    assert find_people(text, ents) == ["Robert De Niro"]


def test_a_surname_with_a_particle_two_people_share_adds_no_one() -> None:
    body = (
        "Willem Van Spronsen was a carpenter. His daughter, Ariel Van Spronsen, wrote a post. "
        "Van Spronsen was 69."
    )
    assert sorted(people_of(body)) == ["Ariel Van Spronsen", "Willem Van Spronsen"]


def test_a_sentence_opener_is_cut_off_a_name() -> None:
    text = "Follow Hasson on Twitter @PeterJHasson"
    assert find_people(text, spans(text, ("Follow Hasson", "PERSON"))) == ["Hasson"]


def test_polish_vel_the_model_left_out_joins_the_name() -> None:
    text = "Deputy minister Szymon Szynkowski vel Sęk met the envoy in Warsaw on Tuesday."
    ents = spans(text, ("Szymon Szynkowski", "PERSON"))
    assert find_people(text, ents) == ["Szymon Szynkowski vel Sęk"]
