"""What a reader yields besides Articles: rejections, and the size limit of one record."""

from __future__ import annotations

from dataclasses import dataclass

# One article (or one JSON line) larger than this is refused rather than parsed:
# no real news article comes near it, and it keeps memory bounded.
MAX_RECORD_BYTES = 5 * 1024 * 1024


@dataclass
class Rejection:
    """An input that could not become an article, and why."""

    source: str  # path, with :line or #record where known
    reason: str
