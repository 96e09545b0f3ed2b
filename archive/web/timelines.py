"""Date views for the web pages: the search page's histogram, timelines, date formats.

A chart's scale runs from 0 to `top`, the smallest round count at or above the tallest bar
(see scale_top), with a middle tick at top / 2. A bar's height is its share of the scale:
height = max(MIN_HEIGHT, 100 * count / top), in percent rounded to one decimal, so a bar of
one article among thousands stays visible; an empty period has height 0. The axis runs from
the first to the last non-empty period: an empty stretch shorter than GAP_AFTER periods stays
as zero bars (the axis is time, not just the data), a longer one becomes one gap marker.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, NamedTuple

from archive.web.presenters import FacetCounts, Links

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Full names for accessible names ("March 2016: 42 articles"), fixed rather than locale-bound.
MONTH_NAMES: tuple[str, ...] = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
)
MONTH_NAMES += ("September", "October", "November", "December")
MIN_HEIGHT = 4.0  # percent of the scale: the least a non-empty bar shows
GAP_AFTER = 3  # empty periods in a row that become one gap marker


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: a period with its count, or a compressed empty stretch (gap)."""

    value: str  # "2016" or "2016-03"; for a gap, its first empty period
    label: str  # "March 2016"; for a gap, "No articles from May 2016 to June 2019"
    tick: str  # the short axis label: "2016" or "Mar ’16"
    count: int
    height: float  # percent of the scale's top
    url: str | None = None  # where choosing the bar leads; None for empty bars and gaps
    current: bool = False  # inside the date range the search has set
    gap: bool = False

    @property
    def text(self) -> str:
        """The bar's accessible name and tooltip: "March 2016: 42 articles"."""
        if self.gap:
            return self.label
        return f"{self.label}: {self.count:,} {'article' if self.count == 1 else 'articles'}"


class Chart(NamedTuple):
    """A histogram or timeline: bars on a count scale, and what the bars cannot show."""

    level: str  # "year" or "month"
    bars: list[Bar]
    top: int  # the count at the top of the scale; the middle tick is top // 2
    undated: int | None  # articles without a date; None when the search does not say
    zoom_out: str | None = None  # the URL without the date range, when one is set

    @property
    def middle(self) -> int:
        return self.top // 2


def histogram(facets: FacetCounts, links: Links, total: int) -> Chart | None:
    """Bars by year; by month inside a date range of at most two years."""
    years = sorted((i["value"], i["count"]) for i in facets.get("years", []) if i["count"])
    months = sorted((i["value"], i["count"]) for i in facets.get("months", []) if i["count"])
    start, end = links.first("from"), links.first("to")
    # The date facets ignore the date filter itself (so other periods stay
    # clickable); zoom into the filtered span when it is short enough.
    low = (start[:7] if len(start) >= 7 else start[:4] + "-01") if start else ""
    high = (end[:7] if len(end) >= 7 else end[:4] + "-12") if end else "9999-99"
    inside = [(v, c) for v, c in months if low <= v <= high]
    span_years = {v[:4] for v, _ in inside}
    if inside and (len(span_years) <= 2 if (start or end) else len(years) <= 2):
        level, series = "month", inside
    elif years:
        level, series = "year", years
    else:
        return None
    ranged = bool(start or end)

    def current(value: str) -> bool:
        first, last = (value, value) if level == "month" else (value + "-01", value + "-12")
        return ranged and low <= first and last <= high

    # Without a date range the total counts the undated too (unless they are left out);
    # with one it holds none, and the bars, which ignore the range, cannot say.
    undated = None if ranged or links.first("undated") == "0" else total - sum(c for _, c in months)
    return _chart(
        level,
        series,
        lambda value: links.set({"from": value, "to": value}),
        current,
        undated,
        links.set({"from": None, "to": None}) if ranged else None,
    )


def timeline(
    months: list[dict[str, Any]], month_url: Callable[[str], str], total: int
) -> Chart | None:
    """Bars by month for person and outlet pages, each opening the search in its month."""
    series = sorted((i["value"], i["count"]) for i in months if i["count"])
    if not series:
        return None
    undated = total - sum(c for _, c in series)
    return _chart("month", series, month_url, lambda _: False, undated, None)


def _chart(
    level: str,
    series: list[tuple[str, int]],
    url: Callable[[str], str],
    current: Callable[[str], bool],
    undated: int | None,
    zoom_out: str | None,
) -> Chart:
    top = scale_top(max(c for _, c in series))
    bars = []
    for stretch in _with_gaps(series, level):
        first, last, count = stretch.first, stretch.last, stretch.articles
        if stretch.is_gap:
            label = f"No articles from {_label(first, level)} to {_label(last, level)}"
            bars.append(Bar(first, label, "", 0, 0, gap=True))
            continue
        height = max(MIN_HEIGHT, round(100 * count / top, 1)) if count else 0
        tick = short_month(first) if level == "month" else first
        link = url(first) if count else None
        bars.append(Bar(first, _label(first, level), tick, count, height, link, current(first)))
    return Chart(level, bars, top, undated, zoom_out)


def scale_top(peak: int) -> int:
    """Return the smallest round count at or above peak with a whole half, for the scale:
    2, 4, 6, 8, 10, 20, 30, 40, 50, 60, 80, 100, 150, 200, 250, 300..."""
    if peak <= 10:
        return max(2, peak + peak % 2)
    magnitude = 10 ** (len(str(peak)) - 1)
    tops = (int(step * magnitude) for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10))
    return next(top for top in tops if top >= peak and top % 2 == 0)


def _index(value: str, level: str) -> int:
    """Number the periods so that neighbours differ by one: months as year * 12 + month."""
    return int(value[:4]) * 12 + int(value[5:7]) - 1 if level == "month" else int(value)


def _period(index: int, level: str) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}" if level == "month" else f"{index:04d}"


class Stretch(NamedTuple):
    """Periods first..last on the axis: one period with its count, or an empty gap."""

    first: str
    last: str
    articles: int

    @property
    def is_gap(self) -> bool:
        return self.first != self.last


def _with_gaps(series: list[tuple[str, int]], level: str) -> Iterator[Stretch]:
    """Yield the periods from the first to the last non-empty one: a short empty stretch
    as zero bars (the axis stays time), one of GAP_AFTER periods or more as one gap."""
    previous: int | None = None
    for value, count in series:
        here = _index(value, level)
        if previous is not None and here - previous - 1 >= GAP_AFTER:
            yield Stretch(_period(previous + 1, level), _period(here - 1, level), 0)
        elif previous is not None:
            yield from (
                Stretch(_period(i, level), _period(i, level), 0) for i in range(previous + 1, here)
            )
        yield Stretch(value, value, count)
        previous = here


def _label(value: str, level: str) -> str:
    return long_month(value) if level == "month" else value


def long_month(value: str) -> str:
    """Format "2023-04" as "April 2023", the name a screen reader speaks."""
    try:
        return f"{MONTH_NAMES[int(value[5:7]) - 1]} {value[:4]}"
    except (ValueError, IndexError):
        return value


def month_label(value: str) -> str:
    """Format "2023-04" as "Apr 2023"."""
    try:
        return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    except (ValueError, IndexError):
        return value


def short_month(value: str) -> str:
    """Format "2023-04" as "Apr ’23", short enough for an axis tick."""
    return f"{month_label(value)[:3]} ’{value[2:4]}" if len(value) >= 7 else value


def nice_date(value: datetime | date | str | None, with_time: bool = False) -> str:
    """Format a datetime or ISO string as "11 Apr 2023"; empty when unknown."""
    if not value:
        return ""
    if isinstance(value, str):
        try:
            when: datetime | date = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value  # shown as it came rather than not at all
    else:
        when = value
    text = f"{when.day} {MONTHS[when.month - 1]} {when.year}"
    if with_time and isinstance(when, datetime) and (when.hour or when.minute):
        text += f", {when.hour:02d}:{when.minute:02d} UTC"
    return text


def iso_date(value: datetime | date | str | None) -> str:
    """Format a datetime or ISO string for a <time datetime> attribute."""
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value or "")


__all__ = [
    "Bar",
    "Chart",
    "histogram",
    "iso_date",
    "long_month",
    "month_label",
    "nice_date",
    "scale_top",
    "timeline",
]
