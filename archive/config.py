"""Configuration, read once and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "index"
DEFAULT_TIMEZONE = "Europe/Warsaw"
DEFAULT_SEARCH_TIMEOUT = 5.0  # seconds one search may run before it is stopped (503)
DEFAULT_WORKERS = max(1, min(os.cpu_count() or 1, 8))  # serve's worker processes


@dataclass(frozen=True)
class Config:
    """Where the archive lives and how inputs are read."""

    home: Path
    timezone: str = DEFAULT_TIMEZONE  # zone of the plain-text date lines
    search_timeout: float = DEFAULT_SEARCH_TIMEOUT  # time budget of one search; 0: none
    # Zone the web pages show times in (`serve --timezone`); None: UTC. The store keeps UTC.
    display_timezone: str | None = None

    @property
    def store_path(self) -> Path:
        return self.home / "archive.sqlite3"

    @property
    def index_path(self) -> Path:
        """The live index: a symlink swapped atomically by reindex."""
        return self.home / "whoosh"

    @classmethod
    def load(
        cls, home: str | os.PathLike[str] | None = None, timezone: str | None = None
    ) -> Config:
        """Build the config from arguments, then NEWSARCHIVE_* variables, then defaults."""
        home = home or os.environ.get("NEWSARCHIVE_HOME") or DEFAULT_HOME
        timezone = timezone or os.environ.get("NEWSARCHIVE_TIMEZONE") or DEFAULT_TIMEZONE
        return cls(home=Path(home), timezone=timezone, search_timeout=_search_timeout())


def _search_timeout() -> float:
    """Return NEWSARCHIVE_SEARCH_TIMEOUT in seconds, or the default when unset or unusable."""
    text = os.environ.get("NEWSARCHIVE_SEARCH_TIMEOUT", "").strip()
    try:
        seconds = float(text) if text else DEFAULT_SEARCH_TIMEOUT
    except ValueError:
        return DEFAULT_SEARCH_TIMEOUT
    return seconds if seconds >= 0 else DEFAULT_SEARCH_TIMEOUT
