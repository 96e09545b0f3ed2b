"""newsarchive: a searchable full-text news archive."""

__version__ = "0.1.0"
