"""What a reader yields besides Articles: rejections, and the limits that bound one input."""

from __future__ import annotations

from dataclasses import dataclass

# One article (or one JSON line) larger than this is refused rather than parsed:
# no real news article comes near it, and it keeps memory bounded.
MAX_RECORD_BYTES = 5 * 1024 * 1024
# A JSON document (array or object) is parsed whole, so it gets a cap of its own.
MAX_DOCUMENT_BYTES = 20 * MAX_RECORD_BYTES
# Past this many rejections in one file, the rest are counted in one summary rejection:
# a file of two million bad lines must not become two million lines of report.
MAX_REJECTIONS_PER_FILE = 100


@dataclass
class Rejection:
    """An input that could not become an article, and why."""

    source: str  # path, with :line or #record where known
    reason: str


def printable_path(path: object) -> str:
    """Return a path as text that any store or terminal accepts: bytes of the file name
    that are not UTF-8 (kept by Python as lone surrogates) are shown as \\xNN escapes."""
    return str(path).encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
