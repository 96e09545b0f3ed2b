"""The model reads only the text near capitalised words; its spans point into the full text."""

from __future__ import annotations

from spacy.lang.en.stop_words import STOP_WORDS

from archive.extract import nlp

FILLER = "the committee met again and the members argued about the budget for hours. " * 6
TEXT = (
    f"Angela Merkel arrived on Monday. {FILLER}\n\n{FILLER}"
    f"Later, officials said Emmanuel Macron's aides had agreed (AP). {FILLER}"
)


def test_the_model_is_fed_only_windows_around_capitalised_words():
    cut, pieces = nlp._cut(TEXT, STOP_WORDS, nlp.CONTEXT + 1)
    assert len(cut) < len(TEXT) / 3
    assert "members argued" not in cut and "Emmanuel Macron's" in cut
    for at, source, length in pieces:
        assert cut[at : at + length] == TEXT[source : source + length]


def test_entity_spans_are_offsets_into_the_full_text() -> None:
    found = {TEXT[start:end]: label for start, end, label in nlp.entities([TEXT])[0]}
    assert found.get("Angela Merkel") == "PERSON"
    people = [name for name, label in found.items() if label == "PERSON"]
    assert any(name.startswith("Emmanuel Macron") for name in people)
    assert nlp.entities([TEXT], context=None)[0]  # whole-text mode still maps its spans


def test_days_months_and_short_acronyms_open_no_window():
    assert not nlp._interesting("Monday", STOP_WORDS)
    assert not nlp._interesting("U.S.", STOP_WORDS)
    assert not nlp._interesting("The", STOP_WORDS)
    assert nlp._interesting("Merkel", STOP_WORDS) and nlp._interesting("PUTIN", STOP_WORDS)


def test_an_entity_never_spans_two_parts_of_the_cut():
    text = "Ivan Petrov " + "was there and then he left. " * 5 + "Smith Jones spoke."
    for start, end, _ in nlp.entities([text])[0]:
        assert "left" not in text[start:end]
