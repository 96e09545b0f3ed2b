"""Headless Chromium against a real `newsarchive serve`: the researcher's journey and XSS."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import TYPE_CHECKING

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
from fixtures import XSS_BODY, XSS_TITLE

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Ingest generated articles plus an XSS payload, then serve them on a free port."""
    require_chromium()
    root = tmp_path_factory.mktemp("served")
    home, inputs = root / "home", root / "inputs"
    newsarchive("generate", "--count", 80, "--seed", 11, "--out", inputs)
    (inputs / "xss.jsonl").write_text(
        json.dumps(
            {
                "title": XSS_TITLE,
                "body": XSS_BODY,
                "date": "2021-06-15T09:30:00Z",
                "section": "<i>Opinion</i>",
                "url": "javascript:window.__xss='url'",
                "source": '<b onmouseover="window.__xss=1">Evil Gazette</b>',
            }
        )
        + "\n"
    )
    newsarchive("ingest", "--home", home, inputs)
    with served_archive(home) as base:
        yield base


def test_research_journey(page: Page) -> None:
    page.goto("/")
    page.get_by_label("Search the archive").fill("talks")
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**/?q=talks")
    broad = total(page)
    assert broad > 20 and page.locator(".hit mark").count() > 0
    shoot(page, "search.png")

    # Page forward, and the back button returns to the same state.
    first_title = page.locator(".hit h3").first.inner_text()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    assert page.locator(".hit h3").first.inner_text() != first_title
    assert page.locator('.pager [aria-current="page"]').inner_text() == "2"
    page.go_back()
    page.wait_for_url("**/?q=talks")
    assert page.locator(".hit h3").first.inner_text() == first_title

    # Click a person facet value.
    person = page.locator("section[aria-labelledby='h-people'] .values .toggle").first
    name = person.locator(".name").inner_text()
    person.click()
    page.wait_for_url("**person=**")
    assert values(page, "person") == [name]
    narrowed = total(page)
    assert 0 < narrowed < broad
    assert page.locator(".hit").count() == min(narrowed, 20)

    # Add two outlets: several values in one facet are OR, so the count grows back.
    outlets = page.locator("section[aria-labelledby='h-outlets'] .values li:not(.selected) .toggle")
    outlets.first.click()
    page.wait_for_url("**outlet=**")
    one_outlet = total(page)
    outlets.first.click()  # the locator is evaluated again: the next unselected outlet
    page.wait_for_function("new URLSearchParams(location.search).getAll('outlet').length == 2")
    assert total(page) >= one_outlet
    assert page.locator(".chip").count() == 3

    # Remove one outlet chip.
    kept, dropped = values(page, "outlet")
    page.get_by_role("link", name=f"Remove filter Outlet: {dropped}").click()
    page.wait_for_function("new URLSearchParams(location.search).getAll('outlet').length == 1")
    assert values(page, "outlet") == [kept] and total(page) == one_outlet

    # Drop the facets, then set a date range with the inputs.
    page.get_by_role("link", name="Clear all filters").click()
    page.wait_for_url("**/?q=talks")
    page.get_by_label("From").fill("2017")
    page.get_by_label("To", exact=True).fill("2019-06")
    page.get_by_role("button", name="Set dates").click()
    page.wait_for_url("**from=2017**")
    assert ("to", "2019-06") in query(page) and ("q", "talks") in query(page)
    years = {t[:4] for t in page.locator(".hit time").evaluate_all("ts => ts.map(t => t.dateTime)")}
    assert years and years <= {"2017", "2018", "2019"}

    # Open an article: the search terms are highlighted; then follow a person link.
    page.locator(".hit h3 a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator(".article mark").count() > 0
    back = page.get_by_role("link", name="← Back to results").get_attribute("href")
    assert back and back.startswith("/?q=talks")
    shoot(page, "article.png")
    link = page.locator("section[aria-labelledby='h-people'] .entities li > a:first-child").first
    name = link.inner_text()
    link.click()
    page.wait_for_url("**/people/**")
    assert page.locator("h1").inner_text() == name
    assert "Mentions by month" in page.content()
    shoot(page, "person.png")


def test_histogram_bar_drills_into_months(page: Page) -> None:
    page.goto("/")
    page.locator(".dates .bar a").nth(2).click()
    page.wait_for_url("**from=**")
    year = values(page, "from")[0]
    labels = page.locator(".dates .bar a").evaluate_all(
        "as => as.map(a => a.getAttribute('aria-label'))"
    )
    assert labels and all(label.split(":")[0].endswith(year) for label in labels)


def test_xss_payloads_stay_inert(page):
    for url in ("/?q=zebracorn", "/?q=payload+script", "/?q=title:payload"):
        page.goto(url)
        assert page.evaluate("window.__xss") is None
    assert XSS_TITLE in page.locator(".hit h3").first.inner_text()
    page.locator(".hit h3 a").first.click()
    page.wait_for_url("**/articles/**")
    assert page.locator("h1").inner_text().strip() == XSS_TITLE
    assert page.locator(".article img, .article script, .article b").count() == 0
    for element in page.locator("main a").all():  # hovering would fire an injected onmouseover
        if element.is_visible():
            element.hover()
    assert page.evaluate("window.__xss") is None
    shoot(page, "xss-article.png")


def test_facet_search_as_you_type(page):
    page.goto("/?q=talks")
    box = page.get_by_label("Find people")
    name = page.locator("section[aria-labelledby='h-people'] .values .name").nth(3).inner_text()
    box.fill(name[:4])
    suggestion = page.locator("#suggest-people a", has_text=name)
    suggestion.first.click()
    page.wait_for_url("**person=**")
    assert values(page, "person") == [name] and ("q", "talks") in query(page)


def test_pages_work_without_javascript(browser, server):
    context = browser.new_context(base_url=server, java_script_enabled=False)
    page = context.new_page()
    page.goto("/?q=talks")
    page.get_by_label("Sort by").select_option("oldest")
    page.get_by_role("button", name="Sort", exact=True).click()
    page.wait_for_url("**sort=oldest**")
    dates = page.locator(".hit time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert dates == sorted(dates)
    page.get_by_label("Find people").fill("a")
    page.get_by_role("button", name="Find").first.click()
    page.wait_for_url("**/facets/people**")
    page.locator(".ranked a").first.click()
    page.wait_for_url("**person=**")
    assert ("sort", "oldest") in query(page)
    context.close()


def test_phone_layout_and_keyboard(browser, server):
    context = browser.new_context(
        base_url=server, viewport={"width": 390, "height": 844}, is_mobile=True
    )
    page = context.new_page()
    page.goto("/?q=talks")
    assert page.locator("#filters").get_attribute("open") is None  # results come first
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "no sideways scrolling on a phone"
    shoot(page, "search-phone.png")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to content"
    context.close()
