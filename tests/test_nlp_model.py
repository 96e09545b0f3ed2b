"""The NER model: md by default, loaded from its installed package (nothing downloads), and
the small one still selectable for measurements."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from archive.extract import nlp

TEXT = "Olaf Scholz met Tomasz Siemoniak in Warsaw on Tuesday, officials said."


@pytest.fixture
def restore_model() -> Iterator[None]:
    before = nlp.MODEL
    yield
    nlp.use(before)


def labels(text: str) -> dict[str, str]:
    return {text[start:end]: label for start, end, label in nlp.entities([text])[0]}


def test_md_is_the_default_and_names_scholz_a_person(restore_model):
    assert nlp.MODEL == "md"
    nlp.use("md")
    assert nlp.load().meta["name"] == "core_web_md"
    found = labels(TEXT)
    # The small model labels him ORG (issue 9); the medium one reads him right.
    assert found.get("Olaf Scholz") == "PERSON"
    assert found.get("Tomasz Siemoniak") == "PERSON"


def test_the_small_model_stays_selectable_and_unknown_names_are_refused(restore_model):
    nlp.use("sm")
    assert nlp.load().meta["name"].startswith("core_web_sm")
    assert nlp.load().pipe_names == ["ner"]  # everything else is excluded, never loaded
    with pytest.raises(ValueError, match="unknown model"):
        nlp.use("lg")
