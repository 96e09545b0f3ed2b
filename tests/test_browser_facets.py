"""Headless Chromium against a real `newsarchive serve`: facets that answer (issue 11, item 3).

The any/all toggle changes the counts as described (with "all", a person's count is the
number of results naming them too, so picking them gives that total); the typeahead counts
within the current search, as the sidebar does; "show more" leads to every value.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from browser_support import (
    query,
    require_chromium,
    served_archive,
    shoot,
    total,
    values,
)
from fixtures import build_archive

if TYPE_CHECKING:
    from playwright.sync_api import Page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PEOPLE = "section[aria-labelledby='h-people']"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Store and index 300 generated articles, then serve them on a free port."""
    require_chromium()
    from archive.generate import generate_articles

    home = tmp_path_factory.mktemp("facets") / "home"
    build_archive(home, generate_articles(300, seed=5))
    with served_archive(home) as base:
        yield base


def people_counts(page: Page) -> dict[str, int]:
    """Return the people facet's names and counts as the page lists them (picks aside)."""
    rows = page.locator(f"{PEOPLE} li.value:not(.selected):not(.excluded)").evaluate_all(
        "rows => rows.map(r => [r.querySelector('.name').textContent,"
        " r.querySelector('.count').textContent])"
    )
    return {name: int(re.sub(r"\D", "", count)) for name, count in rows}


def test_any_all_toggle_changes_the_counts(page: Page) -> None:
    page.goto("/?person=Alina+Vasquez")
    alone = total(page)
    before = people_counts(page)
    toggle = page.locator(f"{PEOPLE} .match-mode")
    assert toggle.get_by_role("link", name="Any").get_attribute("aria-current") == "true"
    toggle.get_by_role("link", name="All").click()
    page.wait_for_url("**person_mode=all**")
    assert total(page) == alone  # one pick: the same articles
    after = people_counts(page)
    assert after != before and max(after.values()) <= alone
    shoot(page, "facets-all.png")

    # With "all", a person's count is how many results name them too: picking them gives it.
    name, together = next(iter(after.items()))
    page.locator(f"{PEOPLE} li.value", has_text=name).locator("a.toggle").click()
    page.wait_for_function("new URLSearchParams(location.search).getAll('person').length == 2")
    assert total(page) == together and ("person_mode", "all") in query(page)

    # Back to "any": either person, so at least as many as she alone.
    page.locator(f"{PEOPLE} .match-mode").get_by_role("link", name="Any").click()
    page.wait_for_function("!new URLSearchParams(location.search).has('person_mode')")
    assert total(page) >= alone and len(values(page, "person")) == 2


def test_typeahead_counts_within_the_search(page: Page) -> None:
    page.goto("/?section=Politics")
    name, count = next(iter(people_counts(page).items()))
    page.locator("#find-people").fill(name.split()[-1][:4])
    suggestion = page.locator("#suggest-people a", has_text=name).first
    assert suggestion.inner_text() == f"{name} ({count})"  # the sidebar's number
    suggestion.click()
    page.wait_for_url("**person=**")
    assert values(page, "person") == [name] and ("section", "Politics") in query(page)


def test_show_more_leads_to_every_value(page: Page) -> None:
    page.goto("/?section=Politics")
    page.locator(f"{PEOPLE} details.more summary").click()
    page.get_by_role("link", name="All people in these results →").click()
    page.wait_for_url("**/facets/people?**")
    assert ("section", "Politics") in query(page)
    first_page = page.locator(".ranked li").count()
    page.get_by_role("link", name="Next →").click()
    page.wait_for_url("**page=2**")
    assert page.locator(".ranked li").count() > 0 and first_page == 50
    name = page.locator(".ranked a").first.inner_text()
    page.locator(".ranked a").first.click()
    page.wait_for_url("**person=**")
    assert values(page, "person") == [name] and ("section", "Politics") in query(page)
    assert "page" not in dict(query(page))
