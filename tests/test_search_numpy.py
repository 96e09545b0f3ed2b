"""The numpy matcher and the reindex packs agree with Whoosh's own matchers and stored fields."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest
from fixtures import (
    ARTICLES,
    make_archive,
    many_articles,
    matched_ids,
    store_articles,
    whoosh_matched_ids,
    whoosh_written_index,
)
from whoosh import query as Q

from archive.config import Config
from archive.index.maintenance import reindex, update_index
from archive.index.packfile import read_pack, write_pack
from archive.index.postings import SegmentPostings
from archive.search import Criteria, Searcher
from archive.search.parsing import parse
from archive.store import Store

QUERIES = [
    "market",
    "market storm",
    "market OR storm",
    "market NOT storm",
    "NOT market",
    '"market storm court"',
    '"storm market"',
    "mark*",
    "title:report",
    "person:nowak",
    'person:"anna nowak"',
    "number12*",
    "common AND NOT number1",
    "(storm OR river) AND NOT budget",
    "outlet:bbc OR section:science",
    '"vladimir putin"',
    "biden",
    "élection",
    "presid*",
    '"state of the union"',
    '"common market"',
    '"common report"',
    'title:"report 12"',
    # `date:` ranges, read from the date column (packed segments keep no date postings).
    "date:2016",
    "market AND date:2017-03",
    "date:20160202 OR storm",
    "date:20160201",  # ends the second before articles dated 2016-02-02 00:00
    # OR of many terms (issue 12's "OR of ten" kind), with a prefix among them.
    "market OR storm OR river OR budget OR court OR report OR elections OR number1 OR number2 "
    "OR number3 OR presid*",
]


class PackedArchive(NamedTuple):
    """An archive whose index the bulk builder wrote, and a searcher over it."""

    config: Config
    store: Store
    searcher: Searcher


@pytest.fixture(scope="module")
def packed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PackedArchive]:
    """5008 articles reindexed by the bulk builder (packed segments); read only."""
    config, store = make_archive(
        tmp_path_factory.mktemp("packed"), many_articles(5000) + ARTICLES, index=False
    )
    reindex(config, store, workers=2)
    searcher = Searcher(config)
    yield PackedArchive(config, store, searcher)
    searcher.close()


@pytest.fixture(scope="module")
def stock(tmp_path_factory: pytest.TempPathFactory, packed: PackedArchive) -> Iterator[Searcher]:
    """The same articles indexed by Whoosh's own writer (no packs); read only."""
    _, store, _ = packed
    config = Config(tmp_path_factory.mktemp("stock"))
    whoosh_written_index(config, store)
    searcher = Searcher(config)
    yield searcher
    searcher.close()


def test_reindex_writes_a_pack_per_segment(packed):
    _, _, searcher = packed
    state = searcher._current()
    assert len(state.segments) == 2
    assert all(seg.postings.packed for seg in state.segments)


@pytest.mark.parametrize("q", QUERIES)
def test_numpy_matcher_agrees_with_whoosh(packed, stock, q):
    query = parse(q)
    assert matched_ids(packed.searcher, query) == whoosh_matched_ids(stock, query)


@pytest.mark.parametrize(
    "field,text",
    [
        ("body", "market"),
        ("body", "common"),
        ("title", "report"),
        ("person", "nowak"),
        ("body", "number4999"),
        ("body", "absent"),
    ],
)
def test_packed_postings_equal_whoosh_postings(packed, stock, field, text):
    def by_article(searcher: Searcher, read) -> dict[str, tuple[int, list[int]]]:
        found = {}
        for seg in searcher._current().segments:
            term = read(seg)
            for i, doc in enumerate(term.docs.tolist()):
                found[str(seg.facets.ids[doc])] = (int(term.freqs[i]), term.positions(i))
        return found

    ours = by_article(packed.searcher, lambda seg: seg.postings.term(field, text))
    theirs = by_article(stock, lambda seg: SegmentPostings(seg.postings.reader).term(field, text))
    assert ours == theirs
    assert bool(ours) == (text != "absent")


@pytest.mark.parametrize(
    "words,slop,found",
    [
        (["market", "storm"], 1, True),
        (["storm", "market"], 1, False),  # both words in many docs, never in this order
        (["common", "market"], 1, False),
        (["number12", "common"], 1, True),
        (["market", "court"], 3, True),
        (["court", "market", "storm"], 5, False),  # market comes 13 words after court
        (["market", "absent"], 1, False),
    ],
)
def test_phrases_found_on_positions_equal_whooshs(
    packed: PackedArchive, stock: Searcher, words: list[str], slop: int, found: bool
) -> None:
    query = Q.Phrase("body", words, slop=slop)
    ours = matched_ids(packed.searcher, query)
    assert ours == whoosh_matched_ids(stock, query)
    assert bool(ours) == found


def test_packed_lengths_equal_whoosh_lengths_within_its_rounding(packed):
    _, _, searcher = packed
    seg = searcher._current().segments[0]
    ours = seg.postings.lengths("body").astype(float)
    theirs = SegmentPostings(seg.postings.reader).lengths("body").astype(float)  # Whoosh's
    assert np.all(np.abs(ours - theirs) <= 0.15 * ours + 1)  # Whoosh keeps a length byte


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(q="market", sort="newest", per_page=50),
        Criteria(
            q="storm OR river", sort="oldest", per_page=50, selected={"people": ("Anna Nowak",)}
        ),
        Criteria(
            q='"market storm"', date_from="2016", date_to="2018-06", per_page=50, sort="newest"
        ),
        Criteria(
            page=3,
            per_page=30,
            selected={"outlets": ("BBC", "AP")},
            excluded={"people": ("Jan Kowalski",)},
        ),
        Criteria(q="elections", include_undated=False, sort="newest"),
        # Deep pages (issue 12's "page 500" kind): relevance, then date order, of a broad query.
        Criteria(q="market OR storm OR river OR budget OR court OR report", page=150, per_page=20),
        Criteria(q="common", page=240, per_page=20, sort="oldest"),
        Criteria(page=100, per_page=50, sort="newest"),
    ],
)
def test_packed_index_answers_like_the_stock_index(
    packed: PackedArchive, stock: Searcher, criteria: Criteria
) -> None:
    _, _, searcher = packed
    assert not any(seg.postings.packed for seg in stock._current().segments)
    ours, theirs = searcher.search(criteria).to_json(), stock.search(criteria).to_json()
    assert ours["total"] == theirs["total"] > 0
    assert ours["facets"] == theirs["facets"]
    assert [h["id"] for h in ours["hits"]] == [h["id"] for h in theirs["hits"]]
    before = (criteria.page - 1) * criteria.per_page
    assert len(ours["hits"]) == min(criteria.per_page, ours["total"] - before) > 0


def test_relevance_ranks_more_occurrences_higher(tmp_path):
    articles = many_articles(50)
    articles[7].body += " zebra zebra zebra zebra"
    articles[9].body += " zebra"
    config, store = make_archive(tmp_path, articles, index=False)
    reindex(config, store)
    with_pack = Searcher(config)
    hits = with_pack.search(Criteria(q="zebra")).hits
    with_pack.close()
    assert [h.id for h in hits] == [articles[7].id, articles[9].id]
    assert hits[0].score > hits[1].score > 0


def test_pack_round_trip_keeps_arrays_and_meta(tmp_path):
    arrays = {
        "a": np.arange(5, dtype=np.int64),
        "b": np.array([b"x", b"yz"]),
        "c": np.zeros(0, np.uint16),
        "d": np.array([1.5], np.float32),
    }
    write_pack(tmp_path / "p.nar", arrays, {"k": ["v"]})
    pack = read_pack(tmp_path / "p.nar")
    assert pack.meta == {"k": ["v"]}
    for name, value in arrays.items():
        assert pack.array(name).dtype == value.dtype and pack.array(name).tolist() == value.tolist()
    assert pack.read("a", 1, 4).tolist() == [1, 2, 3]
    assert read_pack(tmp_path / "missing.nar") is None


def test_suggestion_uses_the_title_words_the_reindex_counted(packed):
    _, _, searcher = packed
    state = searcher._current()
    assert all(seg.title_words for seg in state.segments)
    assert searcher.search(Criteria(q="markte")).suggestion == "market"


def test_updates_after_a_reindex_mix_packed_and_stock_segments(tmp_path):
    articles = many_articles(300)
    config, store = make_archive(tmp_path, articles, index=False)
    reindex(config, store)
    changed = articles[5]
    changed.body = "A completely new text about kangaroos."
    store.write_batch([(changed, "changed")], [], "test")
    update_index(config, store, [changed.id])
    searcher = Searcher(config)
    try:
        segments = searcher._current().segments
        assert [bool(seg.postings.packed) for seg in segments] == [True, False]
        assert [h.id for h in searcher.search(Criteria(q="kangaroos")).hits] == [changed.id]
        assert searcher.search(Criteria(q="number5")).total == 0  # the old text is gone
        everything = searcher.search(Criteria())
        assert everything.total == 300
        # The packed segment's deleted doc is left out of counts taken from its live docs.
        sections = Counter(a.section for a in store.get_many(sorted(store.ids())))
        assert {r["value"]: r["count"] for r in everything.facets["sections"]} == sections
        assert searcher.search(Criteria(q='"kangaroos"~2')).total == 1  # slop: Whoosh's matcher
    finally:
        searcher.close()


def test_pages_of_equal_scores_neither_repeat_nor_skip(packed):
    _, _, searcher = packed
    # A prefix query scores every match alike: only the tie order decides the pages.
    seen = []
    for page in range(1, 6):
        seen += [h.id for h in searcher.search(Criteria(q="numb*", page=page, per_page=7)).hits]
    whole = [h.id for h in searcher.search(Criteria(q="numb*", per_page=35)).hits]
    assert seen == whole and len(set(seen)) == 35


def test_updates_merge_whoosh_segments_and_never_a_packed_one(tmp_path: Path) -> None:
    articles = many_articles(10)
    config, store = make_archive(tmp_path, articles[:4], index=False)
    reindex(config, store)
    live = config.index_path.resolve()
    packs = sorted(live.glob("*.nar"))
    assert len(packs) == 1
    # Whoosh's MERGE_SMALL would merge the five smallest segments, the packed one among
    # them, at the fifth one-article update; here only the segments Whoosh wrote merge.
    for article in articles[4:10]:
        store_articles(config, store, [article], index=True)
    assert sorted(live.glob("*.nar")) == packs
    searcher = Searcher(config)
    try:
        packed = [bool(seg.postings.packed) for seg in searcher._current().segments]
        assert packed.count(True) == 1 and 1 <= packed.count(False) < 6  # merged
        assert searcher.search(Criteria(q="common")).total == 10
        assert [h.id for h in searcher.search(Criteria(q="number2")).hits] == [articles[2].id]
        assert [h.id for h in searcher.search(Criteria(q="number9")).hits] == [articles[9].id]
    finally:
        searcher.close()


@pytest.mark.parametrize("count", [0, 1, 5, 40, 300])
def test_a_packed_terms_positions_for_some_postings_equal_a_selection_of_all(
    packed: PackedArchive, count: int
) -> None:
    rng = np.random.default_rng(count)
    for seg in packed.searcher._current().segments:
        term = seg.postings.term("body", "common")
        assert 4 * count < len(term.docs)  # the path that reads only the rows' positions
        rows = np.sort(rng.choice(len(term.docs), count, replace=False))
        wanted = np.zeros(len(term.docs), bool)
        wanted[rows] = True
        expected = seg.postings.term("body", "common").coords[np.repeat(wanted, term.freqs)]
        assert term.coords_of(rows).tolist() == expected.tolist()


def test_counts_taken_from_live_docs_follow_a_deletion_in_a_packed_segment(tmp_path):
    articles = many_articles(300)
    config, store = make_archive(tmp_path, articles, index=False)
    reindex(config, store)

    def sections(searcher: Searcher) -> dict[str, int]:
        found = searcher.search(Criteria(q="common"))  # every doc: counted from live docs
        return {r["value"]: r["count"] for r in found.facets["sections"]}

    with Searcher(config) as searcher:
        before = sections(searcher)
        changed = articles[5]
        other = next(a.section for a in articles if a.section != changed.section)
        old_section, changed.section = changed.section, other
        store.write_batch([(changed, "changed")], [], "test")
        update_index(config, store, [changed.id])  # its packed doc is deleted
        after = sections(searcher)
    assert after[other] == before[other] + 1
    assert after[old_section] == before[old_section] - 1
