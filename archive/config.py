"""Configuration, read once and passed down."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_HOME = "index"
DEFAULT_TIMEZONE = "Europe/Warsaw"


@dataclass(frozen=True)
class Config:
    """Where the archive lives and how inputs are read."""

    home: Path
    timezone: str = DEFAULT_TIMEZONE  # zone of the plain-text date lines

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
        return cls(home=Path(home), timezone=timezone)
