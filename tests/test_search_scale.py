"""Paths that keep search cost proportional to the matches agree with the whole-segment ones.

Facet counting over few matches reads only their entries, a picked value's docs come from
entries sorted by value, and a prefix over a pack reads all its expansions' postings in one
slice. Each is checked against the straightforward computation on the same real arrays.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Iterator
from datetime import datetime

import numpy as np
import pytest
from fixtures import ARTICLES, make_archive, many_articles
from whoosh import query as Q

from archive.index.columns import SPARSE_SHARE, FacetBuilder, SegmentFacets, Vocab
from archive.index.maintenance import reindex
from archive.index.text import words
from archive.search import Criteria, Searcher
from archive.search.evaluation import evaluate

FACETS = ("people", "outlets", "sources", "cited", "sections")


def _columns(count: int, seed: int) -> tuple[SegmentFacets, dict[str, Vocab]]:
    """Columns of count docs with 0-4 values each from small vocabularies (repeats too)."""
    rng = np.random.default_rng(seed)
    builder = FacetBuilder()
    for doc in range(count):
        values = {
            name: [f"{name} {v}" for v in rng.integers(0, 40, rng.integers(0, 5))]
            for name in FACETS
        }
        builder.add(f"id{doc}", datetime(2020, 1, 1 + doc % 28), values)
    vocabs = {name: Vocab() for name in FACETS}
    return SegmentFacets(*builder.arrays(), vocabs), vocabs


def _reference_count(columns: SegmentFacets, facet: str, mask: np.ndarray, size: int) -> list:
    return np.bincount(columns.val[facet][mask[columns.entry_doc[facet]]], minlength=size).tolist()


@pytest.mark.parametrize("share", [0.0, 0.001, 0.02, 1 / (SPARSE_SHARE + 1), 0.5, 1.0])
def test_counting_the_matched_docs_equals_counting_over_the_mask(share: float) -> None:
    columns, vocabs = _columns(3000, seed=7)
    rng = np.random.default_rng(int(share * 1000))
    mask = rng.random(columns.size) < share
    docs = np.flatnonzero(mask)
    for facet in FACETS:
        size = len(vocabs[facet].names)
        expected = _reference_count(columns, facet, mask, size)
        assert columns.count(facet, mask, size, docs).tolist() == expected
        assert columns.count(facet, mask, size).tolist() == expected


def test_the_first_and_last_docs_are_counted_from_their_own_entries() -> None:
    columns, vocabs = _columns(500, seed=3)
    size = len(vocabs["people"].names)
    for docs in ([0], [columns.size - 1], [0, columns.size - 1]):
        mask = np.zeros(columns.size, bool)
        mask[docs] = True
        counted = columns.count("people", mask, size, np.array(docs))
        assert counted.tolist() == _reference_count(columns, "people", mask, size)


def test_docs_with_values_equal_a_scan_of_every_entry() -> None:
    columns, vocabs = _columns(2000, seed=11)
    for facet in FACETS:
        known = len(vocabs[facet].names)
        for ids in ([], [0], [known - 1], [3, 5, 3], list(range(known))):
            wanted = np.array(ids, np.int32)
            expected = np.zeros(columns.size, bool)
            expected[columns.entry_doc[facet][np.isin(columns.val[facet], wanted)]] = True
            assert columns.docs_with(facet, wanted).tolist() == expected.tolist()


def test_columns_copied_with_other_entries_answer_from_their_own() -> None:
    # Curation (search/curated.py) shallow-copies columns and replaces their entries: what
    # the original built from its entries must not answer for the copy.
    columns, vocabs = _columns(1000, seed=5)
    size = len(vocabs["people"].names)
    mask = np.zeros(columns.size, bool)
    mask[::50] = True
    docs = np.flatnonzero(mask)
    before = columns.count("people", mask, size, docs).tolist()
    first_docs = columns.docs_with("people", np.array([0], np.int32)).tolist()
    merged = copy.copy(columns)
    merged.val = {**columns.val, "people": np.zeros_like(columns.val["people"])}  # all 0
    merged.entry_doc = dict(columns.entry_doc)
    people = merged.entry_doc["people"]
    counted = merged.count("people", mask, size, docs)
    assert counted[0] == np.isin(people, docs).sum()  # one per entry of the matched docs
    assert merged.docs_with("people", np.array([0], np.int32)).tolist() == (
        np.isin(np.arange(columns.size), people).tolist()
    )
    assert columns.count("people", mask, size, docs).tolist() == before
    assert columns.docs_with("people", np.array([0], np.int32)).tolist() == first_docs


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """5008 articles reindexed by the bulk builder (packed segments); read only."""
    config, store = make_archive(
        tmp_path_factory.mktemp("scale"), many_articles(5000) + ARTICLES, index=False
    )
    reindex(config, store, workers=2)
    with Searcher(config) as searcher:
        yield searcher


@pytest.mark.parametrize("prefix", ["number12", "number4999", "zzz", "a", "élec", "presid", ""])
def test_a_prefix_read_in_one_slice_equals_its_expansions_term_by_term(
    packed: Searcher, prefix: str
) -> None:
    state = packed._current()
    for seg in state.segments:
        assert seg.postings.packed
        one_slice = evaluate(Q.Prefix("body", prefix), seg, state.stats).mask
        expected = np.zeros(seg.postings.size, bool)
        words = seg.postings.expand("body", prefix)
        for word in words:
            expected[seg.postings.term("body", word).docs] = True
        found = seg.postings.prefix_docs("body", prefix)
        assert found is not None and found.words == len(words)
        assert one_slice.tolist() == expected.tolist()


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(q="number12*"),  # a few matches: counted from their own entries
        Criteria(q="number4998", selected={"people": ("Anna Nowak",)}),
        Criteria(q="market OR storm", selected={"outlets": ("BBC",)}),  # many matches
        Criteria(selected={"people": ("Anna Nowak", "Maria Curie")}, modes={"people": "all"}),
        # Most of each segment: counted as the live docs' counts less the rest's.
        Criteria(q="common"),
        Criteria(q="common NOT number12*", selected={"outlets": ("BBC", "AP", "Reuters")}),
        Criteria(),
    ],
)
def test_search_counts_equal_counts_over_every_entry(packed: Searcher, criteria: Criteria) -> None:
    state = packed._current()
    found = packed.search(criteria)
    # The results' own facet (an unpicked one counts over the results): recount the final
    # masks over every entry.
    final = [np.zeros(seg.facets.size, bool) for seg in state.segments]
    ids = set(packed.ordered_ids(criteria))
    for seg, mask in zip(state.segments, final):
        mask[np.isin(seg.facets.ids.astype(str), list(ids))] = True
    vocab = packed._vocabs["sections"]
    counts = np.sum(
        [
            np.bincount(
                seg.facets.val["sections"][mask[seg.facets.entry_doc["sections"]]],
                minlength=len(vocab.names),
            )
            for seg, mask in zip(state.segments, final)
        ],
        axis=0,
    )
    rows = {vocab.names[i]: int(n) for i, n in enumerate(counts) if n}
    assert found.total == len(ids) > 0
    assert {r["value"]: r["count"] for r in found.facets["sections"]} == rows


def test_the_speller_counts_each_name_once_per_article_naming_it(packed: Searcher) -> None:
    # Names are counted per name times its articles, not spelled out that many times.
    state = packed._current()
    people = packed._vocabs["people"]
    expected: Counter[str] = Counter()
    for seg in state.segments:
        expected.update(seg.title_words or {})
    for value, n in zip(people.names, state.facet_totals("people", people).tolist()):
        expected.update(words(" ".join([value] * n)))
    assert +state.spelling(people).freq == +expected
    assert expected["nowak"] > 100
