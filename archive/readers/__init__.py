"""Readers: turn input files into Article records or rejections, one module per format."""

from __future__ import annotations

import gzip
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path

from archive.config import Config
from archive.errors import InputError
from archive.models import Article
from archive.readers import jsonfile, plaintext
from archive.readers.encoding import wide_encoding
from archive.readers.records import (
    MAX_RECORD_BYTES,
    MAX_REJECTIONS_PER_FILE,
    Rejection,
    printable_path,
)

__all__ = [
    "count_records",
    "MAX_RECORD_BYTES",
    "MAX_REJECTIONS_PER_FILE",
    "Rejection",
    "find_files",
    "printable_path",
    "read_file",
    "read_paths",
    "with_publisher",
]


def find_files(paths: Iterable[str | os.PathLike[str]]) -> Iterator[Path | Rejection]:
    """Yield the files under each path (directories recurse, hidden entries skipped)."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield regular_file(path)
        else:
            yield Rejection(printable_path(path), "no such file or directory: check the path")


def _walk(top: Path) -> Iterator[Path | Rejection]:
    def on_error(error: OSError) -> None:
        name = printable_path(error.filename)
        problems.append(Rejection(name, f"cannot list directory: {error.strerror}"))

    problems: list[Rejection] = []
    for root, dirs, files in os.walk(top, onerror=on_error):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if not name.startswith("."):
                yield regular_file(Path(root) / name)
        yield from problems
        problems.clear()


# What a path names when it is not a regular file, for the rejection that skips it.
FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a directory"),
)


def regular_file(path: Path) -> Path | Rejection:
    """Return path if it (or what its links lead to) is a regular file, else a rejection:
    opening a FIFO blocks forever and a device such as /dev/zero never ends. A path that
    cannot be examined is returned for read_file to report."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return path
    if stat.S_ISREG(mode):
        return path
    kind = next((name for test, name in FILE_KINDS if test(mode)), "a special file")
    return Rejection(
        printable_path(path), f"not a regular file ({kind}): skipped; ingest only plain files"
    )


def read_file(path: Path, config: Config) -> Iterator[Article | Rejection]:
    """Yield the articles of one file, detecting its format from name and content; past
    MAX_REJECTIONS_PER_FILE rejections, the rest are counted in one last rejection."""
    rejected = 0
    for item in _read_any(path, config):
        if isinstance(item, Rejection):
            rejected += 1
            if rejected > MAX_REJECTIONS_PER_FILE:
                continue
        item.source = printable_path(item.source)
        yield item
    if rejected > MAX_REJECTIONS_PER_FILE:
        yield Rejection(
            printable_path(path),
            f"and {rejected - MAX_REJECTIONS_PER_FILE} more rejected records in this file, "
            f"not listed (the first {MAX_REJECTIONS_PER_FILE} are): fix the file",
        )


def _read_any(path: Path, config: Config) -> Iterator[Article | Rejection]:
    checked = regular_file(path)
    if isinstance(checked, Rejection):
        yield checked
        return
    try:
        fmt = detect_format(path)
        reader = jsonfile.read if fmt == "json" else plaintext.read
        yield from reader(path, config)
    except InputError as error:
        yield Rejection(str(path), str(error))
    except PermissionError:
        yield Rejection(str(path), "permission denied: make the file readable and ingest it again")
    except OSError as error:
        yield Rejection(str(path), f"cannot read file: {error.strerror or error}")


def with_publisher(article: Article, publisher: str, path: Path) -> Article:
    """Put a publisher (`ingest --publisher`) first among an article's input outlets when
    its input names no publisher: every plain-text article, a JSON record without a
    source field."""
    if not publisher or publisher in article.cited_outlets:
        return article
    if not article.cited_outlets or detect_format(path) == "text":
        article.cited_outlets.insert(0, publisher)
    return article


def read_paths(
    paths: Iterable[str | os.PathLike[str]], config: Config
) -> Iterator[Article | Rejection]:
    """Yield every article and rejection found under the given paths."""
    for item in find_files(paths):
        if isinstance(item, Rejection):
            yield item
        else:
            yield from read_file(item, config)


JSON_SUFFIXES = (".json", ".jsonl", ".ndjson", ".json.gz", ".jsonl.gz", ".ndjson.gz")


def detect_format(path: Path) -> str:
    """Return "json" or "text" from the file name, else from the first bytes."""
    name = path.name.lower()
    if name.endswith(JSON_SUFFIXES):
        return "json"
    if name.endswith((".txt", ".text")):
        return "text"
    with open(path, "rb") as handle:
        head = handle.read(64)
    if head[:2] == b"\x1f\x8b":
        return "json"  # gzip: the only compressed form we read
    if encoding := wide_encoding(head):
        head = head.decode(encoding, "ignore").encode("utf-8")
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    return "json" if stripped[:1] in (b"{", b"[") else "text"


def count_records(paths: Iterable[str | os.PathLike[str]]) -> int:
    """Estimate how many records paths hold, for a progress bar: a JSON Lines file counts
    its lines, any other file (or a path that cannot be read) counts one."""
    return sum(_records_in(item) if isinstance(item, Path) else 1 for item in find_files(paths))


def _records_in(path: Path) -> int:
    name = path.name.lower()
    if ".jsonl" not in name and ".ndjson" not in name:
        return 1
    try:
        with (gzip.open if name.endswith(".gz") else open)(path, "rb") as handle:
            return sum(chunk.count(b"\n") for chunk in iter(lambda: handle.read(1 << 20), b""))
    except OSError:
        return 1
