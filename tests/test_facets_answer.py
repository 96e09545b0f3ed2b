"""Facets that answer (issue 11, item 3): any/all per facet, every value a page at a time,
value search counted within the search, readable section labels.

Every count is checked against a direct count over the stored articles (their people as the
index names them), on a real store and a real Whoosh index.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fixtures import (
    ArchiveCliRunner,
    Page,
    build_archive,
    fetch,
    fetch_page,
    make_archive,
    many_articles,
    query_args,
    shown_total,
    utc,
    whoosh_written_index,
)

from archive.config import Config
from archive.facets import Facet
from archive.facets import get as get_facet
from archive.models import Article
from archive.search import Criteria, Searcher, SearchError

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

SLUG = "gun_control_and_gun_rights"
SLUG_LABEL = "Gun control and gun rights"


def slug_articles() -> list[Article]:
    """Two articles in a slug section, naming two people of the generated ones together."""
    return [
        Article(
            title=f"Debate on the bill, part {n}",
            body="Lawmakers argued over the bill for hours.",
            date=utc(2020, 5, n),
            section=SLUG,
            people=["Alina Vasquez", "Igor Brandt"],
            outlets=["Radio Meridian"],
            source=f"fixture#slug{n}",
        )
        for n in (1, 2)
    ]


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """300 generated articles (about 400 people) plus the slug-section ones; read only."""
    from archive.generate import generate_articles

    root = tmp_path_factory.mktemp("answer")
    build_archive(root / "home", [*generate_articles(300, seed=5), *slug_articles()])
    return root / "home"


@pytest.fixture(scope="module")
def stored(home: Path) -> list[Article]:
    """Every stored article, its people named as the index names them."""
    from archive import identity
    from archive.store import Store

    with Store(Config(home).store_path) as store:
        return [identity.as_indexed(store, a) for a in store.get_many(sorted(store.ids()))]


@pytest.fixture
def client(make_app: Callable[[Path], Flask], home: Path) -> FlaskClient:
    return make_app(home).test_client()


def spec(name: str) -> Facet:
    """Return the registered facet called name."""
    found = get_facet(name)
    assert found is not None
    return found


def having(articles: list[Article], field: str, values: list[str], every: bool) -> list[Article]:
    """Return the articles whose field has every (or any) of values."""
    test = all if every else any
    return [a for a in articles if test(v in getattr(a, field) for v in values)]


def counted(articles: list[Article], field: str) -> Counter[str]:
    """Return how many of articles carry each value of field."""
    return Counter(v for a in articles for v in set(getattr(a, field)))


def assert_top(shown: dict[str, int], expected: Counter[str], limit: int = 30) -> None:
    """Assert that shown holds the most frequent values of expected, with their counts."""
    assert shown and all(expected[name] == n for name, n in shown.items()), shown
    assert len(shown) == min(limit, len(expected))
    left_out = [n for name, n in expected.items() if name not in shown]
    assert max(left_out, default=0) <= min(shown.values())


def api_counts(client: FlaskClient, args: str, facet: str = "people") -> dict[str, int]:
    body = fetch(client, f"/api/search?per_page=1&{args}").get_json()
    return {row["value"]: row["count"] for row in body["facets"][facet]}


# -- any and all ---------------------------------------------------------------


def test_all_keeps_articles_naming_every_picked_person(
    client: FlaskClient, stored: list[Article]
) -> None:
    picked = ["Alina Vasquez", "Igor Brandt"]
    both = having(stored, "people", picked, every=True)
    either = having(stored, "people", picked, every=False)
    assert 0 < len(both) < len(either)
    args = "person=Alina+Vasquez&person=Igor+Brandt"
    assert fetch(client, f"/api/search?{args}").get_json()["total"] == len(either)
    body = fetch(client, f"/api/search?{args}&person_mode=all").get_json()
    assert body["total"] == len(both)
    assert {h["id"] for h in body["hits"]} == {a.id for a in both}


def test_all_counts_the_people_named_alongside(client: FlaskClient, stored: list[Article]) -> None:
    alone = having(stored, "people", ["Alina Vasquez"], every=True)
    alongside = api_counts(client, "person=Alina+Vasquez&person_mode=all")
    # Co-mentions: within her articles, everyone named beside her, she in all of them.
    assert_top(alongside, counted(alone, "people"))
    assert alongside["Alina Vasquez"] == len(alone)
    # "any" keeps today's multi-select counts: the people facet ignores its own pick.
    assert api_counts(client, "person=Alina+Vasquez") == api_counts(client, "")
    assert api_counts(client, "person=Alina+Vasquez") != alongside


def test_all_counts_other_facets_within_the_results(
    client: FlaskClient, stored: list[Article]
) -> None:
    picked = ["Alina Vasquez", "Igor Brandt"]
    both = having(stored, "people", picked, every=True)
    args = "person=Alina+Vasquez&person=Igor+Brandt&person_mode=all"
    assert_top(api_counts(client, args, "outlets"), counted(both, "outlets"))
    sections = Counter(a.section for a in both)
    assert api_counts(client, args, "sections") == dict(sections)


def test_all_with_another_facet_and_its_own_exemption(
    client: FlaskClient, stored: list[Article]
) -> None:
    outlet = "Radio Meridian"
    with_outlet = having(stored, "outlets", [outlet], every=True)
    alone = having(with_outlet, "people", ["Alina Vasquez"], every=True)
    args = "outlet=Radio+Meridian&person=Alina+Vasquez&person_mode=all"
    body = fetch(client, f"/api/search?{args}").get_json()
    assert body["total"] == len(alone) > 0
    people = {row["value"]: row["count"] for row in body["facets"]["people"]}
    assert_top(people, counted(alone, "people"))
    # The outlets facet ("any") still counts as if its own pick were not made.
    everyone = having(stored, "people", ["Alina Vasquez"], every=True)
    outlets = {row["value"]: row["count"] for row in body["facets"]["outlets"]}
    assert_top(outlets, counted(everyone, "outlets"))


def test_mode_errors_and_the_url_round_trip() -> None:
    criteria = Criteria.from_args({"person": ["A", "B"], "person_mode": ["ALL"]})
    assert criteria.mode("people") == "all" and criteria.mode("outlets") == "any"
    assert ("person_mode", "all") in criteria.to_args()
    assert "person_mode" not in dict(Criteria.from_args({"person_mode": ["any"]}).to_args())
    with pytest.raises(SearchError, match="person_mode"):
        Criteria.from_args({"person_mode": ["every"]})
    with pytest.raises(SearchError, match="one section"):
        Criteria(selected={"sections": ("World",)}, modes={"sections": "all"})
    assert spec("sections").mode_param is None
    assert spec("cited").mode_param == "cited_mode"


def test_a_bad_mode_is_a_400(client: FlaskClient) -> None:
    answer = fetch(client, "/api/search?person=X&person_mode=most", 400).get_json()
    assert "person_mode" in answer["error"]


def test_openapi_lists_the_mode_of_each_multi_valued_facet(client: FlaskClient) -> None:
    document = fetch(client, "/api/openapi.json").get_json()
    parameters = document["paths"]["/api/search"]["get"]["parameters"]
    modes = {p["name"]: p["schema"]["enum"] for p in parameters if p["name"].endswith("_mode")}
    assert modes == {f"{p}_mode": ["any", "all"] for p in ("person", "outlet", "source", "cited")}


def test_cli_search_speaks_the_mode(
    runner: ArchiveCliRunner, client: FlaskClient, home: Path
) -> None:
    import json

    picks = ["--person", "Alina Vasquez", "--person", "Igor Brandt"]
    result = runner.run("search", "--home", home, *picks, "--person-mode", "all", "--json")
    assert result.exit_code == 0, result.output
    args = "person=Alina+Vasquez&person=Igor+Brandt&person_mode=all"
    api = fetch(client, f"/api/search?{args}").get_json()
    assert json.loads(result.output)["total"] == api["total"]
    refused = runner.run("search", "--home", home, "--person-mode", "most")
    assert refused.exit_code == 2 and "most" in refused.output


# -- the sidebar's toggle ---------------------------------------------------------


def people_counts_shown(page: Page, html: str) -> dict[str, int]:
    """Return the people facet's names and counts as the search page shows them."""
    section = html[html.index('aria-labelledby="h-people"') :]
    section = section[: section.index("</section>")]
    rows = re.findall(
        r'<span class="name">([^<]+)</span><span class="count">'
        r'<span class="visually-hidden">, </span>([\d,]+)',
        section,
    )
    return {name: int(count.replace(",", "")) for name, count in rows}


def test_the_toggle_shows_on_a_picked_facet_and_switches_the_counts(
    client: FlaskClient, stored: list[Article]
) -> None:
    html, page = fetch_page(client, "/?q=talks")
    assert 'class="match-mode"' not in html  # nothing picked
    html, page = fetch_page(client, "/?person=Alina+Vasquez")
    before = people_counts_shown(page, html)
    all_link = next(link for link in page.links if link.attrs.get("data-mode") == "all")
    assert ("person_mode", "all") in query_args(all_link.href)
    html, page = fetch_page(client, all_link.href)
    alone = having(stored, "people", ["Alina Vasquez"], every=True)
    after = people_counts_shown(page, html)
    expected = counted(alone, "people")
    assert after and all(expected[name] == n for name, n in after.items())
    assert after != before
    current = next(link for link in page.links if link.attrs.get("aria-current") == "true")
    assert current.attrs.get("data-mode") == "all"
    any_link = next(link for link in page.links if link.attrs.get("data-mode") == "any")
    assert "person_mode" not in dict(query_args(any_link.href))


# -- every value, a page at a time -------------------------------------------------


def test_show_more_pages_through_every_value_of_the_search(
    client: FlaskClient, stored: list[Article]
) -> None:
    html, page = fetch_page(client, "/?section=Politics")
    more = page.href("All people in these results")
    assert ("section", "Politics") in query_args(more)
    expected = counted([a for a in stored if a.section == "Politics"], "people")
    seen: list[tuple[str, int]] = []
    url: str | None = more
    while url:
        html, page = fetch_page(client, url)
        rows = re.findall(
            r'<li><a href="([^"]+)">([^<]+)</a> <span class="count">'
            r'<span class="visually-hidden">, </span>([\d,]+)',
            html,
        )
        for href, name, count in rows:
            args = query_args(unescape(href))
            assert ("person", unescape(name)) in args and ("section", "Politics") in args
            seen.append((unescape(name), int(count.replace(",", ""))))
        url = next((link.href for link in page.links if link.text == "Next →"), None)
    assert len(expected) > 50  # several pages of 50
    assert dict(seen) == dict(expected) and len(seen) == len(expected)
    assert [n for _, n in seen] == sorted((n for _, n in seen), reverse=True)
    assert f"{len(expected):,} people in these results" in html


def test_a_page_past_the_end_says_so(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/facets/people?section=Politics&page=90")
    assert "This list has fewer pages" in html


# -- value search within the search ------------------------------------------------


def test_value_search_counts_equal_the_sidebar_counts(client: FlaskClient) -> None:
    for args in ("section=Politics", "q=talks", "person=Alina+Vasquez&person_mode=all"):
        sidebar = api_counts(client, args)
        body = fetch(client, f"/api/facets/people?prefix=a&limit=100&{args}").get_json()
        assert body["scope"] == "search" and body["values"]
        for row in body["values"]:
            if row["value"] in sidebar:
                assert sidebar[row["value"]] == row["count"], (args, row)
        # The sidebar lists the 30 most frequent: those starting a word with "a" are found.
        found = {row["value"] for row in body["values"]}
        assert {v for v in sidebar if re.search(r"(^|\s)a", v, re.I)} <= found


def test_value_search_matches_a_word_start_and_says_so(client: FlaskClient) -> None:
    body = fetch(client, "/api/facets/people?prefix=vasq&limit=100").get_json()
    assert "Alina Vasquez" in [row["value"] for row in body["values"]]
    inside = fetch(client, "/api/facets/people?prefix=asquez&limit=100").get_json()
    assert inside["values"] == []  # inside a word is no match
    html, page = fetch_page(client, "/facets/people?prefix=alina+v&q=")
    assert "Names with a word starting with" in page.plain_text()
    assert "Alina Vasquez" in html
    assert "starts with" not in page.plain_text().lower()


# -- readable section labels -------------------------------------------------------


def test_section_slugs_read_as_words_and_links_keep_the_slug(client: FlaskClient) -> None:
    assert spec("sections").value_label(SLUG) == SLUG_LABEL
    assert spec("sections").value_label("World") == "World"
    assert spec("people").value_label("Anna_Nowak") == "Anna_Nowak"  # people are no slugs
    html, page = fetch_page(client, "/?q=lawmakers")
    assert shown_total(html) == 2
    assert SLUG_LABEL in page.plain_text()
    assert SLUG not in page.plain_text()  # neither in the sidebar nor in a hit's line
    toggle = page.href(SLUG_LABEL)
    assert ("section", SLUG) in query_args(toggle)
    html, page = fetch_page(client, toggle)
    assert f"Section: {SLUG_LABEL}" in page.plain_text()  # the chip
    article = page.href("Debate on the bill")
    _, page = fetch_page(client, article)
    assert SLUG_LABEL in page.plain_text() and SLUG not in page.plain_text()


# -- the array engine and Whoosh's own segments agree ---------------------------


class Pair:
    """A searcher over packed segments and one over Whoosh-written segments, same articles."""

    def __init__(self, root: Path) -> None:
        from archive.index.maintenance import reindex

        articles = many_articles(1200)
        config, self.store = make_archive(root / "packed", articles, index=False)
        reindex(config, self.store, workers=1)
        stock = Config(root / "stock")
        whoosh_written_index(stock, self.store)
        self.packed, self.stock = Searcher(config), Searcher(stock)

    def close(self) -> None:
        self.packed.close()
        self.stock.close()
        self.store.close()


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pair]:
    both = Pair(tmp_path_factory.mktemp("pair"))
    yield both
    both.close()


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(selected={"people": ("Anna Nowak", "Maria Curie")}, modes={"people": "all"}),
        Criteria(
            q="market OR storm",
            selected={"people": ("Jan Kowalski",), "outlets": ("BBC", "AP")},
            modes={"people": "all"},
            sort="newest",
            per_page=50,
        ),
        Criteria(selected={"outlets": ("BBC", "AP")}, modes={"outlets": "all"}),
    ],
)
def test_packed_and_stock_segments_agree_on_all(pair: Pair, criteria: Criteria) -> None:
    assert not any(seg.postings.packed for seg in pair.stock._current().segments)
    ours, theirs = pair.packed.search(criteria).to_json(), pair.stock.search(criteria).to_json()
    assert ours["facets"] == theirs["facets"]
    assert ours["total"] == theirs["total"]
    assert [h["id"] for h in ours["hits"]] == [h["id"] for h in theirs["hits"]]


def test_all_on_generated_people_counts_what_a_direct_count_gives(pair: Pair) -> None:
    articles = pair.store.get_many(sorted(pair.store.ids()))
    picked = ["Anna Nowak", "Maria Curie"]
    both = having(articles, "people", picked, every=True)
    result = pair.packed.search(
        Criteria(selected={"people": tuple(picked)}, modes={"people": "all"})
    )
    assert result.total == len(both) > 0
    counts: dict[str, Any] = {row["value"]: row["count"] for row in result.facets["people"]}
    assert counts == dict(counted(both, "people"))
    # Articles never carry two outlets here: all of two outlets is nothing.
    nothing = Criteria(selected={"outlets": ("BBC", "AP")}, modes={"outlets": "all"})
    assert pair.packed.search(nothing).total == 0


def test_the_api_pages_through_every_value_too(client: FlaskClient, stored: list[Article]) -> None:
    expected = counted([a for a in stored if a.section == "Politics"], "people")
    seen: dict[str, int] = {}
    offset = 0
    while True:
        url = f"/api/facets/people?section=Politics&limit=40&offset={offset}"
        body = fetch(client, url).get_json()
        assert body["matched"] == len(expected) and body["offset"] == offset
        if not body["values"]:
            break
        seen.update((row["value"], row["count"]) for row in body["values"])
        offset += len(body["values"])
    assert seen == dict(expected) and offset == len(expected)
    fetch(client, "/api/facets/people?offset=-1", 400)
