"""Outlet roles on the web (issue 9): a filter on "published by The Hill" apart from
"cites The Hill", both roles on the article page, in the API and the query language,
role counts on the outlet page, and the publisher alone as the Atom author."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from fixtures import build_archive, fetch_page, utc

from archive.extract import enrich
from archive.models import Article

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient


def _articles() -> list[Article]:
    """Two stories published by The Hill and one by Newsmax that cites The Hill."""
    stories = [
        ("Budget talks stall", "The Hill", "Senators left Washington without a budget deal."),
        ("Senate recess", "The Hill", "Senators went home for the recess on Friday."),
        (
            "Budget fight goes on",
            "Newsmax",
            "Senators left Washington without a deal, The Hill reported on Tuesday.",
        ),
    ]
    articles = [
        Article(title=title, body=body, date=utc(2020, 3, 1 + i), cited_outlets=[publisher])
        for i, (title, publisher, body) in enumerate(stories)
    ]
    return list(enrich(articles, workers=1))


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_archive(tmp_path_factory.mktemp("roles") / "home", _articles()).home


@pytest.fixture
def client(make_app: Callable[[Path], Flask], home: Path) -> FlaskClient:
    return make_app(home).test_client()


def _titles(client: FlaskClient, query: str) -> list[str]:
    data = client.get(f"/api/search?{query}&sort=oldest").get_json()
    return [hit["title"] for hit in data["hits"]]


def test_published_by_is_apart_from_cites(client: FlaskClient) -> None:
    assert _titles(client, "source=The+Hill") == ["Budget talks stall", "Senate recess"]
    assert _titles(client, "cited=The+Hill") == ["Budget fight goes on"]
    assert len(_titles(client, "outlet=The+Hill")) == 3  # either role
    assert _titles(client, "q=cited:hill") == ["Budget fight goes on"]
    assert _titles(client, 'q=source:"the hill"') == ["Budget talks stall", "Senate recess"]


def test_hit_json_carries_both_roles(client: FlaskClient) -> None:
    hit = client.get("/api/search?cited=The+Hill").get_json()["hits"][0]
    assert (hit["sources"], hit["cited"]) == (["Newsmax"], ["The Hill"])
    assert set(hit["outlets"]) == {"Newsmax", "The Hill"}


def test_outlet_page_counts_each_role(client: FlaskClient) -> None:
    html, _ = fetch_page(client, "/outlets/The%20Hill")
    roles = dict(re.findall(r">([^<>]+)</a>: <strong>(\d+)</strong>", html))
    assert roles == {"Published by": "2", "Cited outlets": "1"}
    assert re.search(r"Published by or cited in <strong>3</strong>", html)


def test_article_page_lists_the_roles_apart(client: FlaskClient) -> None:
    hit = client.get("/api/search?cited=The+Hill").get_json()["hits"][0]
    html, doc = fetch_page(client, f"/articles/{hit['id']}")
    assert re.search(r'<h2 id="h-sources">Published by</h2>', html)
    assert re.search(r'<h2 id="h-cited">Cited outlets</h2>', html)
    assert 'id="h-outlets"' not in html
    assert doc.href("The Hill") == "/outlets/The%20Hill"


def test_atom_author_is_the_publisher_only(client: FlaskClient) -> None:
    feed = client.get("/feed.atom?cited=The+Hill").get_data(as_text=True)
    assert re.findall(r"<author><name>([^<]*)</name></author>", feed) == ["Newsmax"]


def test_csv_export_has_both_roles(client: FlaskClient) -> None:
    rows = client.get("/export.csv?cited=The+Hill").get_data(as_text=True).splitlines()
    header, row = rows[0].split(","), rows[1].split(",")
    assert dict(zip(header, row))["sources"] == "Newsmax"
    assert dict(zip(header, row))["cited"] == "The Hill"
