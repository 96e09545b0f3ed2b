"""Shared helpers of the browser tests: headless Chromium against a real `newsarchive serve`.

`served_archive` ingests a prepared input folder and serves it on a free port (as a user would,
through `python -m archive`); `chromium` launches Debian's chromium with Playwright; `open_page`
gives a page whose dialogs and script errors are recorded (any dialog means injected script ran).
Browser test modules declare thin fixtures over these.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest

CHROMIUM = Path(os.environ.get("NEWSARCHIVE_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PHONE = {"width": 390, "height": 844}  # a phone's viewport, for open_page
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"


def free_port() -> int:
    """Return a free loopback port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def newsarchive(*args: Any, **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """Run the command line as a user would (python -m archive)."""
    return subprocess.run(
        [sys.executable, "-m", "archive", *map(str, args)],
        check=True,
        capture_output=True,
        text=True,
        **kwargs,
    )


def require_chromium() -> None:
    """Skip the calling test when Debian's chromium or Playwright is missing."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is missing: install Debian's chromium (make browser-deps)")
    pytest.importorskip("playwright.sync_api")


@contextmanager
def served_archive(home: Path, *serve_args: str) -> Iterator[str]:
    """Serve the archive at `home` on a free port; yield its base URL; stop it afterwards."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log_path = home.parent / f"server-{port}.log"
    command = [sys.executable, "-m", "archive", "serve", "--home", str(home), "--port", str(port)]
    with open(log_path, "w") as log:
        process = subprocess.Popen([*command, *serve_args], stdout=log, stderr=subprocess.STDOUT)
        try:
            for _ in range(300):  # readiness, not timing: give up after ~30 s
                if process.poll() is not None:
                    pytest.fail(f"server exited: {log_path.read_text()}")
                try:
                    urllib.request.urlopen(base + "/static/style.css", timeout=2).close()
                    break
                except OSError:
                    time.sleep(0.1)
            else:
                pytest.fail("server did not start")
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


@contextmanager
def chromium() -> Iterator[Any]:
    """Launch headless Chromium (playwright.sync_api.Browser) for the duration."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class Watch:
    """Record dialogs and page errors; every dialog means a script ran."""

    def __init__(self, page: Any) -> None:
        self.dialogs, self.errors = [], []
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))
        page.on("pageerror", lambda e: self.errors.append(str(e)))


@contextmanager
def open_page(browser: Any, base_url: str, width: int = 1280, height: int = 900) -> Iterator[Any]:
    """A fresh context and page; fails the test if a dialog opened or a script error occurred."""
    context = browser.new_context(base_url=base_url, viewport={"width": width, "height": height})
    page = context.new_page()
    page.watch = Watch(page)
    try:
        yield page
        assert page.watch.dialogs == [], "a dialog opened: injected script ran"
        assert page.watch.errors == []
    finally:
        context.close()


def query(page: Any) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(page.url).query)


def values(page: Any, key: str) -> list[str]:
    return [v for k, v in query(page) if k == key]


def total(page: Any) -> int:
    return int(page.locator(".total strong").inner_text().replace(",", ""))


def shoot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)
