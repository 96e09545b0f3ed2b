"""Date views for the web pages: the search page's histogram, timelines, date formats.

A bar's height is its share of the tallest bar: height = 100 * count / peak, in percent,
rounded to one decimal (0 for an empty bar). Gaps between bars are filled with zero bars,
so the axis is time and not just the data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from archive.web.presenters import FacetCounts, Links

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def histogram(facets: FacetCounts, links: Links) -> dict[str, Any] | None:
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
        level, series = "month", _fill(inside, _next_month)
    elif years:
        level, series = "year", _fill(years, lambda y: str(int(y) + 1))
    else:
        return None
    peak = max(c for _, c in series) or 1
    bars = []
    for value, count in series:
        bar_low, bar_high = (value, value) if level == "month" else (value + "-01", value + "-12")
        bars.append(
            {
                "value": value,
                "count": count,
                "label": month_label(value) if level == "month" else value,
                "tick": short_month(value) if level == "month" else value,
                "height": round(100 * count / peak, 1) if count else 0,
                "url": links.set({"from": value, "to": value}),
                "current": bool(start or end) and low <= bar_low and bar_high <= high,
            }
        )
    zoom_out = links.set({"from": None, "to": None}) if (start or end) else None
    return {"level": level, "bars": bars, "peak": peak, "zoom_out": zoom_out}


def _fill(series: list[tuple[str, int]], step: Callable[[str], str]) -> list[tuple[str, int]]:
    """Add zero bars for the gaps, so the axis is time and not just the data."""
    counts = dict(series)
    out: list[tuple[str, int]] = []
    value, last = series[0][0], series[-1][0]
    while value <= last and len(out) < 600:
        out.append((value, counts.get(value, 0)))
        value = step(value)
    return out


def _next_month(value: str) -> str:
    year, month = int(value[:4]), int(value[5:7])
    return f"{year + month // 12:04d}-{month % 12 + 1:02d}"


def month_label(value: str) -> str:
    """Format "2023-04" as "Apr 2023"."""
    try:
        return f"{MONTHS[int(value[5:7]) - 1]} {value[:4]}"
    except (ValueError, IndexError):
        return value


def short_month(value: str) -> str:
    """Format "2023-04" as "Apr ’23", short enough for an axis tick."""
    return f"{month_label(value)[:3]} ’{value[2:4]}" if len(value) >= 7 else value


def timeline(months: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Bars by month with gaps filled, for person and outlet pages."""
    series = sorted((i["value"], i["count"]) for i in months if i["count"])
    if not series:
        return []
    series = _fill(series, _next_month)
    peak = max(c for _, c in series) or 1
    return [
        {
            "value": v,
            "label": month_label(v),
            "tick": short_month(v),
            "count": c,
            "height": round(100 * c / peak, 1) if c else 0,
        }
        for v, c in series
    ]


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


__all__ = ["histogram", "iso_date", "month_label", "nice_date", "timeline"]
