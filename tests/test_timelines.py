"""The search page's histogram and the entity timelines: scale, minimum height, gaps, undated."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import urlencode

import pytest
from fixtures import fetch_page, query_args, shown_total

from archive.web.presenters import Links
from archive.web.timelines import (
    GAP_AFTER,
    MIN_HEIGHT,
    histogram,
    long_month,
    scale_top,
    timeline,
)

if TYPE_CHECKING:
    from flask.testing import FlaskClient


def links(*pairs: tuple[str, str]) -> Links:
    return Links(pairs, lambda p: "/?" + urlencode(p))


def rows(counts: dict[str, int]) -> list[dict[str, object]]:
    return [{"value": value, "count": count} for value, count in counts.items()]


@pytest.mark.parametrize(
    ("peak", "top"),
    [(1, 2), (3, 4), (10, 10), (11, 20), (42, 50), (99, 100), (101, 150), (1234, 1500)],
)
def test_scale_top_is_round_with_a_whole_middle(peak: int, top: int) -> None:
    assert scale_top(peak) == top and top % 2 == 0


def test_one_article_beside_thousands_stays_visible() -> None:
    facets = {"years": rows({"2015": 1, "2016": 4000, "2017": 3000})}
    chart = histogram(facets, links(), total=7001)
    assert chart is not None and chart.level == "year" and chart.top == 4000
    first = chart.bars[0]
    assert first.count == 1 and first.height == MIN_HEIGHT
    assert first.text == "2015: 1 article" and chart.bars[1].text == "2016: 4,000 articles"


def test_axis_runs_from_first_to_last_period_with_long_gaps_compressed() -> None:
    years = {"1998": 2, "2010": 5, "2012": 1, "2013": 3}
    chart = histogram({"years": rows(years)}, links(), total=11)
    assert chart is not None
    shown = [(b.value, b.count, b.gap) for b in chart.bars]
    # 1999..2009 is one gap; the single empty 2011 stays a zero bar on the time axis.
    assert shown == [
        ("1998", 2, False),
        ("1999", 0, True),
        ("2010", 5, False),
        ("2011", 0, False),
        ("2012", 1, False),
        ("2013", 3, False),
    ]
    assert chart.bars[1].text == "No articles from 1999 to 2009"
    assert chart.bars[1].url is None and chart.bars[3].url is None
    assert query_args(chart.bars[2].url or "") == [("from", "2010"), ("to", "2010")]


def test_gap_threshold_in_months() -> None:
    short = {"2019-01": 1, f"2019-{GAP_AFTER:02d}": 1}  # GAP_AFTER - 1 empty months
    long = {"2019-01": 1, f"2019-{GAP_AFTER + 2:02d}": 1}  # GAP_AFTER empty months
    kept = timeline(rows(short), lambda m: m, total=2)
    folded = timeline(rows(long), lambda m: m, total=2)
    assert kept is not None and folded is not None
    assert [b.gap for b in kept.bars] == [False] * GAP_AFTER
    assert [b.gap for b in folded.bars] == [False, True, False]
    last_empty = long_month(f"2019-{GAP_AFTER + 1:02d}")
    assert folded.bars[1].label == f"No articles from February 2019 to {last_empty}"


def test_undated_is_what_the_dated_bars_leave_out_and_unknown_in_a_range() -> None:
    facets = {"years": rows({"2019": 3}), "months": rows({"2019-02": 1, "2019-05": 2})}
    assert histogram(facets, links(), total=5).undated == 2  # type: ignore[union-attr]
    ranged = histogram(facets, links(("from", "2019")), total=3)
    assert ranged is not None and ranged.undated is None and ranged.zoom_out == "/?"
    left_out = histogram(facets, links(("undated", "0")), total=3)
    assert left_out is not None and left_out.undated is None


def test_timeline_months_open_their_search() -> None:
    chart = timeline(rows({"2016-03": 42}), lambda m: f"/?person=Ann&from={m}&to={m}", 50)
    assert chart is not None and chart.undated == 8
    (bar,) = chart.bars
    assert bar.text == "March 2016: 42 articles" and bar.height == 84.0 and chart.top == 50
    assert bar.url == "/?person=Ann&from=2016-03&to=2016-03"


# -- the pages ---------------------------------------------------------------


def test_search_page_histogram_has_a_scale_and_states_undated(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/")
    everything = shown_total(html)
    dated = shown_total(fetch_page(client, "/?undated=0")[0])
    assert everything - dated == 1
    assert re.search(r"Undated: <strong>1</strong> article\b", html)
    top = int(re.findall(r'<span class="top">([\d,]+)</span>', html)[0].replace(",", ""))
    middle = int(re.findall(r'<span class="middle">([\d,]+)</span>', html)[0].replace(",", ""))
    counts = [int(n) for n in re.findall(r'aria-label="\d{4}: (\d+) articles?"', html)]
    assert counts and max(counts) <= top < 2 * max(counts) and middle * 2 == top
    assert sum(counts) == dated
    # Every non-empty bar is a link named by its period and count; its tooltip says the same.
    named = [
        a["aria-label"] for _, _, a in doc.links if re.match(r"\d{4}: ", a.get("aria-label") or "")
    ]
    assert len(named) == len(counts)
    assert all(f'<span class="tip" aria-hidden="true">{label}</span>' in html for label in named)


def test_person_timeline_bars_open_the_month(client: FlaskClient) -> None:
    html, doc = fetch_page(client, "/people/Quentin%20Quill")
    assert "1 article is undated and not on the chart." in html  # one of Quill's three
    bars = [
        (h, a["aria-label"]) for h, _, a in doc.links if " 2019: " in (a.get("aria-label") or "")
    ]
    assert bars, "the timeline's months are links"
    href, label = next((h, label) for h, label in bars if label.startswith("March 2019"))
    assert query_args(href) == [("person", "Quentin Quill"), ("from", "2019-03"), ("to", "2019-03")]
    month_html, _ = fetch_page(client, href)
    assert shown_total(month_html) == int(re.findall(r": (\d+) article", label)[0])
