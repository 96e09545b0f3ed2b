"""Acceptance on the AllSides dev corpus: quoted titles, date ranges, outlet counts."""

import random
from collections import Counter

import pytest
from fixtures import ALLSIDES

from archive.config import Config
from archive.index.maintenance import check, reindex
from archive.index.text import normalise
from archive.search import Criteria, Searcher
from archive.store import Store

pytestmark = [
    pytest.mark.corpus,
    pytest.mark.skipif(not ALLSIDES.exists(), reason=f"AllSides corpus not found at {ALLSIDES}"),
]


@pytest.fixture(scope="module")
def archive(tmp_path_factory):
    from archive.ingest import ingest_paths

    config = Config(tmp_path_factory.mktemp("allsides") / "home")
    # Stored as read (no entity extraction): outlets come from the records' source field.
    ingest_paths(config, [ALLSIDES], index=False, run_extraction=False)
    store = Store(config.store_path)
    # Without extraction the outlet named by each record is still known: use it as the facet.
    store.db.execute("UPDATE articles SET outlets = cited_outlets")
    reindex(config, store, workers=2)
    searcher = Searcher(config)
    yield config, store, searcher
    searcher.close()
    store.close()


def test_store_and_index_agree(archive):
    config, store, _ = archive
    assert check(config, store).ok


def test_quoted_title_finds_that_article_first(archive):
    _, store, searcher = archive
    rows = store.db.execute(
        "SELECT id, title FROM articles WHERE length(title) > 25 ORDER BY id"
    ).fetchall()
    for article_id, title in random.Random(7).sample(rows, 25):
        if '"' in title:
            continue
        results = searcher.search(Criteria(q=f'"{title}"'))
        assert results.hits, title
        # Articles may share a title (syndication); the first hit must carry this one.
        assert normalise(results.hits[0].title) == normalise(title)
        assert article_id in [h.id for h in results.hits if normalise(h.title) == normalise(title)]


def test_year_range_returns_exactly_the_stored_2016_articles(archive):
    _, store, searcher = archive
    expected = store.db.execute(
        "SELECT COUNT(*) FROM articles WHERE date >= '2016-01-01' AND date < '2017-01-01'"
    ).fetchone()[0]
    assert expected > 0
    results = searcher.search(Criteria(date_from="2016-01-01", date_to="2016-12-31", per_page=100))
    assert results.total == expected
    assert all(h.date.year == 2016 for h in results.hits)
    # The year histogram is disjunctive (other years stay offered); 2016 counts them all.
    assert {r["value"]: r["count"] for r in results.facets["years"]}["2016"] == expected
    last = searcher.search(
        Criteria(date_from="2016", date_to="2016", page=results.pages, per_page=100)
    )
    assert all(h.date.year == 2016 for h in last.hits)


def test_outlet_counts_add_up_to_the_store(archive: tuple[Config, Store, Searcher]) -> None:
    _, store, searcher = archive
    stored = Counter()
    for value, count in store.db.execute(
        "SELECT j.value, COUNT(DISTINCT articles.id) "
        "FROM articles, json_each(articles.outlets) j GROUP BY j.value"
    ):
        stored[normalise(value)] += count
    results = searcher.search(Criteria())
    outlets = results.facets["outlets"]
    assert outlets
    for row in outlets:
        assert row["count"] == stored[normalise(row["value"])], row
    top = outlets[0]
    assert searcher.search(Criteria(selected={"outlets": (top["value"],)})).total == top["count"]
