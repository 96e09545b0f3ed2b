"""The search form when what was typed cannot run: which field is wrong, and what to keep.

An invalid query or date does not replace the search page with an error page: the page comes
back (status 400) with every value as the user typed it (query, filters, dates, sort, per
page) and a message at the field to fix. Which field: the dates are checked one by one, then
the query (too long, or refused by the parser once the other arguments were accepted);
anything else (a hand-edited sort or page) is a problem of the form as a whole.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from archive.errors import SearchError
from archive.facets import all_facets
from archive.search.criteria import MAX_FILTER_VALUES, MAX_QUERY
from archive.search.dates import parse_period

# Arguments that hold one value: the last one typed counts, as in Criteria.from_args.
SINGLE = ("from", "to", "undated", "sort", "per_page")
DATE_FIELDS = ("from", "to")


class FormProblem(NamedTuple):
    """What to fix before the search can run, and where: "q", "from", "to", or "form"."""

    field: str
    message: str

    @property
    def error_id(self) -> str:
        """The id of the message, for the field's aria-describedby."""
        return f"{self.field}-error"


def state_keys() -> set[str]:
    """Return the arguments a search page keeps: the query, every facet's, dates, order."""
    keys = {"q", *SINGLE}
    for facet in all_facets():
        keys.update(k for k in (facet.param, facet.exclude_param, facet.mode_param) if k)
    return keys


def typed_state(args: Any) -> list[tuple[str, str]]:
    """Return the search's arguments as typed (a MultiDict's items), minus the page number
    (a search that could not run has no pages) and empty values; one value per SINGLE key."""
    keys = state_keys()
    pairs = [(k, str(v)) for k, v in args.items(multi=True) if k in keys and str(v).strip()]
    last = {k: v for k, v in pairs if k in SINGLE}  # a dict keeps each key's last value
    kept: list[tuple[str, str]] = []
    filters = 0
    for key, value in pairs:
        if key in SINGLE:
            if any(k == key for k, _ in kept):
                continue
            value = last[key]
        else:
            # Past the cap on filter values the search is refused: the page saying so keeps
            # no more than the cap, as each chip links to all the others (quadratic).
            filters += 1
            if filters > MAX_FILTER_VALUES:
                continue
        kept.append((key, value))
    return kept


def locate(state: list[tuple[str, str]], error: SearchError, parsed: bool) -> FormProblem:
    """Return the field that error is about; parsed says the arguments were all accepted,
    so that the search itself (its query) failed."""
    if parsed:
        return FormProblem("q", str(error))
    values = dict(state)  # one value per date field
    for field in DATE_FIELDS:
        if field in values:
            try:
                parse_period(values[field], field)
            except SearchError as wrong:  # the field is labelled already: no "from: "
                return FormProblem(field, str(wrong).removeprefix(f"{field}: "))
    if "from" in values and "to" in values:
        start = parse_period(values["from"], "from")
        end = parse_period(values["to"], "to")
        if start.first >= end.end:
            return FormProblem("to", f"“To” ({values['to']}) is before “From” ({values['from']})")
    if len(" ".join(v for k, v in state if k == "q")) > MAX_QUERY:
        return FormProblem("q", str(error))
    return FormProblem("form", str(error))


__all__ = ["FormProblem", "locate", "state_keys", "typed_state"]
