"""Trends (issue 11, item 5): series per month counted on a real index, as a page, JSON, CSV.

The expected numbers are counted here straight from the articles the archive was built
from, so the searcher's month columns are checked against the data, not against themselves.
"""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import pytest
from fixtures import Page, build_archive, fetch, fetch_page, many_articles, query_args, shown_total
from jsonschema import Draft202012Validator

from archive.errors import SearchError
from archive.search.trends import MAX_SERIES, parse_all, parse_series, trend

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from archive.config import Config
    from archive.models import Article

ARTICLES = many_articles(240)
ANNA, JAN = "Anna Nowak", "Jan Kowalski"


def month(article: Article) -> str:
    assert article.date is not None
    return f"{article.date.year:04d}-{article.date.month:02d}"


def expected(keep: Any) -> Counter[str]:
    """Count the dated articles that keep() accepts, by month."""
    return Counter(month(a) for a in ARTICLES if a.date and keep(a))


ALL = expected(lambda a: True)


@pytest.fixture(scope="module")
def archive(tmp_path_factory: pytest.TempPathFactory) -> Config:
    return build_archive(tmp_path_factory.mktemp("trends") / "home", ARTICLES)


@pytest.fixture(scope="module")
def searcher(archive: Config) -> Iterator[Any]:
    from archive.search import Searcher

    with Searcher(archive) as opened:
        yield opened


@pytest.fixture
def trends_app(make_app: Any, archive: Config) -> Flask:
    return make_app(archive.home)


@pytest.fixture
def client(trends_app: Flask) -> FlaskClient:
    return trends_app.test_client()


def series_query(*specs: str, **extra: str) -> str:
    return urlencode([("series", s) for s in specs] + list(extra.items()))


# -- counting ----------------------------------------------------------------------


def test_series_count_each_month_as_the_articles_say(searcher: Any) -> None:
    found = trend(searcher, parse_all([f"person:{ANNA}", "q:storm"]))
    anna = expected(lambda a: ANNA in a.people)
    storm = expected(lambda a: "storm" in a.body.split())
    used = sorted(anna | storm)
    assert found.months[0] == used[0] and found.months[-1] == used[-1]
    assert len(found.months) == len(set(found.months))  # consecutive, each month once
    assert found.totals == [ALL[m] for m in found.months]
    by_label = {line.series.label: line for line in found.lines}
    assert by_label[ANNA].counts == [anna[m] for m in found.months]
    assert by_label["storm"].counts == [storm[m] for m in found.months]
    for line in found.lines:
        for n, total, share in zip(line.counts, found.totals, line.shares):
            assert share == (round(n / total, 6) if total else 0.0)
    # Undated articles have no month: the counts are the dated ones only.
    assert (
        sum(by_label[ANNA].counts) == sum(anna.values()) < sum(ANNA in a.people for a in ARTICLES)
    )


def test_a_whole_search_is_a_series(searcher: Any) -> None:
    (series,) = parse_all(["search:q=storm&outlet=BBC&page=4&sort=newest"])
    assert series.spec == "search:q=storm&outlet=BBC" and series.label == "storm · BBC"
    (line,) = trend(searcher, [series]).lines
    wanted = expected(lambda a: "storm" in a.body.split() and "BBC" in a.outlets)
    assert sum(line.counts) == sum(wanted.values()) > 0


def test_a_series_with_no_dated_article_has_no_months(searcher: Any) -> None:
    found = trend(searcher, parse_all(["q:zebracorn"]))
    assert found.months == [] and [line.counts for line in found.lines] == [[]]


@pytest.mark.parametrize(
    ("text", "spec", "label"),
    [
        ("person:Anna  Nowak", "person:Anna Nowak", "Anna Nowak"),
        ("outlet: Reuters", "outlet:Reuters", "Reuters"),
        ("section:gun_control", "section:gun_control", "Gun control"),  # as pages show it
        ("climate", "q:climate", "climate"),
        ("q:title:budget", "q:title:budget", "title:budget"),
        ("title:budget", "q:title:budget", "title:budget"),  # not a kind: a query
        ("search:person=Anna+Nowak&exclude_outlet=BBC&from=2016", None, "Anna Nowak · not BBC"),
    ],
)
def test_series_are_written_kind_colon_value(text: str, spec: str | None, label: str) -> None:
    series = parse_series(text)
    assert series.label.startswith(label)
    if spec:
        assert series.spec == spec


@pytest.mark.parametrize(
    ("texts", "message"),
    [
        ([f"q:word{i}" for i in range(MAX_SERIES + 1)], "at most 5 series; 6 were given"),
        (["person:"], "no value after the colon"),
        (["search:page=2"], "needs a query or a filter"),
        (["search:from=yesterday"], "yesterday"),
    ],
)
def test_bad_series_say_why(texts: list[str], message: str) -> None:
    with pytest.raises(SearchError, match=message):
        parse_all(texts)


def test_blank_and_repeated_series_are_dropped() -> None:
    found = parse_all(["", "q:storm", "  ", "storm", *[f"q:w{i}" for i in range(4)]])
    assert [s.spec for s in found] == ["q:storm", "q:w0", "q:w1", "q:w2", "q:w3"]


# -- the page -------------------------------------------------------------------------


def points(html: str) -> list[tuple[str, str, str]]:
    """Return (series class, month, href) of every clickable point of the chart."""
    found = []
    for number, body in re.findall(r'<g class="line (series-\d)"[^>]*>(.*?)</g>', html, re.S):
        for href, when in re.findall(r'<a href="([^"]+)"[^>]*data-month="([^"]+)"', body):
            found.append((number, when, href.replace("&amp;", "&")))
    return found


def test_page_draws_a_line_per_series_whose_points_open_their_month(client: FlaskClient) -> None:
    html, page = fetch_page(client, "/trends?" + series_query(f"person:{ANNA}", f"person:{JAN}"))
    assert html.count("<polyline") == 2
    anna = expected(lambda a: ANNA in a.people)
    drawn = [(when, href) for number, when, href in points(html) if number == "series-0"]
    assert sorted(when for when, _ in drawn) == sorted(anna)  # one point per month with any
    when, href = drawn[len(drawn) // 2]
    assert query_args(href) == [("person", ANNA), ("from", when), ("to", when)]
    assert shown_total(fetch(client, href).get_data(as_text=True)) == anna[when]
    # The legend names both series with their totals; the table links the same searches.
    assert f"{sum(anna.values()):,} articles" in page.plain_text()
    assert href.replace("&", "&amp;") in html.split("<table")[1]


def test_share_toggle_plots_percentages(client: FlaskClient) -> None:
    html, page = fetch_page(client, "/trends?" + series_query("q:storm", measure="share"))
    assert "Share of all articles per month" in page.plain_text()
    assert re.search(r"<text[^>]*>\d+(\.\d+)?%</text>", html)  # the y axis is in percent
    assert query_args(page.href("Articles")) == [("series", "q:storm")]


def test_more_than_five_series_is_a_400_page_that_keeps_them(client: FlaskClient) -> None:
    typed = [f"q:word{i}" for i in range(7)]
    html, page = fetch_page(client, "/trends?" + series_query(*typed), 400)
    assert "at most 5 series; 7 were given: remove 2" in page.plain_text()
    kept = [attrs.get("value") for tag, attrs in page.tags if attrs.get("name") == "series"]
    assert kept == typed


def test_empty_page_offers_a_first_comparison(client: FlaskClient) -> None:
    _, page = fetch_page(client, "/trends")
    example = next(link for link in page.links if " and " in link.text)
    assert [k for k, _ in query_args(example.href)] == ["series", "series"]
    fetch(client, example.href)


def test_bad_measure_is_400(client: FlaskClient) -> None:
    fetch(client, "/trends?" + series_query("q:storm", measure="bogus"), 400)


# -- JSON and CSV ------------------------------------------------------------------------


def test_api_matches_the_openapi_document_and_the_page(client: FlaskClient) -> None:
    from archive.web.openapi import openapi_document

    document = openapi_document()
    response = fetch(client, "/api/trends?" + series_query(f"person:{ANNA}", "q:storm"))
    schema = document["paths"]["/api/trends"]["get"]["responses"]["200"]["content"]
    validator = Draft202012Validator(
        dict(schema["application/json"]["schema"], components=document["components"])
    )
    body = response.get_json()
    assert not list(validator.iter_errors(body))
    anna = body["series"][0]
    assert anna["spec"] == f"person:{ANNA}" and query_args(anna["search"]) == [("person", ANNA)]
    assert anna["counts"] == [expected(lambda a: ANNA in a.people)[m] for m in body["months"]]
    assert body["totals"] == [ALL[m] for m in body["months"]]

    error = client.get("/api/trends?" + series_query(*[f"q:w{i}" for i in range(6)]))
    assert error.status_code == 400 and "at most 5" in error.get_json()["error"]


def test_csv_has_a_row_per_series_and_month(client: FlaskClient) -> None:
    query = series_query(f"person:{ANNA}", "q:-storm")
    body = fetch(client, "/api/trends?" + query).get_json()
    response = fetch(client, "/trends.csv?" + query)
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 2 * len(body["months"])
    anna = [r for r in rows if r["series"] == f"person:{ANNA}"]
    assert [int(r["articles"]) for r in anna] == body["series"][0]["counts"]
    assert [int(r["all_articles"]) for r in anna] == body["totals"]
    assert [float(r["share"]) for r in anna] == body["series"][0]["shares"]
    # A label starting like a formula stays text in a spreadsheet.
    assert {r["label"] for r in rows if r["series"] != f"person:{ANNA}"} == {"'-storm"}
    bad = client.get("/trends.csv?series=person:")
    assert bad.status_code == 400 and b"no value after the colon" in bad.data


def test_search_page_links_its_search_to_trends(client: FlaskClient) -> None:
    _, page = fetch_page(client, "/?q=storm&person=Anna+Nowak")
    href = page.href("Compare over time")
    (spec,) = [v for k, v in query_args(href) if k == "series"]
    assert spec == "search:q=storm&person=Anna+Nowak"
    html = fetch(client, href).get_data(as_text=True)
    assert Page(html).plain_text().count("storm · Anna Nowak") >= 1


def test_chart_module_nice_axis() -> None:
    from archive.web.trend_chart import nice_top

    assert [nice_top(v) for v in (0, 3, 7, 10, 37, 101)] == [1.0, 4, 8, 10, 40, 200]
    assert [nice_top(v, whole=True) for v in (1, 2, 5, 9, 90)] == [
        4,
        4,
        8,
        20,
        100,
    ]  # 1 article a tick
