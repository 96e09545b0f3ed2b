"""The person registry's rules (archive/identity.py), on small hand-made sets of names."""

from __future__ import annotations

from archive.identity import Mention, Registry, build_registry, name_words, registry_rows


def registry_of(*articles: tuple[int | None, list[str]]) -> Registry:
    dated = [(None if year is None else f"{year}-06-01", people) for year, people in articles]
    return build_registry([Mention(date, people) for date, people in dated])


def test_name_key_folds_accents_hyphens_punctuation_and_suffixes() -> None:
    assert name_words("Enrique Peña Nieto") == name_words("Enrique Pena Nieto")
    assert name_words("Kim Jong-un") == name_words("Kim Jong Un")
    assert name_words("George W. Bush") == name_words("George W Bush")
    assert name_words("Leonard Pitts, Jr.") == name_words("Leonard Pitts Jr")


def test_a_suffix_names_another_person() -> None:
    registry = registry_of(
        *[(2019, ["Donald Trump"])] * 9, (2019, ["Donald Trump Jr."]), (2019, ["Trump"])
    )
    assert registry.canonical("Donald Trump Jr.", 2019) == "Donald Trump Jr."
    assert registry.canonical("Trump", 2019) == "Donald Trump"


def test_middle_initials_and_names_merge_into_the_most_used_form() -> None:
    registry = registry_of(
        (2016, ["Donald Trump"]),
        (2016, ["Donald Trump"]),
        (2016, ["Donald J. Trump"]),
        (2017, ["Donald John Trump"]),
        (2016, ["Hillary Rodham Clinton"]),
        (2016, ["Hillary Clinton", "Sarah Huckabee Sanders"]),
        (2016, ["Hillary Clinton", "Sarah Sanders"]),
    )
    for form in ("Donald J. Trump", "Donald John Trump", "Donald Trump"):
        assert registry.canonical(form, 2016) == "Donald Trump"
    assert registry.canonical("Hillary Rodham Clinton", 2016) == "Hillary Clinton"
    assert registry.canonical("Sarah Huckabee Sanders", 2016) == "Sarah Sanders"


def test_a_nickname_is_the_formal_first_name() -> None:
    registry = registry_of(*[(2018, ["Chuck Schumer"])] * 3, (2018, ["Charles Schumer"]))
    assert registry.canonical("Charles Schumer", 2018) == "Chuck Schumer"


def test_a_rare_stray_middle_does_not_block_the_merge() -> None:
    registry = registry_of(
        *[(2016, ["Donald Trump"])] * 30,
        *[(2016, ["Donald J. Trump"])] * 3,
        (2016, ["Donald Trump Trump"]),
        (2016, ["Barack Obama"]),
        (2016, ["Barack H. Obama"]),
    )
    assert registry.canonical("Donald J. Trump", 2016) == "Donald Trump"
    assert registry.canonical("Donald Trump Trump", 2016) == "Donald Trump Trump"
    assert registry.canonical("Barack H. Obama", 2016) == "Barack Obama"


def test_different_middles_stay_apart_and_the_bare_name_stays_its_own() -> None:
    registry = registry_of(
        (2004, ["George W. Bush"]),
        (1990, ["George H. W. Bush"]),
        (1990, ["George H.W. Bush"]),
        (1990, ["George Herbert Walker Bush"]),
        (2000, ["George Bush"]),
    )
    assert registry.canonical("George W. Bush", 2004) == "George W. Bush"
    assert (
        registry.canonical("George H. W. Bush", 1990) == "George H.W. Bush"
    )  # ties: the shortest form
    assert (
        registry.canonical("George Herbert Walker Bush", 1990) == "George H.W. Bush"
    )  # ties: the shortest form
    assert registry.canonical("George Bush", 2000) == "George Bush"


def test_surname_links_to_a_full_name_dominating_its_year() -> None:
    registry = registry_of(
        *[(2012, ["Barack Obama"])] * 9,
        (2012, ["Michelle Obama"]),
        (2012, ["Obama"]),
    )
    assert registry.canonical("Obama", 2012) == "Barack Obama"
    assert registry.people_of(["Obama", "Barack Obama"], 2012) == ["Barack Obama"]


def test_surname_shared_in_one_year_is_never_merged() -> None:
    registry = registry_of(
        *[(2016, ["Hillary Clinton"])] * 6,
        *[(2016, ["Bill Clinton"])] * 3,
        *[(2000, ["Jeb Bush"]), (2000, ["George W. Bush"]), (2000, ["George H. W. Bush"])] * 3,
    )
    assert registry.canonical("Clinton", 2016) == "Clinton"
    assert registry.canonical("Bush", 2000) == "Bush"


def test_surname_uses_the_articles_own_full_name_first() -> None:
    registry = registry_of(*[(2016, ["Hillary Clinton"])] * 9, (2016, ["Bill Clinton"]))
    assert registry.canonical("Clinton", 2016) == "Hillary Clinton"
    assert registry.people_of(["Bill Clinton", "Clinton"], 2016) == ["Bill Clinton"]
    # Both in the article: ambiguous, stays as written.
    both = ["Bill Clinton", "Hillary Clinton", "Clinton"]
    assert registry.people_of(both, 2016) == both


def test_dominance_is_per_year_and_needs_enough_articles() -> None:
    registry = registry_of(
        *[(2008, ["Hillary Clinton"])] * 5,
        *[(1996, ["Bill Clinton"])] * 5,
        (2020, ["Chelsea Clinton"]),
    )
    assert registry.canonical("Clinton", 2008) == "Hillary Clinton"
    assert registry.canonical("Clinton", 1996) == "Bill Clinton"
    assert registry.canonical("Clinton", 2020) == "Clinton"  # one article: too few
    assert registry.canonical("Clinton", None) == "Clinton"  # archive-wide: 5 of 11


def test_rows_list_every_surface_form_and_person_with_counts() -> None:
    mentions = [
        Mention("2016-03-01T00:00:00Z", ["Donald Trump"]),
        Mention("2016-05-01T00:00:00Z", ["Donald J. Trump", "Trump"]),
        Mention("2016-04-01T00:00:00Z", ["Donald Trump"]),
        Mention("2016-04-02T00:00:00Z", ["Trump"]),
    ]
    people, aliases = registry_rows(build_registry(mentions), mentions)
    assert [(p.canonical, p.articles, p.first_seen, p.last_seen) for p in people] == [
        ("Donald Trump", 4, "2016-03-01T00:00:00Z", "2016-05-01T00:00:00Z")
    ]
    listed = {(a.alias, a.period, a.canonical, a.articles, a.rule) for a in aliases}
    assert listed == {
        ("Donald Trump", "", "Donald Trump", 2, "name"),
        ("Donald J. Trump", "", "Donald Trump", 1, "name"),
        ("trump", "", "Donald Trump", 0, "surname"),
        ("trump", "2016", "Donald Trump", 2, "surname"),  # in-article link counted too
    }
