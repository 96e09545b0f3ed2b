"""Date filter values as people type them: a year, a month or a day, in any common spelling.

`2016`, `2016-03`, `March 2016`, `Mar 2016`, `3/2016`, `2016-03-14`, `14 March 2016` each name
a period: a year, a month or a day. parse_period() returns that period as

    [first day, day after the last day)

and its canonical spelling (`2016`, `2016-03`, `2016-03-14`), the form URLs carry. The
canonical forms are read directly; anything else goes to python-dateutil, parsed twice with
two different defaults: a part that comes out differently was not typed, so the period is
as long as the first part missing (no month typed: the year; no day: the month).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import NamedTuple

from dateutil import parser as dateutil_parser

from archive.errors import SearchError

MAX_DATE_TEXT = 40  # longer text is no date anyone types, and dateutil need not try it
CANONICAL = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
# Two defaults that differ in every part: what differs between the two parses was not typed.
_DEFAULTS = (datetime(2000, 1, 1), datetime(2001, 2, 2))
EXAMPLES = "2016, 2016-03, March 2016, 3/2016, 2016-03-14 or 14 March 2016"


class Period(NamedTuple):
    """The days a date filter value covers: [first, end), and how a URL spells it."""

    first: date
    end: date  # the day after the last day (date.max when that is past 9999-12-31)
    canonical: str


def parse_period(text: str, field: str) -> Period:
    """Return the year, month or day text names; SearchError (naming field) if none."""
    text = " ".join(text.split())
    match = CANONICAL.match(text)
    try:
        if match:
            year, month, day = (int(part) if part else None for part in match.groups())
            return _period(year or 0, month, day)
        return _loose_period(text, field)
    except ValueError:
        raise SearchError(
            f"{field}: {text!r} is not a valid date (dates run from 0001-01-01 to 9999-12-31)"
        ) from None


def _loose_period(text: str, field: str) -> Period:
    """Read a date typed some other way (`March 2016`, `3/2016`) with dateutil."""
    problem = SearchError(f"{field}: {text!r} is not a date; try {EXAMPLES}")
    if not text or len(text) > MAX_DATE_TEXT or not any(c.isdigit() for c in text):
        raise problem
    try:
        one, two = (dateutil_parser.parse(text, default=d) for d in _DEFAULTS)
    except (dateutil_parser.ParserError, OverflowError, ValueError):
        raise problem from None
    if one.year != two.year:  # "March" or "14": no year typed
        raise SearchError(f"{field}: {text!r} has no year; try {EXAMPLES}")
    if one.month != two.month:
        return _period(one.year, None, None)
    if one.day != two.day:
        return _period(one.year, one.month, None)
    return _period(one.year, one.month, one.day)


def _period(year: int, month: int | None, day: int | None) -> Period:
    """Return the period of a year, a month of it or a day; ValueError if there is none."""
    if month is None:
        return Period(date(year, 1, 1), _day_after(date(year, 12, 31)), f"{year:04d}")
    if day is None:
        first = date(year, month, 1)
        last = date(year, 12, 31) if month == 12 else date(year, month + 1, 1) - timedelta(1)
        return Period(first, _day_after(last), f"{year:04d}-{month:02d}")
    first = date(year, month, day)
    return Period(first, _day_after(first), first.isoformat())


def _day_after(day: date) -> date:
    # The day after 9999-12-31 cannot be a date: end there instead. No stored article is
    # dated in the future (the readers' plausibility check), so no match is lost.
    return date.max if day == date.max else day + timedelta(days=1)


__all__ = ["EXAMPLES", "Period", "parse_period"]
