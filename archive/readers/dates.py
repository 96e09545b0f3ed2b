"""Date parsing shared by the readers, with a plausibility check."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from dateutil import parser as dateutil_parser

EARLIEST_YEAR = 1800
TEXT_DATE = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})(?:\s+(\d{1,2}):(\d{2}))?\s*$")


def parse_text_date(line: str, zone: str) -> datetime | None:
    """Parse a DD.MM.YYYY [HH:MM] line in the given zone; None if the line is not a date."""
    match = TEXT_DATE.match(line)
    if not match:
        return None
    day, month, year, hour, minute = match.groups()
    try:
        local = datetime(
            int(year), int(month), int(day), int(hour or 0), int(minute or 0), tzinfo=ZoneInfo(zone)
        )
    except ValueError:
        return None
    return local.astimezone(UTC)


def parse_any_date(value: object) -> datetime:
    """Parse ISO, US (7/23/17) and other common forms; naive values are taken as UTC."""
    if isinstance(value, (int, float)):
        return datetime.fromtimestamp(value, tz=UTC)
    text = str(value).strip()
    try:
        parsed = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        parsed = dateutil_parser.parse(text, dayfirst=False)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def plausibility_problem(value: datetime, now: datetime | None = None) -> str | None:
    """Say why a date cannot be a real publication date, or None if it can."""
    now = now or datetime.now(UTC)
    if value.year < EARLIEST_YEAR:
        return f"date {value.date().isoformat()} is before {EARLIEST_YEAR}"
    if value > now + timedelta(days=1):
        return f"date {value.date().isoformat()} is in the future"
    return None


def checked_date(raw: object, warnings: list[str]) -> datetime | None:
    """Parse raw into a plausible UTC date, or None with a warning saying why."""
    if raw in (None, ""):
        warnings.append("no date: the article is stored as undated")
        return None
    # JSON true/false would pass as the timestamps 1 and 0; objects and lists are no dates.
    if isinstance(raw, bool) or not isinstance(raw, (int, float, str)):
        shown = str(raw)[:40]
        warnings.append(f"date {shown!r} is not a date or timestamp: stored as undated")
        return None
    try:
        value = parse_any_date(raw)
    except (ValueError, OverflowError, TypeError):
        warnings.append(f"unreadable date {str(raw)[:40]!r}: the article is stored as undated")
        return None
    problem = plausibility_problem(value)
    if problem:
        warnings.append(f"implausible {problem}: the article is stored as undated")
        return None
    return value
