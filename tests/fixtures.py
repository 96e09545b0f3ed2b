"""Shared test helpers: hand-made articles, real small archives, the app, the CLI runner, HTML.

Test modules import these with `from fixtures import ...`; conftest.py turns the expensive ones
into pytest fixtures (`small_archive`, `app`, `client`, `make_app`, `runner`). Nothing here is a
mock: an archive is a real SQLite store plus a real Whoosh index.

Imports of the index and web layers stay inside the functions that need them, so a layer that
is broken for a moment cannot stop the rest of the suite from being collected.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from urllib.parse import parse_qsl, urlsplit

from click.testing import CliRunner, Result

from archive.config import Config
from archive.models import Article, content_hash
from archive.store import Store

if TYPE_CHECKING:
    from flask import Flask, Response
    from flask.testing import FlaskClient
    from werkzeug.test import TestResponse
    from whoosh.query import Query

    from archive.search import Searcher

# -- shared data outside the repository ---------------------------------------

ROOT = Path(__file__).resolve().parents[1]  # the repository
# ../shared beside the checkout holds the seed article and the corpus (absent elsewhere).
SHARED = ROOT.parent / "shared"
SEED = SHARED / "samples" / "seed-article.txt"
ALLSIDES = SHARED / "corpus" / "allsides"


def utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Return this moment as an aware UTC datetime."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


# -- hand-made articles for the search and indexer tests ----------------------

DATA = Path(__file__).parent / "data"


def load_articles(name: str) -> list[Article]:
    """Return the hand-made articles of tests/data/<name>, one JSON object a line."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [Article.from_json(json.loads(line)) for line in lines if line.strip()]


# Eight articles with known words, people, outlets and dates (one undated, one in French).
ARTICLES = load_articles("articles.jsonl")


def by_title(title: str) -> Article:
    """Return the article of ARTICLES with this title."""
    return next(a for a in ARTICLES if a.title == title)


def many_articles(count: int, seed: int = 0) -> list[Article]:
    """Return count small varied articles (for bulk and concurrency tests).

    Article i has the words "number<i>" and "common" in its body, is undated when i is a
    multiple of 10, and names no one when i is a multiple of 4.
    """
    words = [
        "market",
        "storm",
        "court",
        "vote",
        "energy",
        "health",
        "school",
        "border",
        "trade",
        "music",
        "river",
        "budget",
        "strike",
        "bridge",
        "harvest",
    ]
    people = ["Anna Nowak", "Jan Kowalski", "Maria Curie", "Lech Walesa", "Olga Tokarczuk"]
    outlets = ["Reuters", "BBC", "AP", "PAP"]
    out = []
    for i in range(count):
        k = (i * 7 + seed) % len(words)
        text = " ".join(words[(k + j) % len(words)] for j in range(40))
        out.append(
            Article(
                title=f"Report {i} on {words[k]}",
                body=f"{text} number{i} common",
                date=utc(2015 + i % 8, 1 + i % 12, 1 + i % 28) if i % 10 else None,
                section=["World", "Politics", "Science"][i % 3],
                people=[people[i % 5], people[(i + 2) % 5]] if i % 4 else [],
                outlets=[outlets[i % 4]],
                url=f"https://many.test/{seed}/{i}",
            )
        )
    return out


# -- hand-made articles for the web tests: hostile markup, undated, linked people --

XSS_TITLE = (
    'Payload <script>window.__xss = "title"</script>'
    "<img src=x onerror=\"window.__xss='img-title'\">"
)
XSS_BODY = (
    'Zebracorn council meeting. <script>window.__xss = "body"</script> and '
    "<img src=x onerror=\"window.__xss='img-body'\"> and "
    '<a href="javascript:window.__xss=1">x</a>.'
    '\n\nSecond paragraph mentions zebracorn again & "quotes" too.'
)
XSS_PERSON = "Mallory <img src=x onerror=\"window.__xss='person'\">"
XSS_OUTLET = "<b onmouseover=\"window.__xss='outlet'\">Evil Gazette</b>"


def web_articles() -> list[Article]:
    """Return the articles the web tests look for by content.

    Quentin Quill is named in all three; "Radio Meridian" cites only the harbour one;
    "zebracorn" is in the first two; one is undated.
    """
    return [
        Article(
            title=XSS_TITLE,
            body=XSS_BODY,
            date=utc(2021, 6, 15, 9, 30),
            section="<i>Opinion</i>",
            people=[XSS_PERSON, "Quentin Quill"],
            outlets=[XSS_OUTLET],
            url="javascript:window.__xss='url'",
            photo_credits=["<u>Credit</u>"],
            source="fixture#xss",
        ),
        Article(
            title="Undated note on zebracorn grazing",
            body="Zebracorn herds graze.\n\nNo date here.",
            date=None,
            section="Science",
            people=["Quentin Quill"],
            outlets=["Vistula Wire"],
            source="fixture#undated",
        ),
        Article(
            title="Quill meets the harbour board",
            body="Quentin Quill met the harbour board about dredging.",
            date=utc(2019, 3, 2),
            section="Business",
            people=["Quentin Quill", "Petra Plum"],
            outlets=["Radio Meridian", "Vistula Wire"],
            url="https://example.org/quill-harbour",
            source="fixture#quill",
        ),
    ]


# -- building real archives ------------------------------------------------------


class StoredArchive(NamedTuple):
    """An archive's configuration and its open store (the caller closes the store)."""

    config: Config
    store: Store


def store_articles(config: Config, store: Store, articles: Sequence[Article], index: bool) -> None:
    """Write articles to the store and, if asked, add them to the index (update_index)."""
    from archive.index.maintenance import update_index

    store.write_batch([(a, content_hash(a)) for a in articles], [], "test")
    if index:
        update_index(config, store, [a.id for a in articles])


@contextmanager
def paused_script(script: str, *args: str) -> Iterator[subprocess.Popen[str]]:
    """Run `python -c script args` in the repository until it prints the number it paused
    at (it then waits on stdin), and yield it; it is killed on the way out, whatever
    happened (then its returncode is set)."""
    process = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        reached = process.stdout.readline().strip() if process.stdout else ""
        assert reached.isdigit(), f"the script ended before its pause: {reached!r}"
        yield process
    finally:
        process.kill()  # a no-op once it is dead; never leave it waiting on stdin
        process.communicate()


def make_archive(
    tmp_path: Path, articles: Sequence[Article] = ARTICLES, index: bool = True
) -> StoredArchive:
    """Create a store under tmp_path/home holding articles and, if asked, the index over them.

    The store stays open and its rows stay unmarked as indexed, as after an update_index call.
    """
    config = Config(tmp_path / "home")
    store = Store(config.store_path)
    store_articles(config, store, articles, index)
    return StoredArchive(config, store)


def whoosh_written_index(config: Config, store: Store) -> None:
    """Index every stored article with Whoosh's own writer and leave its segments as
    Whoosh wrote them: no pack (index/packing.py), so Whoosh's matchers can be compared."""
    import pytest

    from archive.index import packing
    from archive.index.maintenance import update_index

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packing, "MIN_PACKED", 2**62)
        update_index(config, store, store.ids())


def matched_ids(searcher: Searcher, query: Query) -> set[str]:
    """Return the ids of the live articles the array engine matches for a parsed query."""
    from archive.search.evaluation import evaluate

    state = searcher._current()
    found: set[str] = set()
    for seg in state.segments:
        mask = evaluate(query, seg, state.stats).mask & seg.alive
        found.update(seg.facets.ids[mask].astype(str).tolist())
    return found


def whoosh_matched_ids(searcher: Searcher, query: Query) -> set[str]:
    """Return the ids Whoosh's own matchers find, over an index Whoosh's writer wrote
    (packed segments keep their text postings in the pack, where Whoosh cannot look)."""
    state = searcher._current()
    assert not any(seg.postings.packed for seg in state.segments), "an index Whoosh wrote"
    whoosh = state.searcher
    return {whoosh.stored_fields(d)["id"] for d in whoosh.search(query, limit=None).docs()}


def build_archive(home: Path, articles: Iterable[Article]) -> Config:
    """Store and index articles in a fresh archive at home, as an ingest leaves it."""
    config = Config(home=Path(home))
    with Store(config.store_path) as store:
        store_articles(config, store, list(articles), index=True)
        store.mark_indexed()
    return config


def build_small_archive(home: Path) -> Config:
    """Build the web tests' archive: 150 generated articles plus web_articles()."""
    from archive.generate import generate_articles

    return build_archive(home, [*generate_articles(150, seed=5), *web_articles()])


# -- the web app -------------------------------------------------------------------

STATUSES = "test_statuses"  # where a recording app keeps what it sent, in app.extensions


def recording_app(home: Path) -> Flask:
    """Create a testing app over the archive at home that records every status it sends.

    The statuses are (status code, path with query) pairs: see sent_statuses().
    """
    from flask import request

    from archive.web import create_app

    app = create_app({"TESTING": True, "ARCHIVE_HOME": str(home)})
    statuses: list[tuple[int, str]] = []
    app.extensions[STATUSES] = statuses

    @app.after_request
    def record(response: Response) -> Response:
        statuses.append((response.status_code, request.full_path))
        return response

    return app


def sent_statuses(app: Flask) -> list[tuple[int, str]]:
    """Return the (status code, path with query) of every response a recording app sent."""
    return app.extensions[STATUSES]


def server_errors(app: Flask) -> list[tuple[int, str]]:
    """Return the 5xx responses a recording app sent, except 503 (an archive not ready)."""
    return [(code, path) for code, path in sent_statuses(app) if code >= 500 and code != 503]


# -- pages and links ---------------------------------------------------------------


class Link(NamedTuple):
    """One <a> element of a page: its href, its text with spaces collapsed, its attributes."""

    href: str
    text: str
    attrs: dict[str, str | None]


class Page(HTMLParser):
    """Collect the links, the start tags and the text of an HTML page."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.links: list[Link] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._open: list[tuple[dict[str, str | None], list[str]]] = []  # <a> not yet closed
        self.feed(html)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        self.tags.append((tag, attributes))
        if tag == "a":
            self._open.append((attributes, []))

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _, pieces in self._open:
            pieces.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._open:
            attributes, pieces = self._open.pop()
            text = " ".join("".join(pieces).split())
            self.links.append(Link(attributes.get("href") or "", text, attributes))

    def href(self, text: str) -> str:
        """Return the href of the first link whose text contains text."""
        for link in self.links:
            if text in link.text:
                return link.href
        raise AssertionError(f"no link with text {text!r}")

    def plain_text(self) -> str:
        """Return the page's text with runs of white space collapsed to one space."""
        return " ".join("".join(self.text).split())


def fetch(client: FlaskClient, url: str, status: int = 200) -> TestResponse:
    """GET url and assert the status."""
    response = client.get(url)
    response.get_data()  # read the stream whole, then close it as a WSGI server would:
    response.close()  # a streamed export frees its slot (README: Limits) only on close
    assert response.status_code == status, (url, response.status_code, response.data[:500])
    return response


def fetch_page(client: FlaskClient, url: str, status: int = 200) -> tuple[str, Page]:
    """GET url, assert the status, and return the HTML and its parsed Page."""
    html = fetch(client, url, status).get_data(as_text=True)
    return html, Page(html)


def query_args(href: str) -> list[tuple[str, str]]:
    """Return the query parameters of a link, in order."""
    return parse_qsl(urlsplit(href).query)


def shown_total(html: str) -> int:
    """Return the number of matches a search page says it found."""
    found = re.search(r'class="total"[^>]*><strong>([\d,]+)</strong>', html)
    assert found, "the page shows no total"
    return int(found.group(1).replace(",", ""))


# -- the command line --------------------------------------------------------------


class ArchiveCliRunner(CliRunner):
    """A Click runner for the newsarchive command line that lets exceptions through."""

    def run(self, *args: object, **kwargs: Any) -> Result:
        """Invoke `newsarchive ARGS...` (each argument turned into a string) in-process.

        Exit statuses and messages are in the result; a traceback fails the test.
        """
        from archive.cli import cli

        return self.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)


def people_of(body: str, title: str = "", **fields: Any) -> list[str]:
    """Return the people extraction finds in one hand-written article (one process)."""
    from archive.extract import enrich

    article = Article(title=title, body=body, **fields)
    return next(enrich([article], workers=1)).people


def spans(text: str, *tagged: tuple[str, str]) -> list[tuple[int, int, str]]:
    """Build model-style spans for hand-picked substrings (first occurrence of each)."""
    out = []
    for piece, label in tagged:
        start = text.index(piece)
        out.append((start, start + len(piece), label))
    return out
