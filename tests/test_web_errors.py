"""Error answers of the web app: the right words, and JSON only where programs read them.

Pages answer errors with an HTML page; the API, the exports and the Atom feed answer
with {"error": ..., "status": ...}. Also: the search box and the OpenAPI document take
their length limit and their query fields from the code.
"""

from __future__ import annotations

import re

import pytest

from archive.facets import all_facets
from archive.search.criteria import MAX_QUERY

GENERIC_404 = "There is nothing at this address."


def html_error(client, url: str, status: int) -> str:
    response = client.get(url)
    assert response.status_code == status, url
    assert response.mimetype == "text/html", url
    html = response.get_data(as_text=True)
    assert f"Error {status}" in html, url
    return html


@pytest.mark.parametrize("url", ["/nowhere", "/nowhere/at/all", "/export.csv/more"])
def test_an_unknown_address_says_there_is_nothing_there(client, url):
    html = html_error(client, url, 404)
    assert GENERIC_404 in html
    assert "requested URL was not found" not in html  # Werkzeug's own text


@pytest.mark.parametrize(
    ("url", "text"),
    [
        ("/articles/0000000000000000", "No article has the id “0000000000000000”."),
        ("/articles/" + "x" * 300, "No article has the id “" + "x" * 64 + "…”."),
        ("/people/Nobody Atall", "No article mentions “Nobody Atall”."),
        ("/outlets/No Such Outlet", "No article mentions “No Such Outlet”."),
        ("/facets/nope", "There is no facet “nope”."),
        ("/people/%20", "That name is empty or too long."),
    ],
)
def test_a_404_with_a_description_shows_it(client, url, text):
    html = html_error(client, url, 404)
    assert text in html
    assert GENERIC_404 not in html


@pytest.mark.parametrize("path", ["/export.csv", "/export.jsonl", "/feed.atom"])
@pytest.mark.parametrize(
    ("query", "names"),
    [
        ('q="unclosed', "quote"),
        ("from=2023-13", "2023-13"),
        ("q=" + "y" * (MAX_QUERY + 1), "too long"),
    ],
)
def test_exports_and_feeds_answer_a_bad_search_with_json(client, path, query, names):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert set(body) == {"error", "status"} and body["status"] == 400
    assert names in body["error"]


@pytest.mark.parametrize(
    ("url", "status"),
    [
        # A search that cannot run is the search page as typed (400): test_web_forms.py.
        ("/export.html", 404),
        ("/export.csv.bak", 404),
        ("/feed.atom.xml", 404),
        ("/exports/feed.atom", 404),
        ("/articles/0000000000000000", 404),
        ("/facets/nope", 404),
        ("/people/Nobody Atall", 404),
    ],
)
def test_pages_and_lookalike_addresses_still_get_html(client, url, status):
    html_error(client, url, status)


def test_the_search_box_stops_where_the_server_does(client):
    html = client.get("/?q=zebracorn").get_data(as_text=True)
    box = re.search(r'<input id="q"[^>]*>', html)
    assert box and f'maxlength="{MAX_QUERY}"' in box.group(0)
    longest = "zebracorn " * (MAX_QUERY // 10 - 1) + "zebracorns"
    assert len(longest) == MAX_QUERY
    assert client.get("/", query_string={"q": longest}).status_code == 200
    assert client.get("/", query_string={"q": longest + "s"}).status_code == 400


def test_the_search_help_lists_every_query_field(client):
    html = client.get("/?q=zebracorn").get_data(as_text=True)
    help_list = re.search(r'<details class="help">.*?</details>', html, re.S)
    assert help_list
    fields = ["title", *(f.index_field for f in all_facets()), "author", "date"]
    for field in fields:
        assert f"<code>{field}:" in help_list.group(0), field


def test_the_openapi_query_parameter_documents_the_fields_and_the_limit(client):
    document = client.get("/api/openapi.json").get_json()
    [query] = [p for p in document["paths"]["/api/search"]["get"]["parameters"] if p["name"] == "q"]
    for field in ["title", *(f.index_field for f in all_facets()), "author", "date"]:
        assert f"{field}:" in query["description"], field
    assert query["schema"]["maxLength"] == MAX_QUERY
