"""Index maintenance: update, check, locking, full reindex with atomic swap."""

import dataclasses
import os

import pytest
from fixtures import ARTICLES, make_archive, many_articles

from archive.errors import IndexBusy
from archive.index import maintenance as indexer
from archive.index.maintenance import check, index_lock, reindex, update_index
from archive.models import content_hash
from archive.search import Criteria, Searcher


def test_update_creates_the_index_behind_a_symlink(tmp_path):
    config, store = make_archive(tmp_path)
    assert config.index_path.is_symlink()
    assert check(config, store).ok


def test_update_replaces_changed_articles_instead_of_duplicating(tmp_path):
    config, store = make_archive(tmp_path)
    changed = dataclasses.replace(ARTICLES[0], title="Putin and Biden rematch in Geneva")
    store.write_batch([(changed, content_hash(changed))], [], "test")
    assert update_index(config, store, [changed.id]) == 1
    report = check(config, store)
    assert report.ok and report.index_count == len(ARTICLES)
    s = Searcher(config)
    assert [h.title for h in s.search(Criteria(q="rematch")).hits] == [
        "Putin and Biden rematch in Geneva"
    ]
    assert s.search(Criteria(q='"Putin meets Biden"')).total == 0
    s.close()


def test_update_removes_articles_gone_from_the_store(tmp_path):
    config, store = make_archive(tmp_path)
    store.db.execute("DELETE FROM articles WHERE id = ?", (ARTICLES[1].id,))
    update_index(config, store, [ARTICLES[1].id])
    assert check(config, store).ok


def test_check_says_what_differs_and_how_to_fix_it(tmp_path):
    config, store = make_archive(tmp_path, index=False)
    update_index(config, store, [a.id for a in ARTICLES[:5]])
    store.db.execute("DELETE FROM articles WHERE id = ?", (ARTICLES[0].id,))
    report = check(config, store)
    assert not report.ok
    text = "\n".join(report.messages)
    assert "3 stored article(s) are not in the index" in text
    assert "1 indexed article(s) are not in the store" in text
    assert "newsarchive reindex" in text


def test_check_without_index(tmp_path):
    config, store = make_archive(tmp_path, index=False)
    report = check(config, store)
    assert not report.ok and "reindex" in report.messages[0]


def test_second_writer_gets_index_busy(tmp_path):
    config, store = make_archive(tmp_path)
    with index_lock(config):
        with pytest.raises(IndexBusy) as err:
            update_index(config, store, [ARTICLES[0].id])
        assert "another ingest or reindex is running" in str(err.value)
        with pytest.raises(IndexBusy):
            reindex(config, store)
    assert update_index(config, store, [ARTICLES[0].id]) == 1  # the lock is free again


def test_failed_update_leaves_no_wedged_lock(tmp_path):
    config, store = make_archive(tmp_path)

    class Exploding:
        def get(self, article_id):
            raise RuntimeError("boom")

    with pytest.raises(RuntimeError):
        update_index(config, Exploding(), [ARTICLES[0].id])
    assert update_index(config, store, [ARTICLES[0].id]) == 1


def test_reindex_builds_a_new_directory_and_swaps_it_in(tmp_path):
    config, store = make_archive(tmp_path)
    old = os.readlink(config.index_path)
    stats = reindex(config, store, workers=2)
    assert stats.articles == len(ARTICLES)
    assert os.readlink(config.index_path) != old
    assert check(config, store).ok
    reindex(config, store)
    dirs = sorted(p.name for p in config.home.glob(indexer.DIR_PREFIX + "*"))
    assert len(dirs) == 2  # the live one and the previous one; older ones are removed


def test_reindex_of_many_articles_with_workers_matches_the_store(tmp_path):
    articles = many_articles(1500)
    config, store = make_archive(tmp_path, articles, index=False)
    seen = []
    stats = reindex(config, store, workers=2, progress=seen.append)
    assert stats.articles == 1500 and sum(seen) == 1500  # increments, like ingest's
    assert check(config, store).ok
    s = Searcher(config)
    results = s.search(Criteria(q="number777"))
    assert [h.title for h in results.hits] == [articles[777].title]
    assert s.search(Criteria(q="common")).total == 1500
    assert s.search(Criteria(selected={"people": ("Anna Nowak",)})).total == sum(
        "Anna Nowak" in a.people for a in articles
    )
    s.close()


def test_reindex_of_empty_store_gives_an_empty_index(tmp_path):
    config, store = make_archive(tmp_path, [], index=False)
    assert reindex(config, store).articles == 0
    assert check(config, store).ok
