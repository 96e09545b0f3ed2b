"""One file of named numpy arrays plus JSON metadata, memory-mapped when read.

The bulk reindex writes one pack per segment next to Whoosh's own files (facet values,
field lengths, postings with positions) so a searcher opens a segment without reading
its stored fields and evaluates queries on arrays instead of Whoosh matchers. A pack is
named like the segment's own files (`MAIN_<segment id>.nar`), so the clean-up Whoosh runs
at every commit deletes it when a merge removes its segment (see whoosh_internals.py).

Layout: 8-byte magic, 8-byte little-endian header length, a JSON header
{"arrays": {name: [dtype, shape, offset]}, "meta": {...}}, then the array bytes,
each starting on an 8-byte boundary (offsets count from the start of the file).
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import numpy as np
from whoosh.codec.base import Segment

MAGIC = b"NARPACK1"
SUFFIX = ".nar"
# Who wrote a packed segment's Whoosh files (the meta's "origin"): the bulk reindex, whose
# segments hold their text in the pack alone, or Whoosh's writer during an ingest.
BULK, UPDATE = "bulk", "update"


def pack_path(index_dir: str | Path, segment: Segment) -> Path:
    """Return where the pack of a segment lives: a file of the segment, as Whoosh names them."""
    return Path(index_dir) / segment.make_filename(SUFFIX)


def write_pack(path: Path, arrays: dict[str, np.ndarray], meta: dict[str, Any]) -> None:
    """Write arrays and meta to path atomically (a temporary file renamed over it)."""
    arrays = {name: np.ascontiguousarray(a) for name, a in arrays.items()}
    # The header holds the offsets, and its own length moves them: lay out the data
    # after a header padded to a fixed size computed from a first draft.
    table: dict[str, list[Any]] = {}  # name: [dtype, shape, offset]
    offset = 0
    for name, a in arrays.items():
        table[name] = [a.dtype.str, list(a.shape), offset]
        offset += -(-a.nbytes // 8) * 8
    draft = json.dumps({"arrays": table, "meta": meta}).encode()
    start = 16 + -(-(len(draft) + 64 * len(table) + 64) // 8) * 8
    for entry in table.values():
        entry[2] += start
    header = json.dumps({"arrays": table, "meta": meta}).encode()
    assert 16 + len(header) <= start
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(MAGIC + len(header).to_bytes(8, "little") + header)
        handle.write(b"\0" * (start - 16 - len(header)))
        for a in arrays.values():
            data = a.tobytes()
            handle.write(data + b"\0" * (-len(data) % 8))
    os.replace(tmp, path)


class Pack:
    """An opened pack: small arrays memory-mapped, big ones read in slices on demand."""

    def __init__(self, path: Path, header: dict[str, Any]) -> None:
        self.path, self.meta = path, header["meta"]
        self._table = header["arrays"]
        # A plain ndarray view of the map: memmap indexing costs a Python call per access.
        self._buffer = np.memmap(path, dtype=np.uint8, mode="r").view(np.ndarray)
        self._fd = os.open(path, os.O_RDONLY)

    def __del__(self) -> None:
        fd = getattr(self, "_fd", None)
        if fd is not None:
            os.close(fd)

    def names(self) -> list[str]:
        """Return the names of the arrays."""
        return list(self._table)

    def array(self, name: str) -> np.ndarray:
        """Return a whole array as a view of the map (pages load as they are touched)."""
        dtype, shape, offset = self._table[name]
        dtype = np.dtype(dtype)
        count = int(np.prod(shape)) if shape else 1
        return self._buffer[offset : offset + count * dtype.itemsize].view(dtype).reshape(shape)

    def read(self, name: str, start: int, stop: int) -> np.ndarray:
        """Return a copy of a[start:stop] of a 1-d array, read with pread.

        Copies keep the query process small: touched pages of a map stay in its resident
        set, while a copy is freed once the query is done.
        """
        dtype, _, offset = self._table[name]
        dtype = np.dtype(dtype)
        data = os.pread(self._fd, (stop - start) * dtype.itemsize, offset + start * dtype.itemsize)
        return np.frombuffer(data, dtype)


def pack_origin(meta: dict[str, Any]) -> str:
    """Return who wrote a pack's segment: BULK or UPDATE (packs older than this say
    nothing, and only the bulk reindex wrote them)."""
    return str(meta.get("origin", BULK))


def read_pack(path: Path) -> Pack | None:
    """Open the pack at path, or return None when there is none."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(16)
            if head[:8] != MAGIC:
                return None
            header = json.loads(handle.read(int.from_bytes(head[8:], "little")))
    except FileNotFoundError:
        return None
    return Pack(path, header)
