"""The stages of an ingest, and the callbacks their progress goes to.

Kept apart from ingest.py and enrichment.py, which import the extraction and index layers,
so that the command line can name the stages without importing those.
"""

from __future__ import annotations

import enum
from collections.abc import Callable

Progress = Callable[[int], None]  # told that this many more articles are done


class Stage(enum.Enum):
    """The stages of an ingest, each named as its progress line names it."""

    READING = "reading"
    INDEXING = "indexing"
    EXTRACTING = "extracting people and outlets"


# Told that a stage starts and how many articles it will go through; returns the callback
# its progress goes to (or None).
StageStart = Callable[[Stage, int], Progress | None]
