"""Outlets a document cites or attributes to are never its people, with the real model."""

from __future__ import annotations

from archive.extract import enrich
from archive.extract.people import find_people, outlet_fragments
from archive.generate import generate_articles
from archive.models import Article


def enriched(body: str, cited=()) -> Article:
    return next(enrich([Article(title="", body=body, cited_outlets=list(cited))], workers=1))


def test_outlet_fragments_are_runs_of_words_without_the():
    runs = outlet_fragments(["The Harbor Evening Star", "dziennik.pl"])
    assert {"harbor evening star", "evening star", "star", "harbor", "dziennik.pl"} <= runs
    assert "the harbor" not in runs and "harbor star" not in runs


def test_a_cited_outlet_and_its_shortened_name_are_not_people() -> None:
    text = (
        "Harbor Evening Star reported that Ellen Brask would resign. "
        "Evening Star said Brask had not told the council."
    )
    ents = [
        (0, 19, "PERSON"),
        (text.index("Ellen"), text.index("Ellen") + 11, "PERSON"),
        (text.index("Evening Star said"), text.index("Evening Star said") + 12, "PERSON"),
    ]
    # Without the evidence, the model's reading stands.
    assert {"Harbor Evening Star", "Evening Star"} <= set(find_people(text, ents))
    assert find_people(text, ents, outlets=["Harbor Evening Star"]) == ["Ellen Brask"]


def test_a_person_sharing_a_word_with_an_outlet_stays_a_person():
    text = "Ellen Star told the Harbor Evening Star that she would run."
    ents = [(0, 10, "PERSON")]
    assert find_people(text, ents, outlets=["Harbor Evening Star"]) == ["Ellen Star"]


def test_model_reading_of_a_cited_outlet_fragment_is_dropped():
    # The model tags "City Gazette" as a person here; the Source: line cites the outlet.
    body = (
        "Sandport City Gazette reported that Ellen Brask, the mayor, had met union leaders. "
        "City Gazette said the vote divided residents of Saltby. According to City Gazette, "
        "Brask declined to comment. City Gazette reported on Monday that talks resumed."
    )
    article = enriched(body, cited=["Sandport City Gazette"])
    assert article.people == ["Ellen Brask"]
    assert article.outlets == ["Sandport City Gazette"]


def test_an_outlet_found_by_an_attribution_cue_is_not_a_person():
    # Nothing is cited: "X reported" and "according to X" are the document's evidence.
    body = (
        "Kestrel Wire reported that the port would close. Tomas Holm, the mayor, disagreed. "
        "According to Kestrel Wire, talks ended on Friday. Holm said he was surprised."
    )
    article = enriched(body)
    assert article.people == ["Tomas Holm"]
    assert article.outlets == ["Kestrel Wire"]


def test_people_precision_on_generated_articles():
    articles = list(generate_articles(80, seed=3))
    gold = [set(a.people) for a in articles]
    for article in articles:
        article.people, article.outlets = [], []
    predicted = right = 0
    for article, truth in zip(enrich(articles, workers=1), gold):
        predicted += len(article.people)
        right += len(set(article.people) & truth)
        assert not set(article.people) & set(article.cited_outlets)
    assert right / predicted >= 0.95
    assert right / sum(map(len, gold)) >= 0.75
