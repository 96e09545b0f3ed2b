"""Article times as the archive's readers expect them: in its configured zone, UTC on hover.

The store keeps every time in UTC. Pages show it in the archive's display zone
(ARCHIVE_TIMEZONE, `serve --timezone`; UTC when unset), so a story filed at 23:00 in
Warsaw reads "23:00 CET" with the zone set to Europe/Warsaw; the <time> element keeps the
UTC instant in its datetime attribute and says it again in its title. The API keeps UTC.
"""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, tzinfo
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

log = logging.getLogger(__name__)

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@lru_cache(maxsize=16)
def display_zone(name: str | None) -> tzinfo:
    """Return the zone called name (UTC for none); an unknown name is logged and read as
    UTC, so a typo shows true UTC times rather than failing every page (serve checks it)."""
    if not name or name.upper() == "UTC":
        return UTC
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        log.warning("unknown time zone %r: showing times in UTC", name)
        return UTC


def known_zone(name: str) -> bool:
    """Say whether name is a time zone this machine knows ("Europe/Warsaw", "UTC")."""
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return name.upper() == "UTC"
    return True


def _moment(value: datetime | date | str | None) -> datetime | date | None:
    """Return value as a datetime (aware, UTC when naive) or a date; None if unreadable."""
    if not value:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def local_date(value: datetime | date | str | None, zone: tzinfo, with_time: bool = False) -> str:
    """Format a moment in zone as "14 Mar 2016", with ", 23:00 CET" when with_time and
    the local time is not midnight (a story known only by its day has no time)."""
    moment = _moment(value)
    if moment is None:
        return str(value or "")  # shown as it came rather than not at all
    if isinstance(moment, datetime):
        moment = moment.astimezone(zone)
    text = f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"
    if with_time and isinstance(moment, datetime) and (moment.hour or moment.minute):
        text += f", {moment.hour:02d}:{moment.minute:02d} {moment.strftime('%Z') or 'UTC'}"
    return text


def utc_title(value: datetime | date | str | None) -> str:
    """Format a moment in UTC for a <time> element's title: "2016-03-13 22:00 UTC"."""
    moment = _moment(value)
    if not isinstance(moment, datetime):
        return moment.isoformat() if moment else ""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")


__all__ = ["display_zone", "known_zone", "local_date", "utc_title"]
