"""The one module that touches Whoosh's private API, checked at import against its version.

Whoosh (the whoosh-reloaded fork, pinned exactly in pyproject.toml) offers no public way
to hand its segment writer whole blocks of postings, nor to ask a directory that holds no
index yet which generation comes next. The private names used for that live here alone:

- `W3Codec._blocklimit`: postings per block (128), the most one block may hold.
- `W3FieldWriter._postwriter`: the `W3PostingsWriter` of the term being written. Its
  buffer of the current block is `_ids` (doc numbers), `_weights`, `_values` (encoded
  payloads) and the block statistics a reader uses to skip blocks, `_maxweight`,
  `_minlength` and `_maxlength`; `_compression` is the zlib level of blocks it writes
  and `_write_block()` writes the buffer out as one block. Filling the buffer a block at
  a time replaces one `add_posting` call (with its type asserts) per posting; the blocks
  are Whoosh's own, only their zlib level is ours (COMPRESSION, SMALL_BLOCK).
- `TOC._latest_generation(storage, indexname)`: the highest generation among the
  storage's TOC files `_<indexname>_<generation>.toc`, or -1 when there is none. The
  public `FileIndex.latest_generation()` does the same but needs an opened index, and a
  directory being built holds no index until its first TOC is written.

Behaviours relied on without a private name (tests/test_index_files.py checks each):

- The `Positions` format stores a posting's positions as `pack_uint(count)` followed by
  the pickle (protocol 2) of the deltas between successive positions, the first counted
  from 0; `encode_positions` writes exactly what `Positions.encode` writes, faster.
- `whoosh.index.clean_files`, run by every commit, deletes each file named
  `<segment id>.<extension>` whose segment is not in the new TOC. Files named with
  `Segment.make_filename` (packs, `MAIN_<segid>.nar`) therefore leave with their segment
  when a merge removes it; a name with a leading underscore would escape it.
- The per-document writer keeps its temporary files in a directory `<indexname>.tmp`
  of the storage and leaves it there; Whoosh's own writer removes it when it finishes,
  so a bulk build must too (`remove_temp_storage`).

Importing this module raises ArchiveError when the installed Whoosh is not the version
these notes were written against. ArchiveError rather than ImportError: the mismatch is a
fault of the installation that the user can fix, and the builder is imported when a
reindex starts, inside the command line's error handling, which turns ArchiveError into
a one-line message saying what to install; an ImportError would print a traceback.
"""

from __future__ import annotations

from array import array
from collections.abc import Sequence
from pathlib import Path
from pickle import dumps

import numpy as np
import whoosh
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC
from whoosh.system import pack_uint

from archive.errors import ArchiveError

WRITTEN_FOR = "2.7.5"
SMALL_BLOCK = 16  # below this many postings zlib's fixed cost outweighs what it saves
COMPRESSION = 1  # zlib level of larger blocks: the fastest (Whoosh's own writer uses 3)


def check_version(installed: str) -> None:
    """Raise ArchiveError unless installed is the Whoosh version this module was written for."""
    if installed != WRITTEN_FOR:
        raise ArchiveError(
            f"newsarchive uses private parts of Whoosh {WRITTEN_FOR}, but Whoosh {installed} "
            f"is installed: run `pip install whoosh-reloaded=={WRITTEN_FOR}`"
        )


check_version(whoosh.versionstring())


def block_limit(codec: W3Codec) -> int:
    """Return the most postings one block of the codec's postings files holds."""
    return codec._blocklimit


def write_term_blocks(
    writer: W3FieldWriter,
    docs: Sequence[int],
    weights: array[float],
    values: Sequence[bytes],
    field_lengths: array[int] | None,
    limit: int,
) -> None:
    """Write one term's postings (docs ascending) as whole blocks of at most limit postings.

    Call between writer.start_term() and writer.finish_term(); finish_term writes the last
    block, as after Whoosh's own add_posting calls. field_lengths[doc] is each doc's
    length in the field, or None for fields without lengths.
    """
    block = writer._postwriter
    for start in range(0, len(docs), limit):
        if start:
            block._write_block()
        ids = docs[start : start + limit]
        block._ids = ids
        block._compression = COMPRESSION if len(ids) >= SMALL_BLOCK else 0
        block._weights = weights[start : start + limit]
        block._values = values[start : start + limit]
        block._maxweight = max(block._weights)
        if field_lengths is not None:
            lengths = list(map(field_lengths.__getitem__, ids))
            block._minlength, block._maxlength = min(lengths), max(lengths)
        else:
            block._minlength, block._maxlength = None, 0


_ONE_POSITION: dict[int, bytes] = {}  # encodings of one-position postings, the common case


def encode_positions(positions: list[int]) -> bytes:
    """Return what Whoosh's Positions.encode returns for these ascending positions.

    Layout: pack_uint(count) + pickle protocol 2 of [p0 - 0, p1 - p0, p2 - p1, ...].
    """
    if len(positions) == 1:
        position = positions[0]
        found = _ONE_POSITION.get(position)
        if found is None:
            found = _ONE_POSITION[position] = pack_uint(1) + dumps(positions, 2)
        return found
    deltas = [b - a for a, b in zip([0] + positions, positions)]
    return pack_uint(len(positions)) + dumps(deltas, 2)


_PICKLE_LIST = b"\x80\x02]q\x00"  # protocol 2: PROTO 2, EMPTY_LIST, BINPUT 0
_BATCH = 1000  # pickle appends a list's items in batches of this many


def encode_positions_many(positions: np.ndarray, poff: np.ndarray) -> tuple[bytes, list[int]]:
    """Encode many postings' positions at once, byte for byte as encode_positions does.

    positions: the in-document positions of every posting, concatenated, each posting's
    ascending; posting j's are positions[poff[j]:poff[j+1]]. Returns one blob and the
    offsets of each posting's encoding in it (len(poff) entries).

    Each encoding is pack_uint(n) + PROTO 2, EMPTY_LIST, BINPUT 0, then for n == 1 the item
    and APPEND ("a"), else MARK ("("), the items and APPENDS ("e"), then STOP ("."). An item
    (a delta d >= 0) is BININT1 "K" + 1 byte when d < 256, BININT2 "M" + 2 bytes
    little-endian when d < 65536, else BININT "J" + 4 bytes. Postings of more than _BATCH
    positions (pickle then appends in several batches) go through encode_positions.
    """
    base = int(poff[0])
    poff = np.asarray(poff, np.int64) - base
    pos = np.asarray(positions[base : base + int(poff[-1])], np.int64)
    counts = np.diff(poff)
    assert len(counts) == 0 or counts.min() > 0, "every posting has a position"
    firsts = poff[:-1]
    deltas = np.diff(pos, prepend=0)
    deltas[firsts] = pos[firsts]  # a posting's first delta counts from 0
    width = np.where(deltas < 256, 2, np.where(deltas < 65536, 3, 5))
    head = 4 + len(_PICKLE_LIST) + (counts > 1)
    item_bytes = np.add.reduceat(width, firsts) if len(pos) else np.zeros(0, np.int64)
    starts = np.zeros(len(counts) + 1, np.int64)
    np.cumsum(head + item_bytes + 2, out=starts[1:])
    out = np.zeros(int(starts[-1]), np.uint8)
    _write_heads(out, starts[:-1], counts)
    # An item's offset: its posting's start + head + the widths before it in the posting.
    before = np.cumsum(width) - width
    owner = np.repeat(np.arange(len(counts)), counts)
    at = (starts[:-1] + head - before[firsts])[owner] + before
    _write_items(out, at, deltas, width)
    ends = starts[1:] - 2
    out[ends] = np.where(counts > 1, ord("e"), ord("a"))
    out[ends + 1] = ord(".")
    blob = out.tobytes()
    long = set(np.flatnonzero(counts > _BATCH).tolist())
    if long:  # rare: rebuild the blob with those postings encoded one by one
        return _patched(blob, starts.tolist(), long, pos, poff)
    return blob, starts.tolist()


def _write_heads(out: np.ndarray, starts: np.ndarray, counts: np.ndarray) -> None:
    for shift, offset in ((24, 0), (16, 1), (8, 2), (0, 3)):  # pack_uint: big-endian
        out[starts + offset] = (counts >> shift) & 0xFF
    for i, byte in enumerate(_PICKLE_LIST):
        out[starts + 4 + i] = byte
    out[starts[counts > 1] + 4 + len(_PICKLE_LIST)] = ord("(")


def _write_items(out: np.ndarray, at: np.ndarray, deltas: np.ndarray, width: np.ndarray) -> None:
    for code, size in ((b"K", 2), (b"M", 3), (b"J", 5)):
        chosen = width == size
        where, value = at[chosen], deltas[chosen]
        out[where] = code[0]
        for k in range(size - 1):  # little-endian value bytes
            out[where + 1 + k] = (value >> (8 * k)) & 0xFF


def _patched(
    blob: bytes, bounds: list[int], long: set[int], pos: np.ndarray, poff: np.ndarray
) -> tuple[bytes, list[int]]:
    parts, offsets = [], [0]
    for j in range(len(bounds) - 1):
        if j in long:
            parts.append(encode_positions(pos[poff[j] : poff[j + 1]].tolist()))
        else:
            parts.append(blob[bounds[j] : bounds[j + 1]])
        offsets.append(offsets[-1] + len(parts[-1]))
    return b"".join(parts), offsets


def latest_generation(storage: FileStorage, indexname: str) -> int:
    """Return the generation of the newest TOC in storage, or -1 when it holds none."""
    return TOC._latest_generation(storage, indexname)


def next_generation(storage: FileStorage, indexname: str) -> int:
    """Return the generation a new TOC written to storage must carry (0 in a new directory)."""
    return latest_generation(storage, indexname) + 1


def remove_temp_storage(storage: FileStorage, indexname: str) -> None:
    """Remove the per-document writers' temporary directory `<indexname>.tmp`, if any."""
    temp = Path(storage.folder) / f"{indexname}.tmp"
    if temp.is_dir():
        FileStorage(str(temp)).destroy()
