"""Segments an ingest writes through Whoosh get packs, and still merge as Whoosh merges them.

Real indexes: Whoosh's own writer (update_index), the packs written after its commits
(index/packing.py), and searches compared with an index left as Whoosh wrote it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from fixtures import make_archive, many_articles, store_articles, whoosh_written_index

from archive.config import Config
from archive.index import packing
from archive.index.maintenance import update_index
from archive.index.packfile import UPDATE, pack_origin, read_pack
from archive.search import Criteria, Searcher

CRITERIA = [
    Criteria(q="market OR storm", per_page=50),
    Criteria(q='"market storm"', sort="newest"),
    Criteria(q="number1*", selected={"people": ("Anna Nowak",)}),
    Criteria(q="common", date_from="2016", date_to="2018", page=2),
    Criteria(q="date:2016 AND court"),
]


@pytest.fixture(autouse=True)
def small_packs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(packing, "MIN_PACKED", 40)


def _packs(config: Config) -> list[Path]:
    return sorted(config.index_path.resolve().glob("*.nar"))


def test_an_update_packs_its_segment_and_searches_agree_with_whooshs_reading(
    tmp_path: Path,
) -> None:
    config, store = make_archive(tmp_path / "packed", many_articles(300), index=True)
    stock = Config(tmp_path / "stock" / "home")
    whoosh_written_index(stock, store)
    (pack,) = _packs(config)
    found = read_pack(pack)
    assert found is not None and pack_origin(found.meta) == UPDATE
    assert not _packs(stock)
    with Searcher(config) as packed, Searcher(stock) as whoosh:
        assert all(seg.postings.packed for seg in packed._current().segments)
        for criteria in CRITERIA:
            ours, theirs = packed.search(criteria).to_json(), whoosh.search(criteria).to_json()
            assert ours["total"] == theirs["total"] > 0, criteria
            assert ours["facets"] == theirs["facets"], criteria
            # Scores differ a little (Whoosh keeps lengths rounded to a byte), not the order.
            assert [h["id"] for h in ours["hits"]] == [h["id"] for h in theirs["hits"]]


def test_a_searcher_that_read_a_segment_unpacked_reads_its_pack_once_written(
    tmp_path: Path,
) -> None:
    articles = many_articles(61)
    config, store = make_archive(tmp_path, articles[:60], index=False)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packing, "MIN_PACKED", 2**62)
        update_index(config, store, [a.id for a in articles[:60]])
    with Searcher(config) as searcher:
        assert searcher.search(Criteria(q="common")).total == 60
        assert not any(seg.postings.packed for seg in searcher._current().segments)
        # The next ingest packs the 60-article segment (and leaves its own one article).
        store_articles(config, store, articles[60:], index=True)
        packed = [bool(seg.postings.packed) for seg in searcher._current().segments]
        assert packed == [True, False]
        assert searcher.search(Criteria(q="common")).total == 61


def test_updated_segments_merge_and_the_merged_one_is_packed_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # MERGE_SMALL merges the smallest five or more segments once they hold fewer than
    # fib(i + 5) docs: ingests of five articles merge every few ingests.
    monkeypatch.setattr(packing, "MIN_PACKED", 12)
    articles = many_articles(60)
    config, store = make_archive(tmp_path, articles[:5], index=True)
    for start in range(5, 60, 5):
        store_articles(config, store, articles[start : start + 5], index=True)
    with Searcher(config) as searcher:
        segments = searcher._current().segments
        assert len(segments) < 12  # some merged
        sizes = [(seg.postings.size, bool(seg.postings.packed)) for seg in segments]
        assert all(packed == (size >= 12) for size, packed in sizes), sizes
        assert any(packed for _, packed in sizes)
        assert len(_packs(config)) == sum(packed for _, packed in sizes)  # no stale pack
        assert searcher.search(Criteria(q="common")).total == 60
        assert [h.id for h in searcher.search(Criteria(q="number37")).hits] == [articles[37].id]


def test_a_doc_deleted_from_the_store_is_packed_empty_and_never_found(tmp_path: Path) -> None:
    articles = many_articles(80)
    config, store = make_archive(tmp_path, articles, index=False)
    gone = articles[7]
    store.db.execute("DELETE FROM articles WHERE id = ?", (gone.id,))
    store.db.commit()
    # The index still lists it (added before the store lost it), deleted by the update.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(packing, "MIN_PACKED", 2**62)
        update_index(config, store, [a.id for a in articles if a is not gone])
    store_articles(config, store, [], index=False)
    update_index(config, store, [gone.id])  # gone from the store: deleted in the index
    assert _packs(config)  # the first segment (80 docs) is packed by this update
    with Searcher(config) as searcher:
        assert searcher.search(Criteria(q="common")).total == 79
        assert searcher.search(Criteria(q="number7")).total == 0
