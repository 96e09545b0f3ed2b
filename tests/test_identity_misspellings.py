"""Rule 2b of the person registry (archive/identity.py): a misspelt first name joins the
name it misspells only when that name dominates it 50 to 1 in every year it appears in."""

from __future__ import annotations

from archive.identity import Mention, Registry, build_registry


def registry_of(*articles: tuple[int | None, list[str]]) -> Registry:
    dated = [(None if year is None else f"{year}-06-01", people) for year, people in articles]
    return build_registry([Mention(date, people) for date, people in dated])


def test_a_rare_one_letter_variant_joins_the_dominant_name() -> None:
    registry = registry_of(
        *[(2016, ["Hillary Clinton"])] * 100,
        *[(2016, ["Hillary Rodham Clinton"])] * 5,
        (2016, ["Hilary Clinton"]),
        (2016, ["Hilary Clinton", "Hillary Clinton"]),
    )
    assert registry.canonical("Hilary Clinton", 2016) == "Hillary Clinton"
    assert registry.canonical("Hillary Rodham Clinton", 2016) == "Hillary Clinton"


def test_two_people_one_letter_apart_stay_apart_below_fifty_to_one() -> None:
    registry = registry_of(*[(2018, ["Jonah Smith"])] * 40, (2018, ["Jonas Smith"]))
    assert registry.canonical("Jonas Smith", 2018) == "Jonas Smith"


def test_the_ratio_holds_in_every_year_the_rare_name_appears() -> None:
    # Dominant overall, but in 2010 the rare name stands alone: a person of its own.
    registry = registry_of(*[(2016, ["Marian Kowalski"])] * 200, (2010, ["Marion Kowalski"]))
    assert registry.canonical("Marion Kowalski", 2010) == "Marion Kowalski"


def test_a_different_surname_or_middle_or_two_letters_never_merge() -> None:
    registry = registry_of(
        *[(2016, ["Hillary Clinton"])] * 100,
        (2016, ["Hillary Clintan"]),
        (2016, ["Hilary R. Clinton"]),
        (2016, ["Hilry Clinton"]),
    )
    for rare in ("Hillary Clintan", "Hilary R. Clinton", "Hilry Clinton"):
        assert registry.canonical(rare, 2016) == rare


def test_short_first_names_are_left_alone() -> None:
    registry = registry_of(*[(2016, ["John Smith"])] * 100, (2016, ["Jon Smith"]))
    assert registry.canonical("Jon Smith", 2016) == "Jon Smith"


def test_undated_articles_compare_with_the_whole_archive() -> None:
    registry = registry_of(
        *[(2016, ["Vladimir Putin"])] * 60,
        *[(None, ["Vladimir Putin"])] * 10,
        (None, ["Valadimir Putin"]),
    )
    assert registry.canonical("Valadimir Putin", None) == "Vladimir Putin"
