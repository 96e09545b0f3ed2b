"""View helpers for the web pages: links, facet lists, chips, paging (no Flask here).

Date views (the histogram, timelines, date formats) are in timelines.py.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from html import unescape
from typing import Any, NamedTuple

from markupsafe import Markup

from archive.facets import Facet, all_facets
from archive.index.text import normalise

DATE_CHIPS = {"from": "From", "to": "To", "undated": "Undated"}
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
    return [
        *(QueryField(f.index_field, f"articles {f.describes}") for f in all_facets()),
        QueryField("author", "articles by this author (the byline)"),
        QueryField("date", "articles published then: 2023, 2023-04 or 2023-04-11"),
    ]


class Links:
    """Rebuild URLs from the canonical (key, value) pairs of one Criteria."""

    def __init__(self, pairs: Iterable[tuple[str, object]], build: Callable[[Pairs], str]) -> None:
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
        pairs = [
            (k, v) for k, v in self._base() if not (k in (key, opposite) and normalise(v) == wanted)
        ]
        return self.url(pairs + [(key, value)])

    def remove(self, key: str, value: str | None = None) -> str:
        """Return the URL without key=value (or without every value of key)."""
        wanted = None if value is None else normalise(value)
        pairs = [
            (k, v)
            for k, v in self._base()
            if not (k == key and (wanted is None or normalise(v) == wanted))
        ]
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


def _facet_block(
    facet: Facet, values: list[dict[str, Any]], links: Links, shown: int
) -> dict[str, Any]:
    key, exclude = facet.param, facet.exclude_param
    counts = {item["value"]: item["count"] for item in values}
    folded = {normalise(v): c for v, c in counts.items()}
    selected = links.values(key)
    excluded = links.values(exclude) if exclude else []
    taken = {normalise(v) for v in selected + excluded}
    items = [
        _item(v, folded.get(normalise(v)), "selected", links.remove(key, v), None) for v in selected
    ]
    if exclude:
        items += [_item(v, None, "excluded", links.remove(exclude, v), None) for v in excluded]
    items += [
        _item(
            v,
            count,
            None,
            links.add(key, v, exclude),
            links.add(exclude, v, key) if exclude else None,
        )
        for v, count in counts.items()
        if normalise(v) not in taken
    ]
    for item in items:
        item["label"] = facet.value_label(item["value"])
    head = max(shown, len(selected) + len(excluded))
    return {
        "name": facet.name,
        "key": key,
        "heading": facet.label,
        "searchable": facet.multiple,
        "shown": items[:head],
        "more": items[head:],
        "modes": _mode_links(facet, links) if selected else [],
    }


class ModeLink(NamedTuple):
    """One choice of how a facet's picked values combine, and the URL choosing it."""

    mode: str  # "any" or "all"
    text: str  # the choice's name on the page: "Any", "All"
    url: str
    current: bool


def _mode_links(facet: Facet, links: Links) -> list[ModeLink]:
    """Return the any/all choices of a facet with values picked (none for a facet without
    a mode parameter: an article has one section)."""
    if facet.mode_param is None:
        return []
    current = links.first(facet.mode_param, "any")
    return [
        ModeLink(
            mode,
            text,
            links.set({facet.mode_param: None if mode == "any" else mode}),
            current == mode,
        )
        for mode, text in (("any", "Any"), ("all", "All"))
    ]


def _item(
    value: str, count: int | None, state: str | None, toggle_url: str, exclude_url: str | None
) -> dict[str, Any]:
    return {
        "value": value,
        "count": count,
        "state": state,
        "toggle_url": toggle_url,
        "exclude_url": exclude_url,
    }


def chips(links: Links) -> list[dict[str, str]]:
    """Return the active filters, each with a URL that removes it."""
    labels = dict(DATE_CHIPS)
    for facet in all_facets():
        labels[facet.param] = facet.chip
        if facet.exclude_param:
            labels[facet.exclude_param] = f"Not {facet.chip.lower()}"
    shown = {p: f.value_label for f in all_facets() for p in (f.param, f.exclude_param) if p}
    if links.first("from") or links.first("to"):
        # A date range leaves undated articles out by itself: "left out" would change nothing.
        del labels["undated"]
    return [
        {
            "label": labels[k],
            "value": "left out" if k == "undated" else shown.get(k, str)(v),
            "remove_url": links.remove(k, v),
        }
        for k, v in links.pairs
        if k in labels
    ]


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


__all__ = [
    "Links",
    "QueryField",
    "query_fields",
    "marks_only",
    "facet_blocks",
    "chips",
    "page_window",
    "paragraphs",
    "safe_href",
    "plain",
]
