"""Facet columns and criteria as hand curation maps them (archive/curation.py), at query time.

The index holds the names it was built with. For a facet of a curated family, the
searcher maps every value id of the facet's vocabulary through the family's map:

    mapped[id] = id of curated(value)      or -1 when the curated value is hidden

and rebuilds each segment's column from it: entries of hidden values drop out, and two
names merged into one in the same document count it once (unique (doc, value) pairs).
Counts then add merged names up and a filter on a curated name selects every document
holding any name that maps to it. Picked and excluded values are mapped the same way, so
a filter typed with a merged-away name selects its value and one on a hidden value
selects nothing. A segment's other arrays are shared with the index's columns, never
copied; its curated columns are kept until the log's generation changes.

The store's curation generation (its latest action's number) is read before each search:
one cheap query, so a long-lived searcher (the web app's) sees a change at its next search.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Sequence
from typing import Protocol

import numpy as np

from archive.curation import Curation, CurationMap
from archive.curation import load as load_curation
from archive.facets import Facet, all_facets
from archive.index.columns import SegmentFacets, Vocab, unique_sorted
from archive.search.criteria import Criteria
from archive.search.suggest import Speller
from archive.store_people import PersonTables

NO_CURATION = Curation(0, {})


class CuratedSegment(Protocol):
    """What curating needs of a segment: its index columns and the columns searches read."""

    base_facets: SegmentFacets
    facets: SegmentFacets


class CuratedSnapshot(Protocol):
    """What curating needs of an opened index generation."""

    @property
    def segments(self) -> Sequence[CuratedSegment]: ...

    curation: int  # the generation its segments' columns are curated at, -1: never
    totals: dict[str, np.ndarray]
    speller: Speller | None


def value_maps(curation: Curation, vocabs: dict[str, Vocab]) -> dict[str, np.ndarray]:
    """Return, per facet the curation changes, the curated value id of every value id
    (-1: hidden); the curated names join the vocabularies."""
    maps = {}
    for facet in all_facets():
        mapping = curation.of(facet.curation)
        if mapping is None or mapping.empty:
            continue
        vocab = vocabs[facet.name]
        changes = {}
        for key in set(mapping.into) | mapping.hidden:  # every other value maps to itself
            found = vocab.ids.get(key)
            if found is not None:
                shown = mapping.shown(vocab.names[found])
                changes[found] = -1 if shown is None else vocab.add(shown)
        table = np.arange(len(vocab.names), dtype=np.int32)
        table[list(changes)] = list(changes.values())
        maps[facet.name] = table
    return maps


def curated_columns(base: SegmentFacets, maps: dict[str, np.ndarray]) -> SegmentFacets:
    """Return a segment's columns with the values mapped (the base columns stay as they are)."""
    if not maps:
        return base
    curated = copy.copy(base)
    curated.val, curated.entry_doc = dict(base.val), dict(base.entry_doc)
    for name, table in maps.items():
        values, docs = base.val[name], base.entry_doc[name]
        if not len(values):
            continue
        mapped = table[values]
        kept = mapped >= 0
        pairs = unique_sorted(docs[kept].astype(np.int64) << 32 | mapped[kept])
        curated.val[name] = (pairs & 0xFFFFFFFF).astype(np.int32)
        curated.entry_doc[name] = (pairs >> 32).astype(np.int32)
    return curated


class CuratedView:
    """A searcher's curation: the store's latest map and each segment's curated columns."""

    def __init__(self) -> None:
        self.curation = NO_CURATION
        self._columns: dict[int, tuple[SegmentFacets, SegmentFacets]] = {}  # id(base) ->

    def update(
        self, store: PersonTables | None, state: CuratedSnapshot, vocabs: dict[str, Vocab]
    ) -> None:
        """Curate the snapshot's columns at the store's latest curation generation."""
        generation = store.curation_generation() if store is not None else 0
        if generation != self.curation.generation:
            self.curation = load_curation(store) if store is not None else NO_CURATION
            self._columns.clear()
        if state.curation == generation:
            return
        maps = value_maps(self.curation, vocabs)
        for segment in state.segments:
            segment.facets = self._columns_of(segment.base_facets, maps)
        live = {id(segment.base_facets) for segment in state.segments}
        for gone in set(self._columns) - live:  # segments merged away: free their columns
            del self._columns[gone]
        state.totals.clear()  # counted over the columns just replaced
        state.speller = None  # it knows the people's names
        state.curation = generation

    def _columns_of(self, base: SegmentFacets, maps: dict[str, np.ndarray]) -> SegmentFacets:
        cached = self._columns.get(id(base))
        if cached is None or cached[0] is not base:  # an id is reused once its object is gone
            cached = self._columns[id(base)] = (base, curated_columns(base, maps))
        return cached[1]

    def mapping(self, facet: Facet) -> CurationMap | None:
        """Return the map of a facet's family, None when it changes nothing."""
        mapping = self.curation.of(facet.curation)
        return None if mapping is None or mapping.empty else mapping

    def criteria(self, criteria: Criteria) -> Criteria:
        """Return criteria whose picked and excluded values (and the index names standing
        for them) are named as the curated columns name them."""
        spellings = dict(criteria.spellings)
        excluded = dict(criteria.excluded)
        curated = [f for f in all_facets() if self.mapping(f) is not None]
        if not curated:
            return criteria
        for facet in curated:
            mapping = self.mapping(facet)
            assert mapping is not None, "only curated facets are left"
            given = criteria.spellings.get(facet.name, {})
            spellings[facet.name] = {
                value: tuple(mapping.shown_values(given.get(value, (value,))))
                for value in criteria.values(facet.name)
            }
            if facet.name in excluded:
                excluded[facet.name] = tuple(mapping.shown_values(excluded[facet.name]))
        return dataclasses.replace(criteria, excluded=excluded, spellings=spellings)

    def values(self, facet: Facet, names: list[str]) -> list[str]:
        """Return one article's values of a facet as curated, hidden ones left out."""
        mapping = self.mapping(facet)
        return names if mapping is None else mapping.shown_values(names)
