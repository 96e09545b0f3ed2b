"""Headless Chromium against a real `newsarchive serve --timezone Europe/Warsaw`: the search
form forgives bad input and keeps the state, per-page choice, marked titles, local times.

Screenshots of the search and article pages at desktop (1280) and phone (390) width go to
test-artifacts/.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from browser_support import (
    newsarchive,
    open_page,
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

# Filed at 23:00 Warsaw time (CEST, UTC+2): 21:00 UTC.
WARSAW_STORY = """World

Harbour council meets late

11.04.2023 23:00
The harbour council met late into the night, the port office said.

Source: Port Gazette"""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Ingest generated articles and a Warsaw story; serve them with times in Warsaw."""
    require_chromium()
    root = tmp_path_factory.mktemp("forms")
    home, inputs = root / "home", root / "inputs"
    newsarchive("generate", "--count", 80, "--seed", 11, "--out", inputs)
    (inputs / "warsaw.txt").write_text(WARSAW_STORY)
    newsarchive("ingest", "--home", home, inputs)
    with served_archive(home, "--timezone", "Europe/Warsaw") as base:
        yield base


def set_state(page: Page) -> str:
    """Search, pick a person, sort newest first and show 50 a page; return the person."""
    page.goto("/?q=talks")
    person = page.locator("section[aria-labelledby='h-people'] .values .toggle").first
    name = person.locator(".name").inner_text()
    person.click()
    page.wait_for_url("**person=**")
    page.get_by_label("Sort by").select_option("newest")
    page.wait_for_url("**sort=newest**")
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url("**per_page=50**")
    return name


def assert_state_kept(page: Page, person: str) -> None:
    assert page.get_by_role("link", name=f"Remove filter Person: {person}").count() == 1
    assert page.get_by_label("Sort by").input_value() == "newest"
    assert page.get_by_label("Per page").input_value() == "50"


def test_a_bad_query_comes_back_as_typed_and_a_fixed_one_keeps_the_state(page: Page) -> None:
    person = set_state(page)
    box = page.get_by_label("Search the archive")
    box.fill('"unclosed phrase')
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Search", exact=True).click()
    assert navigation.value.status == 400
    assert box.input_value() == '"unclosed phrase'
    assert box.get_attribute("aria-invalid") == "true"
    message = page.locator("#" + (box.get_attribute("aria-describedby") or ""))
    assert message.is_visible() and "quote" in message.inner_text()
    assert_state_kept(page, person)
    assert page.get_by_text("That search cannot run.").is_visible()
    shoot(page, "forms-bad-query.png")

    box.fill('"late talks"')
    page.get_by_role("button", name="Search", exact=True).click()
    page.wait_for_url("**q=%22late**")
    assert values(page, "person") == [person] and ("sort", "newest") in query(page)
    assert ("per_page", "50") in query(page)
    assert box.get_attribute("aria-invalid") is None


def test_a_bad_date_comes_back_at_its_field_and_words_are_dates(page: Page) -> None:
    person = set_state(page)
    page.get_by_label("From", exact=True).fill("March 20166")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Set dates").click()
    assert navigation.value.status == 400
    field = page.get_by_label("From", exact=True)
    assert field.input_value() == "March 20166" and field.get_attribute("aria-invalid") == "true"
    assert page.locator("#from-error").is_visible()
    assert page.get_by_label("Search the archive").input_value() == "talks"
    assert_state_kept(page, person)

    # Typed the way people write dates: the URL says it canonically, results are inside.
    field.fill("March 2017")
    page.get_by_label("To", exact=True).fill("14 June 2019")
    page.get_by_role("button", name="Set dates").click()
    page.wait_for_url("**from=2017-03**")
    assert ("to", "2019-06-14") in query(page) and values(page, "person") == [person]
    stamps = page.locator(".hit time").evaluate_all("ts => ts.map(t => t.dateTime)")
    assert all("2017-03" <= stamp[:10] <= "2019-06-14" for stamp in stamps)


def test_the_month_picker_fills_the_typed_field(page: Page) -> None:
    page.goto("/?q=talks")
    picker = page.get_by_label("Choose the first month")
    picker.fill("2018-05")
    assert page.get_by_label("From", exact=True).input_value() == "2018-05"
    page.get_by_role("button", name="Set dates").click()
    page.wait_for_url("**from=2018-05**")


def test_per_page_choice_survives_paging(page: Page) -> None:
    page.goto("/")
    everything = total(page)
    page.get_by_label("Per page").select_option("100")
    page.wait_for_url("**per_page=100**")
    assert page.locator(".hit").count() == min(100, everything)
    page.get_by_label("Per page").select_option("50")
    page.wait_for_url("**per_page=50**")
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    assert ("per_page", "50") in query(page)
    assert page.locator(".hit").count() == min(50, everything - 50)
    assert page.get_by_label("Per page").input_value() == "50"


def test_query_words_are_marked_in_titles_and_times_are_warsaw_times(page: Page) -> None:
    page.goto("/?q=harbour+council")
    title = page.locator(".hit h3").first
    assert title.locator("mark").all_inner_texts() == ["Harbour", "council"]
    stamp = page.locator(".hit time").first
    assert stamp.get_attribute("title") == "2023-04-11 21:00 UTC"
    shoot(page, "forms-search-desktop.png")
    title.locator("a").click()
    page.wait_for_url("**/articles/**")
    when = page.locator(".article .meta time")
    assert when.inner_text() == "11 Apr 2023, 23:00 CEST"
    assert when.get_attribute("title") == "2023-04-11 21:00 UTC"
    assert page.locator(".facts").inner_text().count("warsaw.txt:1") == 1
    shoot(page, "forms-article-desktop.png")


def test_phone_width_pages(browser: Any, server: str) -> None:
    with open_page(browser, server, width=390, height=844) as page:
        page.goto("/?q=harbour&from=March+20166")
        assert page.locator("#filters").get_attribute("open") is not None  # the field shows
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "forms-bad-date-phone.png")
        page.goto("/?q=harbour+council&per_page=50")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "forms-search-phone.png")
        page.locator(".hit h3 a").first.click()
        page.wait_for_url("**/articles/**")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        shoot(page, "forms-article-phone.png")
