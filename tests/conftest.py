"""Pytest fixtures over the helpers of fixtures.py: the small archive, the app, the CLI runner.

Helpers that tests call directly live in fixtures.py (`from fixtures import ...`); this file
only declares fixtures, and no test imports it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from fixtures import ArchiveCliRunner, build_small_archive, recording_app, server_errors

if TYPE_CHECKING:
    from flask import Flask
    from flask.testing import FlaskClient

    from archive.config import Config


@pytest.fixture(scope="session")
def small_archive(tmp_path_factory: pytest.TempPathFactory) -> Config:
    """A real store and index, built once: 150 generated articles plus web_articles().

    Read only: a test that changes an archive builds its own.
    """
    return build_small_archive(tmp_path_factory.mktemp("archive"))


@pytest.fixture
def make_app() -> Iterator[Callable[[Path], Flask]]:
    """Create recording apps over any archive home; the test fails if one sent a 5xx but 503.

    Each app's shared searcher is closed afterwards, so no index file or store connection
    outlives the test.
    """
    apps: list[Flask] = []

    def make(home: Path) -> Flask:
        app = recording_app(home)
        apps.append(app)
        return app

    yield make
    from archive.web.resources import close_searcher  # the web layer loads on first use

    for app in apps:
        close_searcher(app)
    crashed = [error for app in apps for error in server_errors(app)]
    assert not crashed, f"server errors: {crashed}"


@pytest.fixture
def app(make_app: Callable[[Path], Flask], small_archive: Config) -> Flask:
    """The app over the small archive (a fresh one per test, so config changes stay local)."""
    return make_app(small_archive.home)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    """A Flask test client of the app."""
    return app.test_client()


@pytest.fixture(scope="session")
def runner() -> ArchiveCliRunner:
    """The one Click runner of the newsarchive command line: `runner.run("stats", ...)`.

    It keeps no state between invocations, so every scope may share it.
    """
    return ArchiveCliRunner()


# Browser tests: each module declares a `server` fixture (its archive, served); these read it.
@pytest.fixture(scope="module")
def browser(server: str) -> Iterator[Any]:
    """Headless Chromium for the module's tests (browser_support.chromium)."""
    from browser_support import chromium

    with chromium() as launched:
        yield launched


@pytest.fixture
def page(browser: Any, server: str) -> Iterator[Any]:
    """A desktop-sized page on the module's server; fails on dialogs and script errors."""
    from browser_support import open_page

    with open_page(browser, server) as opened:
        yield opened


@pytest.fixture
def phone(browser: Any, server: str) -> Iterator[Any]:
    """A phone-sized page (390 x 844) on the module's server."""
    from browser_support import PHONE, open_page

    with open_page(browser, server, **PHONE) as opened:
        yield opened
