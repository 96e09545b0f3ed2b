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

import whoosh
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC

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
    limit: int,
) -> None:
    """Write one term's postings (docs ascending) as whole blocks of at most limit postings.

    Call between writer.start_term() and writer.finish_term(); finish_term writes the last
    block, as after Whoosh's own add_posting calls. Only keyed fields (id, date, year,
    month) are written this way, and they keep no field lengths.
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
        block._minlength, block._maxlength = None, 0


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
