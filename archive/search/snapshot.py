"""One opened generation of the live index, as the Searcher reads it.

A snapshot holds, per segment, its facet columns, postings and live docs, plus what is
computed once per generation: scoring statistics, facet totals and the speller. Segments
from the bulk reindex carry a pack (index/packfile.py); others are read through Whoosh.
A segment's columns and postings are opened once and reused by later generations for as
long as the segment lasts, so a commit reopens only the segments it added.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import NamedTuple

import numpy as np
from whoosh.index import FileIndex
from whoosh.reading import IndexReader
from whoosh.searching import Searcher as WhooshSearcher

from archive.index import schema as S
from archive.index.columns import SegmentFacets, Vocab
from archive.index.maintenance import IndexGeneration, generation_of
from archive.index.packfile import pack_path, read_pack
from archive.index.postings import SegmentPostings
from archive.index.text import words
from archive.search.evaluation import Stats
from archive.search.suggest import Speller

SegmentKey = tuple[str, str, bool]  # (index directory, segment id, has a pack)


class OpenedSegment(NamedTuple):
    """What is read once per segment and kept while the segment lasts."""

    facets: SegmentFacets
    postings: SegmentPostings


class LiveSegment:
    """One segment of an opened index: its facet columns, postings and live docs."""

    def __init__(
        self,
        searcher: WhooshSearcher,
        offset: int,
        facets: SegmentFacets,
        postings: SegmentPostings,
        alive: np.ndarray,
    ) -> None:
        self.searcher, self.offset, self.facets = searcher, offset, facets
        self.base_facets = facets  # as indexed; `facets` may be curated (search/curated.py)
        self.postings, self.alive = postings, alive
        self.title_words: dict[str, int] | None = postings.meta.get("title_words")


class Snapshot:
    """One opened generation of the index and what is computed once for it."""

    def __init__(
        self,
        key: IndexGeneration,
        ix: FileIndex,
        searcher: WhooshSearcher,
        segments: list[LiveSegment],
    ) -> None:
        self.key, self.ix, self.searcher, self.segments = key, ix, searcher, segments
        self.stats = Stats(segments)
        self.speller: Speller | None = None
        self.totals: dict[str, np.ndarray] = {}
        self.curation = -1  # curation generation of the segments' columns (search/curated.py)

    def is_current(self, directory: str) -> bool:
        """Tell whether the live index is still this generation in this directory."""
        # The directory (a reindex swaps in another) and its newest TOC generation (each
        # commit writes the next): Whoosh's own account of what changed, not a file time.
        return self.key.directory == directory and generation_of(self.ix) == self.key

    def facet_totals(self, facet: str, vocab: Vocab) -> np.ndarray:
        """Return how many live documents carry each value id of the facet."""
        if facet not in self.totals:
            size = len(vocab.names)
            self.totals[facet] = sum(
                (seg.facets.count(facet, seg.alive, size) for seg in self.segments),
                np.zeros(size, np.int64),
            )
        return self.totals[facet]

    def spelling(self, people: Vocab) -> Speller:
        """Return the speller of this generation: title words and people's names."""
        if self.speller is None:
            counts: Counter[str] = Counter()
            for seg in self.segments:
                counts.update(seg.title_words or {})
            # Each name's words once per document that mentions it, as word frequencies
            # want: counted per name, not by spelling the name out that many times.
            totals = self.facet_totals("people", people)
            for value, n in zip(people.names, totals.tolist()):
                if n:
                    for word, times in Counter(words(value)).items():
                        counts[word] += times * n
            self.speller = Speller(self._unpacked_titles(), counts)
        return self.speller

    def _unpacked_titles(self) -> Iterator[str]:
        for seg in self.segments:
            if seg.title_words is not None:
                continue  # counted by the reindex (deleted docs too: close enough)
            for doc in np.flatnonzero(seg.alive).tolist():
                yield seg.searcher.stored_fields(doc).get(S.TITLE, "")


class SegmentCache:
    """Opens generations of the index, reusing each segment's columns and postings."""

    def __init__(self, vocabs: dict[str, Vocab]) -> None:
        self.vocabs = vocabs
        self._opened: dict[SegmentKey, OpenedSegment] = {}

    def open(self, ix: FileIndex) -> Snapshot:
        """Open the index's current generation; forget segments it no longer has."""
        # Read before the searcher opens: a commit in between is then seen at the next search.
        key = generation_of(ix)
        searcher = ix.searcher()
        segments, seen = [], set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            segment = reader.segment()
            if segment is None:  # an index with no documents has a reader but no segment
                continue
            # A segment an ingest wrote gets its pack after the commit that made it
            # (index/packing.py): with a pack it is another segment to open.
            packed = pack_path(key.directory, segment).exists()
            cache_key = (key.directory, segment.segid, packed)
            seen.add(cache_key)
            cached = self._opened.get(cache_key)
            if cached is None:
                cached = self._opened[cache_key] = self._open_segment(key.directory, reader)
            facets, postings = cached
            postings.reader = reader  # the previous generation's reader is closed by then
            alive = np.ones(facets.size, bool)
            if segment.has_deletions():
                alive[list(segment.deleted_docs())] = False
            segments.append(LiveSegment(sub, offset, facets, postings, alive))
        for stale in set(self._opened) - seen:
            del self._opened[stale]
        return Snapshot(key, ix, searcher, segments)

    def _open_segment(self, path: str, reader: IndexReader) -> OpenedSegment:
        # Segments from the bulk reindex carry a pack, and so do large ones an ingest wrote
        # (index/packing.py); others are read through Whoosh.
        pack = read_pack(pack_path(path, reader.segment()))
        if pack is None:
            facets = SegmentFacets.from_reader(reader, self.vocabs)
            return OpenedSegment(facets, SegmentPostings(reader))
        arrays = {
            name: pack.array(name)
            for name in pack.names()
            if not name.endswith((".docs", ".freq", ".poff", ".pos"))
        }
        facets = SegmentFacets(arrays, pack.meta["facets"], self.vocabs)
        return OpenedSegment(facets, SegmentPostings(reader, pack))
