"""Operator holes of issue 10: entity pages exist only for values a facet holds (item 19);
absolute links never come from the request's Host header (item 16).

A person's or outlet's page is looked up among the facet's values, never built from a
query, so query syntax in the name cannot match other articles. Feeds and exports link
under the configured base URL, else under the address the server was started on.
"""

from __future__ import annotations

import http.client
import json
import re
import threading

import pytest

HOSTILE = {"Host": "evil.example.com", "X-Forwarded-Host": "evil.example.com"}


@pytest.mark.parametrize(
    "name",
    ["a:b", "AND", "a*", "(", "*", "Quentin*", "people:Quentin", "Quentin OR Petra", '"'],
)
@pytest.mark.parametrize("kind", ["people", "outlets"])
def test_an_entity_page_is_404_for_a_name_no_article_has(client, kind, name):
    response = client.get(f"/{kind}/{name}")
    assert response.status_code == 404, response.get_data(as_text=True)[:300]


def test_an_entity_page_still_exists_for_a_held_name_in_any_spacing_or_case(client):
    assert client.get("/people/quentin quill").status_code == 200
    assert client.get("/people/  Quentin   Quill ").status_code == 200


def feed_links(xml: str) -> list[str]:
    """Return the feed's absolute links: its ids and hrefs (not its XML namespace)."""
    return re.findall(r'(?:href="|<id>)(https?://[^"<\s]+)', xml)


def export_links(jsonl: str) -> list[str]:
    return [json.loads(line)["link"] for line in jsonl.splitlines()]


def test_a_feed_and_an_export_ignore_the_host_header(client):
    feed = client.get("/feed.atom?q=quill", headers=HOSTILE).get_data(as_text=True)
    export = client.get("/export.jsonl?q=quill", headers=HOSTILE).get_data(as_text=True)
    links = feed_links(feed) + export_links(export)
    assert len(links) > 3
    assert "evil" not in feed + export
    assert all(link.startswith("http://localhost/") for link in links), links[:5]


def test_the_base_url_roots_every_absolute_link(app):
    app.config["ARCHIVE_BASE_URL"] = "https://news.example.org/archive"
    client = app.test_client()
    feed = client.get("/feed.atom?q=quill", headers=HOSTILE).get_data(as_text=True)
    export = client.get("/export.jsonl?q=quill", headers=HOSTILE).get_data(as_text=True)
    links = feed_links(feed) + export_links(export)
    assert any("/articles/" in link for link in export_links(export))
    assert "https://news.example.org/archive/feed.atom?q=quill" in feed
    assert all(link.startswith("https://news.example.org/archive/") for link in links), links[:5]


def served_feed(home, headers: dict[str, str], **options) -> tuple[str, int]:
    """Fetch /feed.atom from the real waitress server of serve() on a free loopback port."""
    from archive.config import Config
    from archive.web import build_server
    from archive.web.resources import close_searcher

    app, server = build_server(Config.load(home), "127.0.0.1", 0, threads=1, **options)
    port = server.effective_port
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", "/feed.atom?q=quill", headers=headers)
        body = connection.getresponse().read().decode()
        connection.close()
    finally:
        server.close()
        thread.join(timeout=10)
        close_searcher(app)
    return body, port


def test_a_served_feed_links_to_the_address_served_on(small_archive):
    body, port = served_feed(small_archive.home, HOSTILE, url_prefix="/news")
    links = feed_links(body)
    assert len(links) > 3 and "evil" not in body
    assert all(link.startswith(f"http://127.0.0.1:{port}/news/") for link in links), links[:3]


def test_a_served_feed_behind_a_trusted_proxy_links_to_the_forwarded_host(small_archive):
    forwarded = {
        "Host": "proxy.internal",
        "X-Forwarded-Host": "news.example.org",
        "X-Forwarded-Proto": "https",
    }
    body, _ = served_feed(small_archive.home, forwarded, trusted_proxy="127.0.0.1")
    links = feed_links(body)
    assert len(links) > 3
    assert all(link.startswith("https://news.example.org/") for link in links), links[:3]


def test_a_served_feed_uses_the_base_url_over_forwarded_headers(small_archive):
    forwarded = {"X-Forwarded-Host": "other.example.org"}
    body, _ = served_feed(
        small_archive.home, forwarded, trusted_proxy="127.0.0.1", base_url="https://a.example/n"
    )
    links = feed_links(body)
    assert len(links) > 3
    assert all(link.startswith("https://a.example/n/") for link in links), links[:3]


def test_serve_refuses_a_base_url_that_is_not_an_http_url(runner, small_archive):
    result = runner.run("serve", "--base-url", "ftp://x", "--home", str(small_archive.home))
    assert result.exit_code == 2
    assert "is not an http(s) URL" in result.output


# -- item 11: reads never create a store; reindex does not empty a full index -----------


@pytest.fixture
def index_without_store(tmp_path):
    """An archive home whose store was removed: the index is there, no archive.sqlite3."""
    from fixtures import build_archive, many_articles

    config = build_archive(tmp_path / "home", many_articles(12))
    for path in config.home.glob("archive.sqlite3*"):
        path.unlink()
    return config


@pytest.fixture(params=["missing", "zero bytes"])
def storeless_home(request, index_without_store):
    if request.param == "zero bytes":
        index_without_store.store_path.touch()
    return index_without_store


def store_state(config) -> int | None:
    """The store's size in bytes, None when there is no file."""
    path = config.store_path
    return path.stat().st_size if path.exists() else None


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/?q=people",
        "/people/Anyone",
        "/articles/0123456789abcdef",
        "/export.csv",
        "/export.jsonl?q=a",
        "/feed.atom",
        "/api/search?q=a",
        "/api/facets/people",
        "/facets/people",
    ],
)
def test_a_read_on_a_home_without_a_store_is_503_and_creates_none(make_app, storeless_home, url):
    before = store_state(storeless_home)
    response = make_app(storeless_home.home).test_client().get(url)
    assert response.status_code == 503, url
    assert "no archive at" in response.get_data(as_text=True)
    assert store_state(storeless_home) == before
    assert not list(storeless_home.home.glob("archive.sqlite3-*"))


@pytest.mark.parametrize("command", [["stats"], ["check"], ["search", "people"], ["show", "ab"]])
def test_a_command_on_a_home_without_a_store_says_so(runner, storeless_home, command):
    before = store_state(storeless_home)
    result = runner.run(*command, "--home", storeless_home.home)
    assert result.exit_code != 0
    assert f"no archive at {storeless_home.home}" in result.output
    assert store_state(storeless_home) == before


def live_count(config) -> int:
    from archive.index.maintenance import open_live

    with open_live(config).searcher() as searcher:
        return searcher.doc_count()


def test_reindex_does_not_replace_a_full_index_with_an_empty_one(runner, index_without_store):
    from archive.store import Store

    config = index_without_store
    Store(config.store_path).close()  # a new, empty store beside the old index
    result = runner.run("reindex", "--home", config.home)
    assert result.exit_code == 1
    assert "holds 12 articles" in result.output and "--allow-empty" in result.output
    assert live_count(config) == 12
    result = runner.run("reindex", "--allow-empty", "--home", config.home)
    assert result.exit_code == 0, result.output
    assert live_count(config) == 0


ODD_NAMES = ["Ann (Nowak)", "Bo: Smith", "Cy* Jones", "Di \\ Ek", "AND Fox", "Gil [Roe"]


@pytest.fixture(scope="module")
def odd_names_home(tmp_path_factory):
    """An archive whose people carry query syntax in their names."""
    from fixtures import build_archive, utc

    from archive.models import Article

    articles = [
        Article(
            title=f"About {name}",
            body=f"A story about {name}.",
            date=utc(2022, 1, 1 + i),
            people=[name, "Quentin Quill"],
            outlets=["The Herald"],
        )
        for i, name in enumerate(ODD_NAMES)
    ]
    return build_archive(tmp_path_factory.mktemp("odd") / "home", articles)


@pytest.mark.parametrize("name", ODD_NAMES)
def test_a_held_name_with_query_syntax_has_its_page(make_app, odd_names_home, name):
    response = make_app(odd_names_home.home).test_client().get(f"/people/{name}")
    assert response.status_code == 200, response.get_data(as_text=True)[:300]
    assert "Quentin Quill" in response.get_data(as_text=True)
