"""The search tests' helpers under their old module name: everything lives in fixtures.py."""

from fixtures import ARTICLES, StoredArchive, by_title, make_archive, many_articles, utc

__all__ = ["ARTICLES", "StoredArchive", "by_title", "make_archive", "many_articles", "utc"]
