"""Headless Chromium against a real `newsarchive serve`: keyboard, touch and assistive technology.

The skip link, the facet typeahead as a WAI-ARIA combobox used by keyboard alone, 44 px touch
targets on a phone, the person page at 320 px, the histogram's bars by focus and click, and an
axe-core check (axe-playwright-python bundles it: no network) of the main pages.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from browser_support import (
    PHONE,
    newsarchive,
    open_page,
    query,
    require_chromium,
    served_archive,
    shoot,
    total,
    values,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]

TOUCH_TARGET = 44  # px: the least a control measures on a phone (WCAG 2.5.5)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Ingest generated articles plus an undated one, then serve them on a free port."""
    require_chromium()
    root = tmp_path_factory.mktemp("served-a11y")
    home, inputs = root / "home", root / "inputs"
    newsarchive("generate", "--count", 80, "--seed", 11, "--out", inputs)
    undated = {"title": "Harbour talks, date unknown", "body": "Talks resumed at the harbour."}
    (inputs / "undated.jsonl").write_text(json.dumps(undated) + "\n")
    newsarchive("ingest", "--home", home, inputs)
    with served_archive(home) as base:
        yield base


def busiest_person(page: Any) -> str:
    """The person named most often (the longest timeline), from the search page's facet."""
    page.goto("/")
    return page.locator("section[aria-labelledby='h-people'] .values .name").first.text_content()


def expect(target: Any) -> Any:
    """Playwright's retrying assertions (imported late: require_chromium skips without it)."""
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect(target)


def focused(page: Any, script: str) -> Any:
    return page.evaluate(f"(() => {{ const e = document.activeElement; return {script}; }})()")


# -- keyboard ------------------------------------------------------------------


def test_skip_link_is_first_and_lands_on_the_results(page: Any) -> None:
    page.goto("/?q=talks")
    assert page.locator("h1").count() == 1
    page.keyboard.press("Tab")
    assert focused(page, "e.textContent") == "Skip to content"
    page.keyboard.press("Enter")
    assert focused(page, "e.id") == "results"
    page.keyboard.press("Tab")
    first_result = page.locator(".hit h3 a").first.get_attribute("href")
    assert focused(page, "e.getAttribute('href')") == first_result
    # Two Tabs and an Enter reach the first result (71 Tabs before the skip link did).


def test_facet_typeahead_is_a_combobox_used_by_keyboard(page: Any) -> None:
    page.goto("/?q=talks")
    names = page.locator("section[aria-labelledby='h-people'] .values .name").all_text_contents()
    box = page.get_by_role("combobox", name="Find people")
    assert box.get_attribute("aria-expanded") == "false"
    box.focus()
    page.keyboard.type(names[0][:3])
    listbox = page.get_by_role("listbox", name="People")
    options = listbox.get_by_role("option")
    expect(box).to_have_attribute("aria-expanded", "true")
    assert options.count() >= 1 and box.get_attribute("aria-activedescendant") is None

    page.keyboard.press("ArrowDown")
    first = options.nth(0)
    assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert first.get_attribute("aria-selected") == "true"
    if options.count() > 1:
        page.keyboard.press("ArrowDown")
        assert box.get_attribute("aria-activedescendant") == options.nth(1).get_attribute("id")
        page.keyboard.press("ArrowUp")
        assert box.get_attribute("aria-activedescendant") == first.get_attribute("id")
    assert focused(page, "e.dataset.facet") == "people"  # the focus never left the box

    page.keyboard.press("Escape")
    assert box.get_attribute("aria-expanded") == "false" and options.count() == 0
    assert box.get_attribute("aria-activedescendant") is None

    page.keyboard.press("ArrowDown")  # opens the list again on the first option
    expect(box).to_have_attribute("aria-activedescendant", re.compile("."))
    chosen = re.sub(r" \(\d+\)$", "", options.nth(0).inner_text())
    page.keyboard.press("Enter")
    page.wait_for_url("**person=**")
    assert values(page, "person") == [chosen] and ("q", "talks") in query(page)


def test_histogram_bar_shows_its_count_on_focus_and_opens_its_period(page: Any) -> None:
    page.goto("/")
    assert "Undated: 1 article" in page.locator(".dates").inner_text()
    year = page.locator(".dates .bar a").nth(1)
    year.focus()
    tip = year.locator(".tip")
    assert tip.is_visible() and tip.inner_text() == year.get_attribute("aria-label")
    assert re.fullmatch(r"\d{4}: \d+ articles?", tip.inner_text())
    year.click()
    page.wait_for_url("**from=**")

    # Inside one year the bars are months, named in full.
    month = page.locator(".dates .bar a").first
    month.focus()
    label = month.locator(".tip").inner_text()
    assert month.locator(".tip").is_visible()
    found = re.fullmatch(r"([A-Z][a-z]+ \d{4}): (\d+) articles?", label)
    assert found, label
    month.click()
    page.wait_for_url(re.compile(r"from=\d{4}-\d{2}"))
    start, end = values(page, "from"), values(page, "to")
    assert start == end and total(page) == int(found.group(2))


def test_person_timeline_month_opens_the_search(page: Any) -> None:
    name = busiest_person(page)
    page.goto("/people/" + quote(name))
    bar = page.locator(".timeline .bar a").last
    bar.focus()
    assert bar.locator(".tip").is_visible()
    count = int(re.findall(r": (\d+) article", bar.get_attribute("aria-label"))[0])
    bar.click()
    page.wait_for_url("**from=**")
    assert values(page, "person") == [name] and values(page, "from") == values(page, "to")
    assert total(page) == count


# -- phones --------------------------------------------------------------------


def test_touch_targets_are_44px_on_a_phone(phone: Any) -> None:
    phone.goto("/?q=talks")
    phone.locator("#filters > summary").click()  # the refine panel starts closed on a phone
    sizes = phone.evaluate(
        """selectors => Object.fromEntries(selectors.map(s => [s,
             [...document.querySelectorAll(s)].filter(e => e.offsetParent).map(e => {
               const r = e.getBoundingClientRect(); return [r.width, r.height]; })]))""",
        [".people a", ".value .toggle", ".value .exclude", ".pager a"],
    )
    for selector, boxes in sizes.items():
        assert boxes, f"no {selector} shown"
        assert min(h for _, h in boxes) >= TOUCH_TARGET, selector
        if selector in (".value .exclude", ".pager a"):
            assert min(w for w, _ in boxes) >= TOUCH_TARGET, selector
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_first_tap_on_a_bar_shows_its_count_and_a_second_opens_it(
    browser: Any, server: str
) -> None:
    context = browser.new_context(base_url=server, viewport=PHONE, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto("/")
        page.locator("#filters > summary").tap()
        bar = page.locator(".dates .bar a").first
        bar.tap()
        assert bar.locator(".tip").is_visible() and values(page, "from") == []
        assert bar.locator(".tip").inner_text() == bar.get_attribute("aria-label")
        bar.tap()
        page.wait_for_url("**from=**")
    finally:
        context.close()


def test_person_page_fits_a_320px_screen(browser: Any, server: str, page: Any) -> None:
    name = busiest_person(page)
    page.goto("/people/" + quote(name))
    assert page.locator(".timeline .bar").count() > 1
    shoot(page, "person-desktop.png")
    with open_page(browser, server, width=320, height=700) as small:
        small.goto("/people/" + quote(name))
        assert small.evaluate("document.documentElement.scrollWidth") <= 320
        card = small.locator(".timeline").bounding_box()
        chart = small.locator(".timeline .bar-chart").bounding_box()
        assert card and chart and chart["x"] + chart["width"] <= card["x"] + card["width"]
        shoot(small, "person-phone.png")


# -- axe -----------------------------------------------------------------------


def serious_violations(page: Any) -> list[str]:
    """Run axe-core on the page; return its serious and critical findings, one line each."""
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes'][:3]]}"
        for v in found
        if v["impact"] in ("serious", "critical")
    ]


def test_axe_finds_no_serious_violations(page: Any, phone: Any) -> None:
    pytest.importorskip("axe_playwright_python")
    name = busiest_person(page)
    page.goto("/?q=talks")
    article = page.locator(".hit h3 a").first.get_attribute("href")
    urls = ["/", "/?q=talks&sort=oldest", article, "/people/" + quote(name), "/articles/nope"]
    for url in urls:
        for viewer in (page, phone):
            viewer.goto(url)
            assert serious_violations(viewer) == [], url
    page.goto("/?q=talks")
    page.get_by_role("combobox", name="Find people").fill(name[:3])
    page.wait_for_selector("[role=option]")
    assert serious_violations(page) == [], "the combobox, open"
