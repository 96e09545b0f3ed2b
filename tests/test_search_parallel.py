"""Segments searched side by side give what one thread gives, under the same time budget."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from fixtures import ARTICLES, make_archive, many_articles, store_articles

from archive.errors import SearchTimeout
from archive.index.maintenance import reindex
from archive.search import Criteria, Searcher, budget, parallel


@pytest.fixture(scope="module")
def searcher(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Searcher]:
    """4058 articles: two packed segments and one Whoosh wrote; read only."""
    articles = many_articles(4050) + ARTICLES
    config, store = make_archive(tmp_path_factory.mktemp("parallel"), articles[50:], index=False)
    reindex(config, store, workers=2)
    store_articles(config, store, articles[:50], index=True)
    with Searcher(config) as opened:
        assert [bool(seg.postings.packed) for seg in opened._current().segments] == [
            True,
            True,
            False,
        ]
        yield opened


def test_results_come_back_in_order_and_the_first_error_is_raised() -> None:
    def square(n: int) -> int:
        time.sleep(0.002 * (5 - n))  # later items finish first
        if n == 3:
            raise ValueError(n)
        return n * n

    assert parallel.map_ordered(square, [0, 1, 2]) == [0, 1, 4]
    with pytest.raises(ValueError):
        parallel.map_ordered(square, range(5))


def test_the_search_budget_holds_in_the_pools_threads() -> None:
    with budget.limited(0.001):
        time.sleep(0.005)
        with pytest.raises(SearchTimeout):
            parallel.map_ordered(lambda _: budget.check(), range(4))
    assert parallel.map_ordered(lambda _: budget.check(), range(4)) == [None] * 4  # no budget


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(q="market OR storm OR river OR budget OR court", per_page=50),
        Criteria(q='"market storm"', sort="newest"),
        Criteria(q="common", selected={"people": ("Anna Nowak",)}, page=3),
        Criteria(selected={"outlets": ("BBC", "AP")}, modes={"outlets": "any"}),
    ],
)
def test_one_thread_and_several_give_the_same_results(
    searcher: Searcher, criteria: Criteria, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert parallel.threads() >= 2 or pytest.skip("one core: the pool is never used")
    together = searcher.search(criteria).to_json()
    monkeypatch.setattr(parallel, "MAX_THREADS", 1)
    alone = searcher.search(criteria).to_json()
    assert together == alone and together["total"] > 0
