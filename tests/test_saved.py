"""Saved searches (issue 11, item 6): the store's table, the /saved pages, the feed, the CLI.

Each test builds its own archive: saving writes to the store.
"""

from __future__ import annotations

import json
import sqlite3
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fixtures import (
    ArchiveCliRunner,
    Page,
    build_archive,
    fetch,
    fetch_page,
    query_args,
    web_articles,
)

from archive.errors import SearchError
from archive.store import Store

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from archive.config import Config

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def archive(tmp_path: Path) -> Config:
    from archive.generate import generate_articles

    return build_archive(tmp_path / "home", [*generate_articles(60, seed=3), *web_articles()])


@pytest.fixture
def saved_app(make_app: Any, archive: Config) -> Flask:
    return make_app(archive.home)


@pytest.fixture
def client(saved_app: Flask) -> FlaskClient:
    return saved_app.test_client()


def save(client: FlaskClient, name: str, state: str, status: int = 303) -> Any:
    response = client.post("/saved", data={"name": name, "state": state})
    assert response.status_code == status, response.data[:400]
    return response


# -- the store -----------------------------------------------------------------------


def test_store_adds_lists_finds_and_removes(archive: Config) -> None:
    with Store(archive.store_path) as store:
        first = store.add_saved_search("  Quill   watch ", "person=Quentin+Quill")
        second = store.add_saved_search("Zebracorn", "q=zebracorn")
        assert first.name == "Quill watch" and first.created_at.endswith("Z")
        assert [s.name for s in store.saved_searches()] == ["Zebracorn", "Quill watch"]
        assert store.saved_search("QUILL WATCH") == first == store.saved_search(first.id)
        with pytest.raises(SearchError, match="already called"):
            store.add_saved_search("zebraCORN", "q=other")
        assert store.remove_saved_search(second.id) and not store.remove_saved_search(second.id)
        assert store.saved_searches() == [first]


@pytest.mark.parametrize(
    ("name", "message"),
    [("   ", "give the search a name"), ("x" * 101, "at most 100"), ("a\x1bb", "control")],
)
def test_store_refuses_bad_names(archive: Config, name: str, message: str) -> None:
    with Store(archive.store_path) as store, pytest.raises(SearchError, match=message):
        store.add_saved_search(name, "q=x")


def test_a_read_only_store_from_before_saved_searches_lists_none(archive: Config) -> None:
    with Store(archive.store_path) as store:
        store.db.execute("DROP TABLE saved_searches")
    with Store.open_readonly(archive.store_path) as store:
        assert store.saved_searches() == [] and store.saved_search(1) is None


# -- the pages -----------------------------------------------------------------------


def test_search_page_saves_its_search_and_the_list_shows_it(client: FlaskClient) -> None:
    _, page = fetch_page(client, "/?q=zebracorn&person=Quentin+Quill&page=1")
    form = dict(
        (attrs.get("name"), attrs.get("value"))
        for tag, attrs in page.tags
        if tag == "input" and attrs.get("name") in ("state", "name")
    )
    assert query_args("?" + (form["state"] or "")) == [
        ("q", "zebracorn"),
        ("person", "Quentin Quill"),
    ]
    response = save(client, "Quill & zebracorn", (form["state"] or "") + "&page=3")
    assert response.headers["Location"].startswith("/saved?added=")
    html, listing = fetch_page(client, response.headers["Location"])
    assert "Saved." in listing.plain_text()
    assert query_args(listing.href("Quill & zebracorn")) == [
        ("q", "zebracorn"),
        ("person", "Quentin Quill"),
    ]
    assert "zebracorn · Quentin Quill" in listing.plain_text()
    trend = [v for k, v in query_args(listing.href("Trend over time")) if k == "series"]
    assert trend == ["search:q=zebracorn&person=Quentin+Quill"]
    for odd in ("%C2%B2", "9" * 40, "-1"):  # not an id: the list, without the notice
        assert "Saved." not in fetch_page(client, f"/saved?added={odd}")[1].plain_text()


@pytest.mark.parametrize(
    ("name", "state", "message"),
    [
        ("", "q=zebracorn", "give the search a name"),
        ("Fine name", "q=zebracorn&from=not+a+date", "not a date"),
        ("x" * 120, "q=zebracorn", "at most 100"),
    ],
)
def test_a_bad_save_is_a_400_page_that_keeps_what_was_typed(
    client: FlaskClient, name: str, state: str, message: str
) -> None:
    page = Page(save(client, name, state, 400).get_data(as_text=True))
    assert message in page.plain_text()
    inputs = {a.get("name"): a.get("value") for tag, a in page.tags if tag == "input"}
    assert inputs["name"] == name and "zebracorn" in (inputs["state"] or "")


def test_a_taken_name_is_a_400_and_nothing_changes(client: FlaskClient) -> None:
    save(client, "Mine", "q=zebracorn")
    save(client, "MINE", "q=harbour", 400)
    _, page = fetch_page(client, "/saved")
    assert page.plain_text().count("saved 20") == 1  # one entry, "saved <date>"


def test_delete_removes_and_another_site_cannot(client: FlaskClient) -> None:
    save(client, "Gone soon", "q=zebracorn")
    _, page = fetch_page(client, "/saved")
    (action,) = [a["action"] for tag, a in page.tags if tag == "form" and "delete" in a["action"]]
    refused = client.post(action, headers={"Origin": "https://elsewhere.example"})
    assert refused.status_code == 403
    assert client.post(action).status_code == 303
    assert "No saved searches yet" in fetch_page(client, "/saved")[1].plain_text()
    assert client.post(action).status_code == 404


def test_each_saved_search_has_an_atom_feed_of_its_newest_articles(client: FlaskClient) -> None:
    save(client, "Quill", "person=Quentin+Quill")
    _, page = fetch_page(client, "/saved")
    response = fetch(client, page.href("Atom feed"))
    assert response.mimetype == "application/atom+xml"
    root = ET.fromstring(response.data)
    assert root.tag == f"{ATOM}feed"
    assert "Quill" in (root.findtext(f"{ATOM}title") or "")
    for required in ("id", "updated"):
        assert root.findtext(f"{ATOM}{required}")
    entries = root.findall(f"{ATOM}entry")
    newest = client.get("/api/search?person=Quentin+Quill&sort=newest").get_json()["hits"]
    assert [e.findtext(f"{ATOM}title") for e in entries] == [h["title"] for h in newest]
    for entry in entries:
        assert entry.findtext(f"{ATOM}id") and entry.findtext(f"{ATOM}updated")
        assert entry.find(f"{ATOM}author/{ATOM}name") is not None
    fetch(client, "/saved/999.atom", 404)


# -- the command line -------------------------------------------------------------------


def test_cli_saved_list_add_remove(runner: ArchiveCliRunner, archive: Config) -> None:
    home = str(archive.home)
    assert runner.run("saved", "--home", home, "list").output == "no saved searches\n"
    added = runner.run("saved", "--home", home, "add", "Harbour", "q=harbour&page=2&sort=newest")
    assert added.exit_code == 0 and added.output == "saved 1  Harbour  q=harbour&sort=newest\n"
    everything = runner.run("saved", "add", "All", "--home", home)
    assert everything.output == "saved 2  All  (every article)\n"
    listed = runner.run("saved", "list", "--home", home)
    assert listed.output == "2  All  (every article)\n1  Harbour  q=harbour&sort=newest\n"
    as_json = json.loads(runner.run("saved", "--home", home, "list", "--json").output)
    assert [(s["id"], s["name"], s["state"]) for s in as_json] == [
        (2, "All", ""),
        (1, "Harbour", "q=harbour&sort=newest"),
    ]
    taken = runner.run("saved", "--home", home, "add", "harbour", "q=x")
    assert taken.exit_code == 1
    assert "a saved search is already called “harbour”: choose another name" in taken.output
    bad = runner.run("saved", "--home", home, "add", "Dates", "from=someday")
    assert bad.exit_code == 1 and "someday" in bad.output
    assert runner.run("saved", "--home", home, "remove", "HARBOUR").output == (
        "removed 1  Harbour  q=harbour&sort=newest\n"
    )
    assert runner.run("saved", "--home", home, "remove", "2").output == (
        "removed 2  All  (every article)\n"
    )
    missing = runner.run("saved", "--home", home, "remove", "2")
    assert missing.exit_code == 1
    assert "no saved search '2': `newsarchive saved list` shows them" in missing.output


def test_cli_and_web_share_the_table(runner: ArchiveCliRunner, archive: Config, client) -> None:
    runner.run("saved", "--home", str(archive.home), "add", "From the shell", "q=zebracorn")
    _, page = fetch_page(client, "/saved")
    assert query_args(page.href("From the shell")) == [("q", "zebracorn")]
    with closing(sqlite3.connect(archive.store_path)) as db:
        assert db.execute("SELECT count(*) FROM saved_searches").fetchone() == (1,)
