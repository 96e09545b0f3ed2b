"""Shared fixtures: a small real archive (SQLite store + Whoosh index) and the Flask app."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import pytest

# Imports of the web and search modules stay inside fixtures, so a broken web
# layer cannot stop the rest of the suite from being collected.

XSS_TITLE = 'Payload <script>window.__xss = "title"</script><img src=x onerror="window.__xss=\'img-title\'">'
XSS_BODY = ('Zebracorn council meeting. <script>window.__xss = "body"</script> and '
            '<img src=x onerror="window.__xss=\'img-body\'"> and <a href="javascript:window.__xss=1">x</a>.'
            '\n\nSecond paragraph mentions zebracorn again & "quotes" too.')
XSS_PERSON = 'Mallory <img src=x onerror="window.__xss=\'person\'">'
XSS_OUTLET = '<b onmouseover="window.__xss=\'outlet\'">Evil Gazette</b>'


def special_articles():
    """Return hand-made articles the tests look for by content."""
    from archive.models import Article

    when = datetime(2021, 6, 15, 9, 30, tzinfo=timezone.utc)
    return [
        Article(title=XSS_TITLE, body=XSS_BODY, date=when, section="<i>Opinion</i>",
                people=[XSS_PERSON, "Quentin Quill"], outlets=[XSS_OUTLET],
                url="javascript:window.__xss='url'", photo_credits=["<u>Credit</u>"],
                source="fixture#xss"),
        Article(title="Undated note on zebracorn grazing", body="Zebracorn herds graze.\n\nNo date here.",
                date=None, section="Science", people=["Quentin Quill"], outlets=["Vistula Wire"],
                source="fixture#undated"),
        Article(title="Quill meets the harbour board", body="Quentin Quill met the harbour board about dredging.",
                date=datetime(2019, 3, 2, tzinfo=timezone.utc), section="Business",
                people=["Quentin Quill", "Petra Plum"], outlets=["Radio Meridian", "Vistula Wire"],
                url="https://example.org/quill-harbour", source="fixture#quill"),
    ]


def build_archive(home: Path, articles) -> "Config":  # noqa: F821
    """Store articles in a fresh archive at home and index them; return its Config."""
    from archive.index import maintenance as indexer
    from archive.config import Config
    from archive.models import content_hash
    from archive.store import Store

    config = Config(home=Path(home))
    with Store(config.store_path) as store:
        articles = list(articles)
        store.write_batch([(a, content_hash(a)) for a in articles], [], "test")
        indexer.update_index(config, store, [a.id for a in articles])
        store.mark_indexed()
    return config


@pytest.fixture(scope="session")
def small_archive(tmp_path_factory):
    """A real store and index: 150 generated articles plus the special ones."""
    from archive.generate import generate_articles

    home = tmp_path_factory.mktemp("archive")
    return build_archive(home, [*generate_articles(150, seed=5), *special_articles()])


def no_500_app(home):
    """Create a testing app that records every status it sends."""
    from flask import request

    from archive.web import create_app

    app = create_app({"TESTING": True, "ARCHIVE_HOME": str(home)})
    app.statuses = []

    @app.after_request
    def record(response):
        app.statuses.append((response.status_code, request.full_path))
        return response

    return app


@pytest.fixture
def app(small_archive):
    """The app over the small archive; the test fails if any request got a 5xx other than 503."""
    app = no_500_app(small_archive.home)
    yield app
    crashed = [(code, path) for code, path in app.statuses if code >= 500 and code != 503]
    assert not crashed, f"server errors: {crashed}"


@pytest.fixture
def client(app):
    """A Flask test client."""
    return app.test_client()


@pytest.fixture
def runner():
    """A Click runner invoking the newsarchive command line."""
    from click.testing import CliRunner

    from archive.cli import cli

    class Runner(CliRunner):
        def run(self, *args, **kwargs):
            return self.invoke(cli, [str(a) for a in args], catch_exceptions=False, **kwargs)

    return Runner()
