"""A record of every file of an index (size and checksum), and its verification.

Whoosh trusts its files: a truncated postings file or a pack with flipped bytes gives
tracebacks, or rankings that are silently wrong. So each time an index is built or
committed, `integrity.json` in its directory records, per file of the generation
(the TOC and every segment's files, packs included), its size and its BLAKE2b-128
checksum, with the TOC generation it describes. A file unchanged since the last record
(same size and modification time) keeps its checksum: segment files are never rewritten,
so a commit only hashes what it added.

Verification, cheapest first: sizes (a stat per file, done whenever the index is opened)
find truncation and missing files; checksums (reading every byte, done by `check` and
after an unexpected error) find corruption that keeps the size. A record of another
generation (a writer killed between its commit and its record) or none at all (an index
from before this module) verifies nothing, and says so.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any, NamedTuple

from archive.errors import IndexDamaged
from archive.index.schema import INDEX_NAME

MANIFEST = "integrity.json"
CHUNK = 1 << 20
# The files Whoosh owns in a directory: TOCs and files named after a segment.
_INDEX_FILE = re.compile(rf"^(_{INDEX_NAME}_\d+\.toc|{INDEX_NAME}_[0-9a-zA-Z]+\..+)$")
_TOC = re.compile(rf"^_{INDEX_NAME}_(\d+)\.toc$")


class Problem(NamedTuple):
    """One damaged file of an index and what is wrong with it."""

    path: Path
    reason: str

    def describe(self) -> str:
        return f"{self.path} {self.reason}"


class Verification(NamedTuple):
    """What verifying an index found: whether a record covered it, and its problems."""

    recorded: bool
    problems: list[Problem]


def index_files(folder: Path) -> list[str]:
    """Return the names of the index files in folder (temporary files left out)."""
    return sorted(
        name
        for name in os.listdir(folder)
        if _INDEX_FILE.match(name) and ".tmp" not in name and (folder / name).is_file()
    )


def latest_generation(folder: Path) -> int:
    """Return the generation of the newest TOC in folder, or -1 when it holds none."""
    found = (_TOC.match(name) for name in os.listdir(folder))
    return max((int(m.group(1)) for m in found if m), default=-1)


def checksum(path: Path) -> str:
    """Return the BLAKE2b-128 checksum of a file, in hex."""
    digest = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def write_manifest(folder: Path) -> None:
    """Record the size and checksum of every file of folder's newest generation."""
    folder = Path(folder)
    previous = _read(folder) or {}
    known: dict[str, Any] = previous.get("files", {})
    files = {}
    for name in index_files(folder):
        info = os.stat(folder / name)
        entry = known.get(name)
        if not (entry and entry["size"] == info.st_size and entry["mtime"] == info.st_mtime_ns):
            entry = {"size": info.st_size, "mtime": info.st_mtime_ns}
            entry["blake2b"] = checksum(folder / name)
        files[name] = entry
    record = {"generation": latest_generation(folder), "files": files}
    tmp = folder / f".{MANIFEST}.{os.getpid()}"
    tmp.write_text(json.dumps(record, indent=1, sort_keys=True))
    os.replace(tmp, folder / MANIFEST)  # readers see the old record or the new, whole


def _read(folder: Path) -> dict[str, Any] | None:
    try:
        record = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) and isinstance(record.get("files"), dict) else None


def verify(folder: Path, checksums: bool = False) -> Verification:
    """Compare folder's files with its record: sizes always, contents when checksums."""
    folder = Path(folder)
    record = _read(folder)
    if record is None or record.get("generation") != latest_generation(folder):
        return Verification(False, [])
    problems = []
    for name, entry in sorted(record["files"].items()):
        problem = _file_problem(folder / name, entry, checksums)
        if problem is not None:
            problems.append(Problem(folder / name, problem))
    return Verification(True, problems)


def _file_problem(path: Path, entry: dict[str, Any], checksums: bool) -> str | None:
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return "is missing"
    if size != entry["size"]:
        cut = "truncated" if size < entry["size"] else "overwritten"
        return f"is {cut}: {size} bytes where {entry['size']} were written"
    if checksums and checksum(path) != entry["blake2b"]:
        return "is corrupted: its checksum differs from the one recorded when it was written"
    return None


def damage(problems: list[Problem]) -> IndexDamaged:
    """Return the error naming the damaged files of an index and the fix."""
    named = "; ".join(problem.describe() for problem in problems[:5])
    more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
    return IndexDamaged(f"the index is damaged: {named}{more}: run `newsarchive reindex`")


def require_sound(folder: Path, checksums: bool = False) -> None:
    """Raise IndexDamaged when verifying folder finds a problem."""
    problems = verify(folder, checksums).problems
    if problems:
        raise damage(problems)
