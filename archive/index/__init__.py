"""The write side of search: the Whoosh index kept in step with the store.

schema.py        field names and the schema (the facets' fields come from archive/facets.py)
text.py          folding, word splitting and stemming, and the analyzers the schema pickles
maintenance.py   the archive-wide lock, incremental update, full reindex with atomic swap, check
directories.py   the live symlink, fresh directories, the swap, the clean-up of old ones
integrity.py     each index file's size and checksum, recorded at every build and commit
agreement.py     check's report: do store and index hold the same ids
builder.py       the fast full build: plans store ranges, runs workers, writes the one TOC
build_worker.py  one worker: a range of articles in, a finished segment and its pack out
whoosh_internals.py  the only module that touches Whoosh's private API (version-checked)
packfile.py      one file of named numpy arrays per segment (a "pack", a file of the segment)
packing.py       packs for the segments an ingest writes through Whoosh's own writer
postings.py      term postings of a segment as arrays, from its pack or through Whoosh
packed_fields.py a pack's text fields: sorted terms, each term's postings as slices
term.py          one term's postings in one segment: docs, frequencies, positions
columns.py       facet columns of a segment (dates, values per facet) as arrays
"""

from archive.index.maintenance import (
    CheckReport,
    ReindexStats,
    check,
    index_lock,
    live_dir,
    open_live,
    reindex,
    update_index,
)

__all__ = [
    "CheckReport",
    "ReindexStats",
    "check",
    "index_lock",
    "live_dir",
    "open_live",
    "reindex",
    "update_index",
]
