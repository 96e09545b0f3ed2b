"""The web pages through Flask's test client: every route, parameter errors and escaping."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote

import pytest
from fixtures import (
    XSS_PERSON,
    XSS_TITLE,
    Page,
    build_archive,
    fetch,
    fetch_page,
    query_args,
    shown_total,
    utc,
)

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from archive.config import Config

ATOM = "{http://www.w3.org/2005/Atom}"


def find_id(client: FlaskClient, q: str) -> str:
    """Return the id of the first hit of the query q (through the API)."""
    return client.get("/api/search", query_string={"q": q}).get_json()["hits"][0]["id"]


def stems(word: str) -> list[str]:
    """Return the index terms the body analyzer makes of word."""
    from archive.index.text import StemAnalyzer

    return [token.text for token in StemAnalyzer()(word)]


# -- the search page ---------------------------------------------------------


def test_search_page_shows_results_facets_and_histogram(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/?q=talks")
    assert shown_total(html) > 10
    hits = html.split('<li class="hit">')[1:]
    assert len(hits) == 20  # the first page is full
    # Every hit shows why it matched, and only forms of the query word are marked.
    assert all("<mark>" in hit for hit in hits)
    marked = set(re.findall(r"<mark>(.*?)</mark>", html))
    assert "talks" in marked and {tuple(stems(word)) for word in marked} == {("talk",)}
    for heading in ("Published", "People", "Outlets", "Sections"):
        assert f">{heading}</h2>" in html
    assert "<svg" in html and 'class="bars"' in html
    assert any(link.attrs.get("rel") == "next" for link in doc.links)


def test_security_headers_forbid_inline_script(client: FlaskClient) -> None:
    response = fetch(client, "/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    # The only script is the static file; there is no inline handler attribute.
    assert re.findall(r"<script[^>]*>", html) == ['<script src="/static/app.js" defer>']
    assert not [a for _, attrs in Page(html).tags for a in attrs if a.startswith("on")]


def test_person_facet_selection_and_second_value_is_or(client: FlaskClient) -> None:
    _, doc = fetch_page(client, "/")
    first = doc.href("Quentin Quill")
    assert ("person", "Quentin Quill") in query_args(first)
    html, doc = fetch_page(client, first)
    assert shown_total(html) == 3
    # Disjunctive counts: the other people are still offered, and adding one widens.
    second = next(
        h
        for h, _, a in doc.links
        if a.get("class") == "toggle"
        and ("person", "Quentin Quill") in query_args(h)
        and len([k for k, _ in query_args(h) if k == "person"]) == 2
    )
    assert shown_total(fetch_page(client, second)[0]) > 3


def test_two_facets_combine_with_and_and_chips_remove_one(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/?person=Quentin+Quill&outlet=Radio+Meridian")
    assert shown_total(html) == 1
    assert "Active filters" in html
    remove = next(
        h for h, _, a in doc.links if (a.get("aria-label") or "").startswith("Remove filter Outlet")
    )
    assert query_args(remove) == [("person", "Quentin Quill")]
    assert shown_total(fetch_page(client, remove)[0]) == 3
    clear = doc.href("Clear all filters")
    assert query_args(clear) == []


def test_exclusion_link_and_chip(client: FlaskClient) -> None:
    _, doc = fetch_page(client, "/?person=Quentin+Quill")
    exclude = next(
        h
        for h, _, a in doc.links
        if a.get("class") == "exclude" and ("exclude_outlet", "Radio Meridian") in query_args(h)
    )
    html, _ = fetch_page(client, exclude)
    assert shown_total(html) == 2
    assert "Not outlet" in html


def test_histogram_bar_filters_to_its_year_then_months(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/")
    bar = next(h for h, _, a in doc.links if (a.get("aria-label") or "").startswith("2019:"))
    assert ("from", "2019") in query_args(bar) and ("to", "2019") in query_args(bar)
    html, doc = fetch_page(client, bar)
    labels = [a.get("aria-label") or "" for _, _, a in doc.links]
    months = [label for label in labels if re.match(r"[A-Z][a-z]+ 2019: ", label)]
    assert months, "a one-year range shows bars by month"
    counted = sum(int(re.findall(r": (\d+) article", month)[0]) for month in months)
    assert counted == shown_total(html)


def test_date_range_inputs_and_undated(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/?from=2019-03&to=2019-03")
    assert 'value="2019-03"' in html
    assert all("2019" in t for t in re.findall(r'<time datetime="([^"]+)"', html))
    everything = shown_total(fetch_page(client, "/")[0])
    without = shown_total(fetch_page(client, "/?undated=0&undated=1")[0])
    assert without == everything
    assert shown_total(fetch_page(client, "/?undated=0")[0]) == everything - 1


def test_pagination_numbers_and_past_the_end(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/?per_page=5")
    following = next(h for h, _, a in doc.links if a.get("rel") == "next")
    assert ("page", "2") in query_args(following)
    second, _ = fetch_page(client, following)
    assert 'start="6"' in second
    html, doc = fetch_page(client, "/?per_page=5&page=9999")
    assert "past the end" in html
    assert ("page", str((shown_total(html) + 4) // 5)) in query_args(doc.href("last page"))


def test_sort_orders_by_date(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/?q=talks&sort=oldest")
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates)
    html, _ = fetch_page(client, "/?q=talks&sort=newest")
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates, reverse=True)


def test_forms_carry_the_state_as_hidden_inputs(client: FlaskClient) -> None:
    _, doc = fetch_page(client, "/?q=talks&person=Quentin+Quill&sort=newest&page=2")
    hidden = [
        (a["name"], a["value"])
        for tag, a in doc.tags
        if tag == "input" and a.get("type") == "hidden"
    ]
    assert ("person", "Quentin Quill") in hidden and ("sort", "newest") in hidden
    assert ("page", "2") not in hidden  # a new query starts on page 1


def test_empty_result_offers_to_drop_filters_and_suggests(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/?q=zebracorn&outlet=Signal+Weekly")
    assert "No articles match" in html
    drop = doc.href("search without any filters")
    assert query_args(drop) == [("q", "zebracorn")]
    # A misspelling finds nothing: the page offers the word the archive has, twice.
    _, doc = fetch_page(client, "/?q=zebracron")
    text = doc.plain_text()
    assert "Did you mean zebracorn?" in text and "Try zebracorn instead." in text
    offered = [query_args(link.href) for link in doc.links if link.text == "zebracorn"]
    assert offered == [[("q", "zebracorn")]] * 2
    # A word the archive has gets no suggestion.
    text = fetch_page(client, "/?q=zebracorn")[1].plain_text()
    assert "Did you mean" not in text and "instead" not in text


@pytest.mark.parametrize(
    "query",
    [
        "page=-1",
        "page=abc",
        "per_page=10000",
        "per_page=0",
        "from=not-a-date",
        "to=2023-13",
        "from=2020&to=2019",
        "sort=sideways",
        "undated=maybe",
        "q=" + "x" * 600,
        "q=%22unbalanced",
        "q=(open",
        "q=AND",
        "q=a*",
    ],
)
def test_bad_parameters_are_a_400_page(client: FlaskClient, query: str) -> None:
    html, _ = fetch_page(client, "/?" + query, 400)
    assert "That search cannot run" in html and "Traceback" not in html


# -- escaping ----------------------------------------------------------------

ALLOWED_TAGS = (
    "mark|a|p|h\\d|li|ul|ol|dl|dt|dd|div|span|section|nav|header|footer|main|aside|form|input|"
    "label|button|select|option|details|summary|strong|em|code|pre|time|svg|rect|article|meta|"
    "link|title|html|head|body|script|!doctype"
)


def test_article_html_is_escaped_everywhere(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/?q=zebracorn")
    assert XSS_TITLE not in html and "<script>window" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    article_id = find_id(client, "title:payload")
    for url in (
        f"/articles/{article_id}",
        f"/articles/{article_id}?q=zebracorn+script",
        "/people/Quentin Quill",
        "/outlets/Vistula Wire",
        "/?person=Quentin+Quill",
        "/facets/outlets?prefix=b",
    ):
        html, doc = fetch_page(client, url)
        assert "<script>window" not in html and "<img" not in html and "<b " not in html, url
        assert not re.search(rf"<(?!/?({ALLOWED_TAGS})[\s>/])", html, re.I), url
        assert not any(h.lower().startswith("javascript:") for h, _, _ in doc.links), url


def test_article_page_highlights_and_links_people(client: FlaskClient) -> None:
    article_id = find_id(client, "title:harbour quill")
    html, doc = fetch_page(client, f"/articles/{article_id}?q=dredging&person=Quentin+Quill")
    assert "<mark>dredging</mark>" in html
    back = query_args(doc.href("Back to results"))
    assert back == [("q", "dredging"), ("person", "Quentin Quill")]
    assert doc.href("Petra Plum") == "/people/Petra%20Plum"
    assert doc.href("https://example.org/quill-harbour") == "https://example.org/quill-harbour"
    assert "Similar articles" in html


def test_article_with_xss_payload_is_text(client: FlaskClient) -> None:
    article_id = find_id(client, "title:payload")
    html, doc = fetch_page(client, f"/articles/{article_id}")
    assert "window.__xss" in html  # shown, as text
    assert "javascript:" not in " ".join(h for h, _, _ in doc.links)
    name = XSS_PERSON.replace("<", "&lt;").replace(">", "&gt;")
    assert name.split("=")[0] in html


def test_article_with_bad_search_state_still_renders(client: FlaskClient) -> None:
    article_id = find_id(client, "title:harbour quill")
    html, _ = fetch_page(client, f"/articles/{article_id}?page=-4&q=%22open")
    assert "Back to results" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/articles/0000000000000000",
        "/articles/" + "x" * 300,
        "/people/Nobody Atall",
        "/outlets/No Such Outlet",
        "/nowhere",
        "/facets/authors",
    ],
)
def test_unknown_things_are_a_404_page(client: FlaskClient, url: str) -> None:
    html, _ = fetch_page(client, url, 404)
    assert "Error 404" in html


def test_wrong_method_is_405_not_500(client: FlaskClient) -> None:
    assert client.post("/").status_code == 405
    assert client.delete("/api/search").get_json()["status"] == 405


# -- person, outlet and facet pages ------------------------------------------


def test_person_page_counts_timeline_companions_and_latest(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/people/quentin quill")  # case does not matter
    assert "<h1>Quentin Quill</h1>" in html
    assert re.search(r"Named in <strong>3</strong> articles", html)
    assert doc.href("Petra Plum") == "/people/Petra%20Plum"
    assert doc.href("Vistula Wire") == "/outlets/Vistula%20Wire"
    assert "Mentions by month" in html and "March 2019" in html
    assert query_args(doc.href("Search and refine")) == [("person", "Quentin Quill")]
    assert len(re.findall(r'<li class="hit">', html)) == 3


def test_outlet_page(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/outlets/Radio%20Meridian")
    cited = re.findall(r"Published by or cited in <strong>([\d,]+)</strong>", html)
    api = client.get("/api/search?outlet=Radio+Meridian").get_json()
    assert [int(count.replace(",", "")) for count in cited] == [api["total"]]
    assert any(h.startswith("/people/") for h, _, _ in doc.links)


def test_facet_value_search_page_adds_a_filter(client: FlaskClient) -> None:
    _, doc = fetch_page(client, "/facets/people?prefix=quen&q=harbour")
    href = doc.href("Quentin Quill")
    assert query_args(href) == [("q", "harbour"), ("person", "Quentin Quill")]
    # Counted within the search (issue 9): a value none of its articles name is not offered.
    html, _ = fetch_page(client, "/facets/people?prefix=quen&q=talks")
    assert "Quentin Quill" not in html


# -- exports and feeds -------------------------------------------------------


def test_csv_export_streams_every_match_in_order(client: FlaskClient) -> None:
    with client.get("/export.csv?q=talks&sort=newest") as response:
        assert response.status_code == 200 and response.is_streamed
        response.get_data()
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    pages = [
        client.get(f"/api/search?q=talks&sort=newest&per_page=100&page={number}").get_json()
        for number in (1, 2)
    ]
    # More matches than the API's largest page: the export is not cut at one page.
    assert len(rows) == pages[0]["total"] > 100
    assert [r["id"] for r in rows] == [h["id"] for page in pages for h in page["hits"]]
    assert rows[0]["link"].endswith("/articles/" + rows[0]["id"])


def test_csv_export_beyond_one_batch(app: Flask, client: FlaskClient) -> None:
    app.config["EXPORT_BATCH"] = 7
    rows = list(csv.DictReader(io.StringIO(fetch(client, "/export.csv").get_data(as_text=True))))
    assert len(rows) == client.get("/api/search").get_json()["total"]
    assert len({r["id"] for r in rows}) == len(rows)


def test_jsonl_export_has_full_articles(client: FlaskClient) -> None:
    lines = fetch(client, "/export.jsonl?person=Quentin+Quill").get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3 and all("Quentin Quill" in r["people"] for r in records)
    assert {r["title"] for r in records} >= {XSS_TITLE}


def test_export_with_bad_parameters_is_400(client: FlaskClient) -> None:
    fetch(client, "/export.csv?page=-1", 400)
    fetch(client, "/export.jsonl?from=yesterday", 400)


def test_atom_feed_is_valid_xml_and_escaped(client: FlaskClient) -> None:
    response = fetch(client, "/feed.atom?q=zebracorn")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert XSS_TITLE in titles  # parsed back to the exact original text
    assert "&lt;script&gt;" in response.get_data(as_text=True)
    links = [
        link.get("href") or ""
        for entry in root.iter(f"{ATOM}entry")
        for link in entry.findall(f"{ATOM}link")
    ]
    assert links and all(link.startswith("http://localhost/articles/") for link in links)
    self_links = [
        link.get("href") or "" for link in root.findall(f"{ATOM}link") if link.get("rel") == "self"
    ]
    assert [query_args(link) for link in self_links] == [[("q", "zebracorn")]]


def test_search_page_links_exports_with_state(client: FlaskClient) -> None:
    _, doc = fetch_page(client, "/?q=talks&person=Quentin+Quill")
    for label in ("CSV", "JSON Lines", "Atom feed"):
        assert query_args(doc.href(label)) == [("q", "talks"), ("person", "Quentin Quill")]


# -- missing archive and static files ---------------------------------------


def test_missing_index_is_a_503_with_what_to_run(
    make_app: Callable[[Path], Flask], tmp_path: Path
) -> None:
    client = make_app(tmp_path).test_client()
    html = fetch(client, "/", 503).get_data(as_text=True)
    assert "newsarchive" in html and "Traceback" not in html
    body = fetch(client, "/api/search", 503).get_json()
    assert body["status"] == 503 and "newsarchive" in (body.get("hint", "") + body["error"])


def test_empty_archive_says_how_to_fill_it(
    make_app: Callable[[Path], Flask], tmp_path: Path
) -> None:
    from archive.config import Config
    from archive.index import maintenance as indexer
    from archive.store import Store

    config = Config(home=tmp_path)
    Store(config.store_path).close()
    with indexer.index_lock(config):
        indexer.create_empty(config)
    html = fetch(make_app(tmp_path).test_client(), "/", 503).get_data(as_text=True)
    assert "newsarchive ingest" in html


def test_static_files_are_served(client: FlaskClient) -> None:
    for path, needle in (
        ("/static/style.css", b"prefers-reduced-motion"),
        ("/static/app.js", b"textContent"),
    ):
        with client.get(path) as response:  # file responses must be closed
            assert response.status_code == 200 and needle in response.data


def test_feed_survives_control_characters(
    make_app: Callable[[Path], Flask], tmp_path: Path
) -> None:
    from archive.models import Article

    build_archive(
        tmp_path,
        [
            Article(
                title="Bell\x07 and\x0b tab",
                body="control chars\x00 here",
                date=utc(2020, 1, 1),
                outlets=["O\x1b"],
            )
        ],
    )
    response = fetch(make_app(tmp_path).test_client(), "/feed.atom")
    root = ET.fromstring(response.data)
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == ["Bell and tab"]


def test_close_searcher_releases_the_index_and_a_later_request_reopens_it(
    make_app: Callable[[Path], Flask], small_archive: Config
) -> None:
    from archive.web.resources import close_searcher, get_searcher

    app = make_app(small_archive.home)
    client = app.test_client()
    fetch(client, "/?q=talks")
    with app.app_context():
        searcher = get_searcher()
    readers = [seg.searcher.reader() for seg in searcher._current().segments]
    assert readers and not any(reader.is_closed for reader in readers)
    close_searcher(app)
    assert all(reader.is_closed for reader in readers)
    close_searcher(app)  # closing twice is harmless
    fetch(client, "/?q=talks")
    with app.app_context():
        assert get_searcher() is not searcher


# -- view helpers --------------------------------------------------------------


def test_page_window_marks_gaps() -> None:
    from archive.web.presenters import page_window

    assert page_window(1, 1) == []
    assert page_window(1, 4) == [1, 2, 3, 4]
    assert page_window(10, 40) == [1, None, 8, 9, 10, 11, 12, None, 40]


def test_links_keep_state_and_reset_page() -> None:
    from archive.web.presenters import Links

    links = Links([("q", "x"), ("person", "A"), ("page", "3")], lambda pairs: pairs)
    assert links.add("person", "B", "exclude_person") == [
        ("q", "x"),
        ("person", "A"),
        ("person", "B"),
    ]
    assert links.add("exclude_person", "a", "person") == [("q", "x"), ("exclude_person", "a")]
    assert links.remove("person", "a") == [("q", "x")]
    assert links.set({"from": "2019", "to": None}) == [
        ("q", "x"),
        ("person", "A"),
        ("from", "2019"),
    ]
    assert links.page(1) == [("q", "x"), ("person", "A")]


def test_marks_only_neutralises_other_tags() -> None:
    from archive.web.presenters import marks_only

    assert (
        str(marks_only("a <mark>b</mark> <script>x</script>"))
        == "a <mark>b</mark> &lt;script>x&lt;/script>"
    )


def test_entity_urls_match_the_router(app: Flask) -> None:
    from flask import url_for

    from archive.web.resources import entity_url

    with app.test_request_context("/"):
        for name in ("Zoë Ąę", "a/b", "what? #1 & co", "100%"):
            expected = url_for("pages.entity", kind="people", name=name)
            assert unquote(entity_url("person", name)) == unquote(expected)
            path = unquote(entity_url("outlet", name))  # as the server decodes it
            assert app.url_map.bind("localhost").match(path)[1]["name"] == name
