"""View helpers for the web pages: links, facet lists, chips, histograms (no Flask here).

A histogram bar's height is its share of the tallest bar: height = 100 * count / peak,
in percent, rounded to one decimal (0 for an empty bar).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from html import unescape
from typing import Any, NamedTuple

from markupsafe import Markup

from archive.facets import Facet, all_facets
from archive.index.text import normalise

DATE_CHIPS = {"from": "From", "to": "To", "undated": "Undated"}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
# Everything that is not one of our own <mark> tags loses its "<", so a snippet
# that reached us unescaped still cannot become markup.
_NOT_MARK = re.compile(r"<(?!/?mark>)")

Pairs = list[tuple[str, str]]
FacetCounts = dict[str, list[dict[str, Any]]]  # Results.facets: name -> [{value, count}]


class QueryField(NamedTuple):
    """A field the query language knows besides title:, and what it finds."""

    name: str
    finds: str


def query_fields() -> list[QueryField]:
    """Return the fields a query may name: each facet's, then author: and date:."""
    return [*(QueryField(f.index_field, f"articles {f.describes}") for f in all_facets()),
            QueryField("author", "articles by this author (the byline)"),
            QueryField("date", "articles published then: 2023, 2023-04 or 2023-04-11")]


class Links:
    """Rebuild URLs from the canonical (key, value) pairs of one Criteria."""

    def __init__(self, pairs: Iterable[tuple[str, object]], build: Callable[[Pairs], str]
                 ) -> None:
        self.pairs = [(k, "" if v is None else str(v)) for k, v in pairs]
        self.build = build

    def values(self, key: str) -> list[str]:
        """Return every value given for key."""
        return [v for k, v in self.pairs if k == key]

    def first(self, key: str, default: str = "") -> str:
        """Return the first value for key, or default."""
        values = self.values(key)
        return values[0] if values else default

    def has(self, key: str, value: str) -> bool:
        """Say whether key=value is set (ignoring case and accents, as filters match)."""
        wanted = normalise(value)
        return any(k == key and normalise(v) == wanted for k, v in self.pairs)

    def url(self, pairs: Pairs | None = None) -> str:
        """Return the URL of pairs, or of the current state."""
        return self.build(self.pairs if pairs is None else pairs)

    def _base(self, drop: Iterable[str] = ()) -> Pairs:
        # Any change of filters sends the user back to page 1.
        skip = {"page", *drop}
        return [(k, v) for k, v in self.pairs if k not in skip]

    def add(self, key: str, value: str, opposite: str | None = None) -> str:
        """Return the URL with key=value added (and removed from the opposite key)."""
        wanted = normalise(value)
        pairs = [(k, v) for k, v in self._base()
                 if not (k in (key, opposite) and normalise(v) == wanted)]
        return self.url(pairs + [(key, value)])

    def remove(self, key: str, value: str | None = None) -> str:
        """Return the URL without key=value (or without every value of key)."""
        wanted = None if value is None else normalise(value)
        pairs = [(k, v) for k, v in self._base()
                 if not (k == key and (wanted is None or normalise(v) == wanted))]
        return self.url(pairs)

    def set(self, changes: dict[str, str | None]) -> str:
        """Return the URL with each key replaced by one value (None drops it)."""
        pairs = self._base(changes)
        pairs += [(k, v) for k, v in changes.items() if v]
        return self.url(pairs)

    def page(self, number: int) -> str:
        """Return the URL of another page of the same results."""
        return self.url(self._base() + ([("page", str(number))] if number > 1 else []))

    def only(self, *keys: str) -> str:
        """Return the URL keeping only the given keys (e.g. clear all filters)."""
        return self.url([(k, v) for k, v in self.pairs if k in keys])

    def hidden(self, *skip: str) -> Pairs:
        """Return the pairs a form must carry as hidden inputs, minus its own fields."""
        return self._base(skip)


def marks_only(snippet: str | None) -> Markup:
    """Trust a search snippet as markup, but only its <mark> tags."""
    return Markup(_NOT_MARK.sub("&lt;", snippet or ""))


def facet_blocks(facets: FacetCounts, links: Links, shown: int = 8) -> list[dict[str, Any]]:
    """Build the facet lists: selected values first, then excluded, then the rest."""
    return [_facet_block(f, facets.get(f.name, []), links, shown) for f in all_facets()]


def _facet_block(facet: Facet, values: list[dict[str, Any]], links: Links, shown: int
                 ) -> dict[str, Any]:
    key, exclude = facet.param, facet.exclude_param
    counts = {item["value"]: item["count"] for item in values}
    folded = {normalise(v): c for v, c in counts.items()}
    selected = links.values(key)
    excluded = links.values(exclude) if exclude else []
    taken = {normalise(v) for v in selected + excluded}
    items = [_item(v, folded.get(normalise(v)), "selected", links.remove(key, v), None)
             for v in selected]
    if exclude:
        items += [_item(v, None, "excluded", links.remove(exclude, v), None) for v in excluded]
    items += [_item(v, count, None, links.add(key, v, exclude),
                    links.add(exclude, v, key) if exclude else None)
              for v, count in counts.items() if normalise(v) not in taken]
    head = max(shown, len(selected) + len(excluded))
    return {"name": facet.name, "key": key, "heading": facet.label,
            "searchable": facet.multiple, "shown": items[:head], "more": items[head:]}


def _item(value: str, count: int | None, state: str | None, toggle_url: str,
          exclude_url: str | None) -> dict[str, Any]:
    return {"value": value, "count": count, "state": state,
            "toggle_url": toggle_url, "exclude_url": exclude_url}


def chips(links: Links) -> list[dict[str, str]]:
    """Return the active filters, each with a URL that removes it."""
    labels = dict(DATE_CHIPS)
    for facet in all_facets():
        labels[facet.param] = facet.chip
        if facet.exclude_param:
            labels[facet.exclude_param] = f"Not {facet.chip.lower()}"
    return [{"label": labels[k], "value": "left out" if k == "undated" else v,
             "remove_url": links.remove(k, v)}
            for k, v in links.pairs if k in labels]


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
        bars.append({
            "value": value, "count": count,
            "label": month_label(value) if level == "month" else value,
            "tick": short_month(value) if level == "month" else value,
            "height": round(100 * count / peak, 1) if count else 0,
            "url": links.set({"from": value, "to": value}),
            "current": bool(start or end) and low <= bar_low and bar_high <= high,
        })
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
    return [{"value": v, "label": month_label(v), "tick": short_month(v), "count": c,
             "height": round(100 * c / peak, 1) if c else 0} for v, c in series]


def page_window(page: int, pages: int, radius: int = 2) -> list[int | None]:
    """Page numbers to show around the current one; None marks a gap."""
    if pages <= 1:
        return []
    wanted = {1, pages, *range(max(1, page - radius), min(pages, page + radius) + 1)}
    out: list[int | None] = []
    for number in sorted(wanted):
        if out and number - (out[-1] or 0) > 1:
            out.append(None)
        out.append(number)
    return out


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


def paragraphs(text: str) -> list[str]:
    """Split an article body into paragraphs on blank lines (or lines, if none)."""
    parts = [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]
    if len(parts) <= 1 and text and text.count("\n") > 2:
        parts = [line.strip() for line in text.splitlines() if line.strip()]
    return parts


def safe_href(url: str) -> str | None:
    """Return url if it is plain http(s), so a javascript: URL never becomes a link."""
    url = (url or "").strip()
    return url if re.match(r"(?i)^https?://[^\s<>\"]+$", url) else None


def plain(snippet: str | None) -> str:
    """Strip our <mark> tags and unescape, for plain-text outputs such as Atom titles."""
    return unescape(re.sub(r"</?mark>", "", snippet or ""))


__all__ = ["Links", "QueryField", "query_fields", "marks_only", "facet_blocks", "chips",
           "histogram", "timeline", "page_window", "nice_date", "iso_date", "paragraphs",
           "safe_href", "plain", "month_label"]
