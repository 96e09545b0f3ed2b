"""Outlets: normalisation through data/outlets.json and attributions in the text."""

from __future__ import annotations

import pytest

from archive.extract import enrich, normalise_outlet
from archive.extract.outlets import find_attributed
from archive.models import Article


def outlets_of(body: str, **fields) -> list[str]:
    return next(enrich([Article(title="", body=body, **fields)], workers=1)).outlets


@pytest.mark.parametrize(
    "raw, shown",
    [
        ("newsweek.com", "Newsweek"),
        ("Newsweek", "Newsweek"),
        ("Newsweek magazine", "Newsweek"),
        ("  NEWSWEEK ", "Newsweek"),
        ("www.nytimes.com", "The New York Times"),
        ("https://www.nytimes.com/2016/09/20/nyregion/x.html", "The New York Times"),
        ("New York Times", "The New York Times"),
        ("Radio Liberty/Radio Free Europe", "Radio Free Europe/Radio Liberty"),
        ("Radio Liberty", "Radio Free Europe/Radio Liberty"),
        ("dziennik.pl", "dziennik.pl"),
        ("www.dziennik.pl", "dziennik.pl"),
        ("politicalticker.blogs.cnn.com", "CNN"),
        ("Some   Local  Gazette", "Some Local Gazette"),
    ],
)
def test_names_aliases_and_domains_are_one_outlet(raw, shown):
    assert normalise_outlet(raw) == shown


@pytest.mark.parametrize(
    "label, shown",
    [
        ("Fox News", "Fox News"),
        ("Fox Online News", "Fox News"),
        ("Fox News (Online)", "Fox News"),
        ("Fox News Opinion", "Fox News"),
        ("www.foxbusiness.com", "Fox Business"),
        ("New York Times - Opinion", "The New York Times"),
        ("CNN (Web News)", "CNN"),
        ("NPR Online News", "NPR"),
        ("The Week - News", "The Week"),
        ("Newsmax - Opinion", "Newsmax"),
    ],
)
def test_allsides_desk_labels_collapse_into_the_outlet(label, shown):
    assert normalise_outlet(label) == shown


@pytest.mark.parametrize("label", ["Guest Writer - Left", "AllSides", "Ben Shapiro", "YouTube", ""])
def test_labels_that_are_not_outlets_normalise_to_nothing(label):
    assert normalise_outlet(label) == ""


@pytest.mark.parametrize(
    "sentence, outlet",
    [
        ("The plan was dropped, according to the Kyiv Post.", "Kyiv Post"),
        ("The plan was dropped, Interfax reported.", "Interfax"),
        ("The mayor told the Boston Globe the plan was dropped.", "The Boston Globe"),
        ("The agency, citing Reuters, said the plan was dropped.", "Reuters"),
        ("In an interview with Der Spiegel the mayor dropped the plan.", "Der Spiegel"),
        ("Zwierciadlo magazine said the plan was dropped.", "Zwierciadlo"),
        ("The plan was dropped, wp.pl reported on Monday.", "wp.pl"),
        ("The plan was dropped, according to the Valley Courier.", "Valley Courier"),
    ],
)
def test_each_attribution_cue_names_an_outlet(sentence, outlet):
    assert outlet in outlets_of(sentence)


def test_an_organisation_without_a_cue_is_not_an_outlet():
    body = "The Kremlin said the video was posted on YouTube and shared by the United Nations."
    assert outlets_of(body) == []


def test_a_cue_pointing_at_a_person_or_place_is_not_an_outlet() -> None:
    body = (
        "Ivan Petrov joined the unit in May, according to Petrov. Ivan Petrov told Moscow nothing."
    )
    assert outlets_of(body) == []
    assert find_attributed("This was true, according to Ammosov.", {"ammosov"}) == []


def test_cited_and_attributed_outlets_merge_after_normalising():
    body = "Newsweek reported the deal. The deal was confirmed, according to Newsweek magazine."
    assert outlets_of(body, cited_outlets=["newsweek.com", "www.nytimes.com"]) == [
        "Newsweek",
        "The New York Times",
    ]


def test_photo_agencies_stay_photo_credits():
    article = Article(
        title="",
        body="Maria Nowak opened the bridge.",
        photo_credits=["PAP/UKRINFORM/Hennadii Minchenko"],
    )
    article = next(enrich([article], workers=1))
    assert article.outlets == []
    assert article.photo_credits == ["PAP/UKRINFORM/Hennadii Minchenko"]


def test_outlet_mentions_do_not_span_lines():
    assert find_attributed("He spoke to the Guardian\nNews reported the rest.") == []
