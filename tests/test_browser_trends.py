"""Headless Chromium against a real `newsarchive serve`: trends and saved searches (issue 11).

A trend chart of two people renders and a point of one line opens that person's search for
that month; a saved search appears in the list and its feed parses as Atom; screenshots of
both pages at desktop (1280) and phone (390) width go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import urllib.request
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from browser_support import (
    newsarchive,
    query,
    require_chromium,
    served_archive,
    shoot,
    total,
    values,
)

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Ingest generated articles, then serve them on a free port."""
    require_chromium()
    root = tmp_path_factory.mktemp("served-trends")
    home, inputs = root / "home", root / "inputs"
    newsarchive("generate", "--count", 120, "--seed", 5, "--out", inputs)
    newsarchive("ingest", "--home", home, inputs)
    with served_archive(home) as base:
        yield base


def get(server: str, path: str) -> bytes:
    with urllib.request.urlopen(server + path, timeout=30) as response:
        return response.read()


def two_people(server: str) -> list[str]:
    facets = json.loads(get(server, "/api/search"))["facets"]
    return [item["value"] for item in facets["people"][:2]]


def trends_path(server: str) -> str:
    return "/trends?" + urlencode([("series", f"person:{name}") for name in two_people(server)])


def fits(page: Page) -> bool:
    """Say whether the page is no wider than its viewport (no sideways scrolling)."""
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_a_point_of_a_trend_line_opens_its_search(page: Page, server: str) -> None:
    first, second = two_people(server)
    page.goto(trends_path(server))
    assert page.locator("svg.trend-chart polyline").count() == 2
    assert page.locator(".legend li").all_inner_texts()[0].startswith(first)
    shoot(page, "trends.png")

    # The second person's line, found by the name assistive technology gets (its <title>).
    point = page.get_by_role("link", name=re.compile(rf"^{re.escape(second)}, \w+ \d{{4}}: ")).last
    assert point.evaluate("a => a.closest('g').classList.contains('series-1')")
    label = point.locator("title").text_content() or ""  # the link's accessible name
    month = point.get_attribute("data-month") or ""
    said = re.search(r": ([\d,]+) articles?", label)
    assert label.startswith(f"{second}, ") and said and month
    point.click()
    page.wait_for_url("**/?person=**")
    assert values(page, "person") == [second]
    assert ("from", month) in query(page) and ("to", month) in query(page)
    assert total(page) == int(said.group(1).replace(",", ""))


def test_share_of_all_articles_and_the_table(page: Page, server: str) -> None:
    page.goto(trends_path(server))
    page.get_by_role("link", name="Share of all articles").click()
    page.wait_for_url("**measure=share**")
    assert page.locator("svg.trend-chart .grid text", has_text="%").count() >= 2
    page.get_by_text("Table of these numbers").click()
    first_row = page.locator(".trend-table tbody tr").first
    assert first_row.is_visible() and "%" in first_row.inner_text()


def test_trends_page_fits_a_phone(phone: Page, server: str) -> None:
    phone.goto(trends_path(server))
    assert phone.locator("svg.trend-chart polyline").count() == 2
    assert fits(phone)
    shoot(phone, "trends-phone.png")


def test_a_saved_search_is_listed_and_its_feed_parses(page: Page, server: str) -> None:
    page.goto("/?q=talks&sort=newest")
    page.get_by_label("Save this search as").fill("Talks, newest")
    page.get_by_role("button", name="Save this search").click()
    page.wait_for_url("**/saved?added=**")
    entry = page.locator(".saved-list li", has_text="Talks, newest")
    assert entry.count() == 1
    shoot(page, "saved.png")

    # The same name again: a 400 page that keeps the name to change.
    page.goto("/?q=harbour")
    page.get_by_label("Save this search as").fill("talks, NEWEST")
    page.get_by_role("button", name="Save this search").click()
    assert "already called" in page.locator("[role=alert]").inner_text()
    assert page.get_by_label("Name").input_value() == "talks, NEWEST"

    feed = entry.get_by_role("link", name="Atom feed").get_attribute("href") or ""
    root = ET.fromstring(get(server, feed))
    assert root.tag == f"{ATOM}feed" and "Talks, newest" in (root.findtext(f"{ATOM}title") or "")
    titles = [e.findtext(f"{ATOM}title") for e in root.iter(f"{ATOM}entry")]
    newest = json.loads(get(server, "/api/search?q=talks&sort=newest&per_page=50"))["hits"]
    assert titles and titles == [hit["title"] for hit in newest]

    entry.get_by_role("link", name="Talks, newest").click()
    page.wait_for_url("**/?q=talks&sort=newest")


def test_saved_page_fits_a_phone(phone: Page, server: str) -> None:
    phone.goto("/?q=budget")
    phone.get_by_label("Save this search as").fill("Budget on a phone")
    phone.get_by_role("button", name="Save this search").click()
    phone.wait_for_url("**/saved?added=**")
    assert fits(phone)
    shoot(phone, "saved-phone.png")
    phone.get_by_role("button", name="Delete Budget on a phone").click()
    phone.wait_for_url("**/saved")
    assert phone.locator(".saved-list li", has_text="Budget on a phone").count() == 0
