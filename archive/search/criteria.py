"""Search criteria: parsed once from request arguments, turned back into URL arguments."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from archive.errors import SearchError
from archive.facets import MODES, all_facets
from archive.facets import get as get_facet
from archive.search.dates import parse_period

MAX_QUERY = 500
MAX_PER_PAGE = 100
MAX_FILTER_VALUES = 50  # facet values picked or excluded by one request, all facets together
SORTS = ("relevance", "newest", "oldest")
_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n"}


def date_bounds(text: str, field: str) -> tuple[date, date]:
    """Return the first day and the day after the last day that a date filter value covers
    (`2023`, `2023-04`, `April 2023`, `2023-04-11`...: archive/search/dates.py)."""
    period = parse_period(text, field)
    return period.first, period.end


def _canonical_date(text: str | None, field: str) -> str | None:
    """Return a date filter value as URLs spell it (`March 2016` -> `2016-03`)."""
    return parse_period(text, field).canonical if text else None


def _getlist(args: Any, name: str) -> list[str]:
    if hasattr(args, "getlist"):
        values = args.getlist(name)
    else:
        values = args.get(name, [])
        if isinstance(values, str) or not isinstance(values, (list, tuple)):
            values = [values]
    return [str(v) for v in values if v is not None]


def _unique(values: Iterable[object]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for value in values:
        value = " ".join(str(value).split())
        if value:
            seen.setdefault(value)
    return tuple(seen)


def _int(args: Any, name: str, default: int) -> int:
    values = [v for v in _getlist(args, name) if v.strip()]
    if not values:
        return default
    try:
        return int(values[-1])
    except ValueError:
        raise SearchError(f"{name} must be a whole number, not {values[-1]!r}") from None


def _selections(given: Mapping[str, Iterable[str] | str] | None) -> dict[str, tuple[str, ...]]:
    out: dict[str, tuple[str, ...]] = {}
    for name, values in (given or {}).items():
        if get_facet(name) is None:
            raise SearchError(f"unknown facet {name!r}")
        values = _unique((values,) if isinstance(values, str) else values)
        if values:
            out[name] = values
    return out


def _modes(given: Mapping[str, str | None] | None) -> dict[str, str]:
    """Return the facets whose picks must all match ("all"); "any" is the default."""
    out: dict[str, str] = {}
    for name, mode in (given or {}).items():
        facet = get_facet(name)
        if facet is None:
            raise SearchError(f"unknown facet {name!r}")
        mode = (mode or "any").strip().lower() or "any"
        if mode not in MODES:
            raise SearchError(f"{facet.mode_param or name}: use any or all, not {mode!r}")
        if mode == "all" and facet.mode_param is None:
            raise SearchError(f"an article has one {facet.chip.lower()}: it cannot have all")
        if mode == "all":
            out[name] = mode
    return out


@dataclass(frozen=True)
class Criteria:
    """Everything that selects and orders a page of results.

    selected and excluded map a facet's name (archive/facets.py) to its values: an
    article matches when it has any selected value of each facet (every one, for a facet
    that modes maps to "all") and no excluded one.
    """

    q: str = ""
    selected: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    excluded: Mapping[str, tuple[str, ...]] = dataclasses.field(default_factory=dict)
    date_from: str | None = None
    date_to: str | None = None
    include_undated: bool = True
    sort: str = "relevance"
    page: int = 1
    per_page: int = 20
    modes: Mapping[str, str] = dataclasses.field(default_factory=dict)  # facet name -> "all"
    # Facet name -> selected value -> the names the index holds for it, when they differ
    # (the searcher fills it from the person registry; never part of a URL).
    spellings: Mapping[str, Mapping[str, tuple[str, ...]]] = dataclasses.field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "modes", _modes(self.modes))
        object.__setattr__(self, "selected", _selections(self.selected))
        object.__setattr__(self, "excluded", _selections(self.excluded))
        object.__setattr__(self, "q", self.q or "")
        object.__setattr__(self, "date_from", _canonical_date(self.date_from, "from"))
        object.__setattr__(self, "date_to", _canonical_date(self.date_to, "to"))
        self.validate()

    def values(self, facet: str) -> tuple[str, ...]:
        """Return the selected values of a facet."""
        return self.selected.get(facet, ())

    def mode(self, facet: str) -> str:
        """Return how the facet's selected values combine: "any" or "all"."""
        return self.modes.get(facet, "any")

    def excluded_values(self, facet: str) -> tuple[str, ...]:
        """Return the excluded values of a facet."""
        return self.excluded.get(facet, ())

    def validate(self) -> None:
        """Raise SearchError for a value no search can use."""
        if len(self.q) > MAX_QUERY:
            raise SearchError(
                f"the query is too long ({len(self.q)} characters, at most {MAX_QUERY})"
            )
        filters = sum(map(len, self.selected.values())) + sum(map(len, self.excluded.values()))
        if filters > MAX_FILTER_VALUES:
            raise SearchError(
                f"too many filter values ({filters}; at most {MAX_FILTER_VALUES} per search): "
                "remove some of the picked or excluded values"
            )
        if self.sort not in SORTS:
            raise SearchError(f"sort must be one of {', '.join(SORTS)}, not {self.sort!r}")
        if not isinstance(self.page, int) or self.page < 1:
            raise SearchError("page must be 1 or more")
        if not isinstance(self.per_page, int) or not 1 <= self.per_page <= MAX_PER_PAGE:
            raise SearchError(f"per_page must be between 1 and {MAX_PER_PAGE}")
        start, end = self.date_range()
        if start and end and start >= end:
            raise SearchError(f"from ({self.date_from}) is after to ({self.date_to})")

    def date_range(self) -> tuple[date | None, date | None]:
        """Return [first day, day after the last day) of the date filter; None is open."""
        start = date_bounds(self.date_from, "from")[0] if self.date_from else None
        end = date_bounds(self.date_to, "to")[1] if self.date_to else None
        return start, end

    @property
    def browsing(self) -> bool:
        """True when there is no query text: list what the filters match, newest first."""
        return not self.q.strip()

    @classmethod
    def from_args(cls, args: Any) -> Criteria:
        """Build criteria from request arguments (a MultiDict or a dict of lists)."""

        def last(name: str) -> str | None:
            values = [v.strip() for v in _getlist(args, name) if v.strip()]
            return values[-1] if values else None

        undated = last("undated")
        if undated is None or undated.lower() in _TRUE:
            include_undated = True
        elif undated.lower() in _FALSE:
            include_undated = False
        else:
            raise SearchError(f"undated must be 1 or 0, not {undated!r}")
        facets = all_facets()
        return cls(
            q=" ".join(_getlist(args, "q")).strip(),
            selected={f.name: tuple(_getlist(args, f.param)) for f in facets},
            excluded={
                f.name: tuple(_getlist(args, f.exclude_param)) for f in facets if f.exclude_param
            },
            date_from=last("from"),
            date_to=last("to"),
            modes={f.name: m for f in facets if f.mode_param and (m := last(f.mode_param))},
            include_undated=include_undated,
            sort=(last("sort") or "relevance").lower(),
            page=_int(args, "page", 1),
            per_page=_int(args, "per_page", 20),
        )

    def to_args(self) -> list[tuple[str, str]]:
        """Return the URL arguments that rebuild these criteria (defaults omitted)."""
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        for facet in all_facets():
            out.extend((facet.param, v) for v in self.values(facet.name))
        for facet in all_facets():
            if facet.exclude_param:
                out.extend((facet.exclude_param, v) for v in self.excluded_values(facet.name))
        for facet in all_facets():
            if facet.mode_param and self.mode(facet.name) != "any":
                out.append((facet.mode_param, self.mode(facet.name)))
        if self.date_from:
            out.append(("from", self.date_from))
        if self.date_to:
            out.append(("to", self.date_to))
        if not self.include_undated:
            out.append(("undated", "0"))
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        if self.page != 1:
            out.append(("page", str(self.page)))
        if self.per_page != 20:
            out.append(("per_page", str(self.per_page)))
        return out

    def replace(self, **changes: Any) -> Criteria:
        """Return a copy with changes; the page goes back to 1 unless given."""
        changes.setdefault("page", 1)
        return dataclasses.replace(self, **changes)
