"""The web pages through Flask's test client: every route, parameter errors and escaping."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest

from conftest import XSS_OUTLET, XSS_PERSON, XSS_TITLE, no_500_app

ATOM = "{http://www.w3.org/2005/Atom}"


class Page(HTMLParser):
    """Collect links (href, text, attributes) and the text of a page."""

    def __init__(self, html: str):
        super().__init__()
        self.links, self.tags, self._open, self.text = [], [], [], []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if tag == "a":
            self._open.append([attrs, ""])

    def handle_data(self, data):
        self.text.append(data)
        for item in self._open:
            item[1] += data

    def handle_endtag(self, tag):
        if tag == "a" and self._open:
            attrs, text = self._open.pop()
            self.links.append((attrs.get("href", ""), " ".join(text.split()), attrs))

    def href(self, text: str) -> str:
        """Return the href of the first link whose text contains text."""
        for href, label, _ in self.links:
            if text in label:
                return href
        raise AssertionError(f"no link with text {text!r}")


def get(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code, response.data[:500])
    return response


def page(client, url, status=200) -> tuple[str, Page]:
    html = get(client, url, status).get_data(as_text=True)
    return html, Page(html)


def args(href: str) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(href).query)


def total(html: str) -> int:
    return int(re.search(r'class="total"[^>]*><strong>([\d,]+)</strong>', html).group(1).replace(",", ""))


def find_id(client, q) -> str:
    return client.get("/api/search", query_string={"q": q}).get_json()["hits"][0]["id"]


# -- the search page ---------------------------------------------------------

def test_search_page_shows_results_facets_and_histogram(client):
    html, doc = page(client, "/?q=talks")
    assert total(html) > 10
    assert "<mark>talks</mark>" in html.lower() or "<mark>talk" in html.lower()
    for heading in ("Published", "People", "Outlets", "Sections"):
        assert f">{heading}</h2>" in html
    assert "<svg" in html and 'class="bars"' in html
    assert any(a.get("rel") == "next" for _, _, a in doc.links)


def test_security_headers_forbid_inline_script(client):
    response = get(client, "/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    html = response.get_data(as_text=True)
    # The only script is the static file; there is no inline handler attribute.
    assert re.findall(r"<script[^>]*>", html) == [f'<script src="/static/app.js" defer>']
    assert not [a for _, attrs in Page(html).tags for a in attrs if a.startswith("on")]


def test_person_facet_selection_and_second_value_is_or(client):
    _, doc = page(client, "/")
    first = doc.href("Quentin Quill")
    assert ("person", "Quentin Quill") in args(first)
    html, doc = page(client, first)
    assert total(html) == 3
    # Disjunctive counts: the other people are still offered, and adding one widens.
    second = next(h for h, t, a in doc.links
                  if a.get("class") == "toggle" and ("person", "Quentin Quill") in args(h)
                  and len([k for k, _ in args(h) if k == "person"]) == 2)
    assert total(page(client, second)[0]) > 3


def test_two_facets_combine_with_and_and_chips_remove_one(client):
    html, doc = page(client, "/?person=Quentin+Quill&outlet=Radio+Meridian")
    assert total(html) == 1
    assert "Active filters" in html
    remove = next(h for h, _, a in doc.links
                  if a.get("aria-label", "").startswith("Remove filter Outlet"))
    assert args(remove) == [("person", "Quentin Quill")]
    assert total(page(client, remove)[0]) == 3
    clear = doc.href("Clear all filters")
    assert args(clear) == []


def test_exclusion_link_and_chip(client):
    _, doc = page(client, "/?person=Quentin+Quill")
    exclude = next(h for h, _, a in doc.links
                   if a.get("class") == "exclude" and ("exclude_outlet", "Radio Meridian") in args(h))
    html, _ = page(client, exclude)
    assert total(html) == 2
    assert "Not outlet" in html


def test_histogram_bar_filters_to_its_year_then_months(client):
    html, doc = page(client, "/")
    bar = next(h for h, _, a in doc.links if a.get("aria-label", "").startswith("2019:"))
    assert ("from", "2019") in args(bar) and ("to", "2019") in args(bar)
    html, doc = page(client, bar)
    months = [a["aria-label"] for _, _, a in doc.links if re.match(r"\w{3} 2019: ", a.get("aria-label", ""))]
    assert months, "a one-year range shows bars by month"
    counted = sum(int(re.search(r": (\d+) article", m).group(1)) for m in months)
    assert counted == total(html)


def test_date_range_inputs_and_undated(client):
    html, _ = page(client, "/?from=2019-03&to=2019-03")
    assert 'value="2019-03"' in html
    assert all("2019" in t for t in re.findall(r'<time datetime="([^"]+)"', html))
    everything = total(page(client, "/")[0])
    without = total(page(client, "/?undated=0&undated=1")[0])
    assert without == everything
    assert total(page(client, "/?undated=0")[0]) == everything - 1


def test_pagination_numbers_and_past_the_end(client):
    html, doc = page(client, "/?per_page=5")
    nxt = next(h for h, _, a in doc.links if a.get("rel") == "next")
    assert ("page", "2") in args(nxt)
    html2, _ = page(client, nxt)
    assert 'start="6"' in html2
    html, doc = page(client, "/?per_page=5&page=9999")
    assert "past the end" in html
    assert ("page", str((total(html) + 4) // 5)) in args(doc.href("last page"))


def test_sort_orders_by_date(client):
    html, _ = page(client, "/?q=talks&sort=oldest")
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates)
    html, _ = page(client, "/?q=talks&sort=newest")
    dates = re.findall(r'<time datetime="([^"]+)"', html)
    assert dates == sorted(dates, reverse=True)


def test_forms_carry_the_state_as_hidden_inputs(client):
    html, doc = page(client, "/?q=talks&person=Quentin+Quill&sort=newest&page=2")
    hidden = [(a["name"], a["value"]) for t, a in doc.tags if t == "input" and a.get("type") == "hidden"]
    assert ("person", "Quentin Quill") in hidden and ("sort", "newest") in hidden
    assert ("page", "2") not in hidden  # a new query starts on page 1


def test_empty_result_offers_to_drop_filters_and_suggests(client):
    html, doc = page(client, "/?q=zebracorn&outlet=Signal+Weekly")
    assert "No articles match" in html
    drop = doc.href("search without any filters")
    assert args(drop) == [("q", "zebracorn")]
    html, doc = page(client, "/?q=zebracron")
    assert "Did you mean" in html or "instead" in html
    assert ("q", "zebracorn") in args(doc.href("zebracorn"))


@pytest.mark.parametrize("query", [
    "page=-1", "page=abc", "per_page=10000", "per_page=0", "from=not-a-date", "to=2023-13",
    "from=2020&to=2019", "sort=sideways", "undated=maybe", "q=" + "x" * 600, "q=%22unbalanced",
    "q=(open", "q=AND", "q=a*",
])
def test_bad_parameters_are_a_400_page(client, query):
    html, _ = page(client, "/?" + query, 400)
    assert "That search cannot run" in html and "Traceback" not in html


# -- escaping ----------------------------------------------------------------

def test_article_html_is_escaped_everywhere(client):
    html, _ = page(client, "/?q=zebracorn")
    assert XSS_TITLE not in html and "<script>window" not in html and "<img" not in html
    assert "&lt;script&gt;" in html
    article_id = find_id(client, "title:payload")
    for url in (f"/articles/{article_id}", f"/articles/{article_id}?q=zebracorn+script",
                "/people/Quentin Quill", "/outlets/Vistula Wire", "/?person=Quentin+Quill",
                "/facets/outlets?prefix=b"):
        html, doc = page(client, url)
        assert "<script>window" not in html and "<img" not in html and "<b " not in html, url
        assert not re.search(r"<(?!/?(mark|a|p|h\d|li|ul|ol|dl|dt|dd|div|span|section|nav|header|footer|main|aside|"
                             r"form|input|label|button|select|option|details|summary|strong|em|code|pre|time|svg|rect|"
                             r"article|meta|link|title|html|head|body|script|!doctype)[\s>/])", html, re.I), url
        assert not any(h.lower().startswith("javascript:") for h, _, _ in doc.links), url


def test_article_page_highlights_and_links_people(client):
    article_id = find_id(client, "title:harbour quill")
    html, doc = page(client, f"/articles/{article_id}?q=dredging&person=Quentin+Quill")
    assert "<mark>dredging</mark>" in html
    assert args(doc.href("Back to results")) == [("q", "dredging"), ("person", "Quentin Quill")]
    assert doc.href("Petra Plum") == "/people/Petra%20Plum"
    assert doc.href("https://example.org/quill-harbour") == "https://example.org/quill-harbour"
    assert "Similar articles" in html


def test_article_with_xss_payload_is_text(client):
    article_id = find_id(client, "title:payload")
    html, doc = page(client, f"/articles/{article_id}")
    assert "window.__xss" in html  # shown, as text
    assert "javascript:" not in " ".join(h for h, _, _ in doc.links)
    name = XSS_PERSON.replace("<", "&lt;").replace(">", "&gt;")
    assert name.split("=")[0] in html


def test_article_with_bad_search_state_still_renders(client):
    article_id = find_id(client, "title:harbour quill")
    html, _ = page(client, f"/articles/{article_id}?page=-4&q=%22open")
    assert "Back to results" not in html


@pytest.mark.parametrize("url", ["/articles/0000000000000000", "/articles/" + "x" * 300,
                                 "/people/Nobody Atall", "/outlets/No Such Outlet", "/nowhere",
                                 "/facets/authors"])
def test_unknown_things_are_a_404_page(client, url):
    html, _ = page(client, url, 404)
    assert "Error 404" in html


def test_wrong_method_is_405_not_500(client):
    assert client.post("/").status_code == 405
    assert client.delete("/api/search").get_json()["status"] == 405


# -- person, outlet and facet pages ------------------------------------------

def test_person_page_counts_timeline_companions_and_latest(client):
    html, doc = page(client, "/people/quentin quill")  # case does not matter
    assert "<h1>Quentin Quill</h1>" in html
    assert re.search(r"Named in <strong>3</strong> articles", html)
    assert doc.href("Petra Plum") == "/people/Petra%20Plum"
    assert doc.href("Vistula Wire") == "/outlets/Vistula%20Wire"
    assert "Mentions by month" in html and "Mar 2019" in html
    assert args(doc.href("Search and refine")) == [("person", "Quentin Quill")]
    assert len(re.findall(r'<li class="hit">', html)) == 3


def test_outlet_page(client):
    html, doc = page(client, "/outlets/Radio%20Meridian")
    count = int(re.search(r"Cited in <strong>([\d,]+)</strong>", html).group(1))
    api = client.get("/api/search?outlet=Radio+Meridian").get_json()
    assert count == api["total"]
    assert any(h.startswith("/people/") for h, _, _ in doc.links)


def test_facet_value_search_page_adds_a_filter(client):
    html, doc = page(client, "/facets/people?prefix=quen&q=talks")
    href = doc.href("Quentin Quill")
    assert args(href) == [("q", "talks"), ("person", "Quentin Quill")]


# -- exports and feeds -------------------------------------------------------

def test_csv_export_streams_every_match_in_order(client):
    response = get(client, "/export.csv?q=talks&sort=newest")
    assert response.is_streamed and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    api = client.get("/api/search?q=talks&sort=newest&per_page=100").get_json()
    assert len(rows) == api["total"] > 100 - 1 or len(rows) == api["total"]
    assert [r["id"] for r in rows[:100]] == [h["id"] for h in api["hits"]]
    assert rows[0]["link"].endswith("/articles/" + rows[0]["id"])


def test_csv_export_beyond_one_batch(app, client):
    app.config["EXPORT_BATCH"] = 7
    rows = list(csv.DictReader(io.StringIO(get(client, "/export.csv").get_data(as_text=True))))
    assert len(rows) == client.get("/api/search").get_json()["total"]
    assert len({r["id"] for r in rows}) == len(rows)


def test_jsonl_export_has_full_articles(client):
    lines = get(client, "/export.jsonl?person=Quentin+Quill").get_data(as_text=True).splitlines()
    records = [json.loads(line) for line in lines]
    assert len(records) == 3 and all("Quentin Quill" in r["people"] for r in records)
    assert {r["title"] for r in records} >= {XSS_TITLE}


def test_export_with_bad_parameters_is_400(client):
    get(client, "/export.csv?page=-1", 400)
    get(client, "/export.jsonl?from=yesterday", 400)


def test_atom_feed_is_valid_xml_and_escaped(client):
    response = get(client, "/feed.atom?q=zebracorn")
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    assert XSS_TITLE in titles  # parsed back to the exact original text
    assert "&lt;script&gt;" in response.get_data(as_text=True)
    links = [e.find(f"{ATOM}link").get("href") for e in root.iter(f"{ATOM}entry")]
    assert all(link.startswith("http://localhost/articles/") for link in links)
    self_link = [l.get("href") for l in root.findall(f"{ATOM}link") if l.get("rel") == "self"][0]
    assert args(self_link) == [("q", "zebracorn")]


def test_search_page_links_exports_with_state(client):
    _, doc = page(client, "/?q=talks&person=Quentin+Quill")
    for label in ("CSV", "JSON Lines", "Atom feed"):
        assert args(doc.href(label)) == [("q", "talks"), ("person", "Quentin Quill")]


# -- missing archive and static files ---------------------------------------

def test_missing_index_is_a_503_with_what_to_run(tmp_path):
    app = no_500_app(tmp_path)
    client = app.test_client()
    html = get(client, "/", 503).get_data(as_text=True)
    assert "newsarchive" in html and "Traceback" not in html
    body = get(client, "/api/search", 503).get_json()
    assert body["status"] == 503 and "newsarchive" in (body.get("hint", "") + body["error"])


def test_empty_archive_says_how_to_fill_it(tmp_path):
    from archive.index import maintenance as indexer
    from archive.config import Config
    from archive.store import Store

    config = Config(home=tmp_path)
    Store(config.store_path).close()
    with indexer.index_lock(config):
        indexer.create_empty(config)
    html = get(no_500_app(tmp_path).test_client(), "/", 503).get_data(as_text=True)
    assert "newsarchive ingest" in html


def test_static_files_are_served(client):
    for path, needle in (("/static/style.css", b"prefers-reduced-motion"), ("/static/app.js", b"textContent")):
        with client.get(path) as response:  # file responses must be closed
            assert response.status_code == 200 and needle in response.data


def test_feed_survives_control_characters(tmp_path):
    from datetime import datetime, timezone

    from archive.models import Article
    from conftest import build_archive

    build_archive(tmp_path, [Article(title="Bell\x07 and\x0b tab", body="control chars\x00 here",
                                     date=datetime(2020, 1, 1, tzinfo=timezone.utc), outlets=["O\x1b"])])
    response = get(no_500_app(tmp_path).test_client(), "/feed.atom")
    root = ET.fromstring(response.data)
    assert [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")] == ["Bell and tab"]


# -- view helpers --------------------------------------------------------------

def test_page_window_marks_gaps():
    from archive.web.presenters import page_window

    assert page_window(1, 1) == []
    assert page_window(1, 4) == [1, 2, 3, 4]
    assert page_window(10, 40) == [1, None, 8, 9, 10, 11, 12, None, 40]


def test_links_keep_state_and_reset_page():
    from archive.web.presenters import Links

    links = Links([("q", "x"), ("person", "A"), ("page", "3")], lambda pairs: pairs)
    assert links.add("person", "B", "exclude_person") == [("q", "x"), ("person", "A"), ("person", "B")]
    assert links.add("exclude_person", "a", "person") == [("q", "x"), ("exclude_person", "a")]
    assert links.remove("person", "a") == [("q", "x")]
    assert links.set({"from": "2019", "to": None}) == [("q", "x"), ("person", "A"), ("from", "2019")]
    assert links.page(1) == [("q", "x"), ("person", "A")]


def test_marks_only_neutralises_other_tags():
    from archive.web.presenters import marks_only

    assert str(marks_only("a <mark>b</mark> <script>x</script>")) == \
        "a <mark>b</mark> &lt;script>x&lt;/script>"


def test_entity_urls_match_the_router(app):
    from flask import url_for

    from archive.web.resources import entity_url

    with app.test_request_context("/"):
        for name in ("Zoë Ąę", "a/b", "what? #1 & co", "100%"):
            expected = url_for("pages.entity", kind="people", name=name)
            assert unquote(entity_url("person", name)) == unquote(expected)
            path = unquote(entity_url("outlet", name))  # as the server decodes it
            assert app.url_map.bind("localhost").match(path)[1]["name"] == name
