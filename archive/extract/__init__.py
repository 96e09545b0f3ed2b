"""Placeholder extraction: normalise cited outlets only (replaced by the NER extractor)."""

from __future__ import annotations

from typing import Callable, Iterable, Iterator

from archive.models import Article

EXTRACTOR_VERSION = "0"


def normalise_outlet(name: str) -> str:
    """Return the display form of an outlet name."""
    return " ".join(name.split())


def normalise_person(name: str) -> str:
    """Return the display form of a person's name."""
    return " ".join(name.split())


def enrich(articles: Iterable[Article], workers: int | None = None,
           progress: Callable[[int], None] | None = None) -> Iterator[Article]:
    """Fill outlets from the cited outlets; yield articles in input order."""
    for article in articles:
        seen = []
        for name in article.cited_outlets:
            name = normalise_outlet(name)
            if name and name not in seen:
                seen.append(name)
        article.outlets = seen
        if progress:
            progress(1)
        yield article
