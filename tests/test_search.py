"""Searching a small real index: query language, filters, facets, sorting, paging, snippets."""

import pytest
from fixtures import ARTICLES, by_title, make_archive

from archive.config import Config
from archive.index.maintenance import update_index
from archive.search import Criteria, IndexMissing, Searcher, SearchError, highlight


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    config, store = make_archive(tmp_path_factory.mktemp("search"))
    s = Searcher(config)
    yield s
    s.close()
    store.close()


def titles(results):
    return [h.title for h in results.hits]


def facet(results, name):
    return {row["value"]: row["count"] for row in results.facets[name]}


@pytest.mark.parametrize(
    "q, expected",
    [
        (
            "elections",
            {
                "Elections in Poland",
                "Tusk returns",
                "Undated elections note",
                "Élection présidentielle",
            },
        ),
        ("putin AND geneva", {"Putin meets Biden in Geneva"}),
        ("geneva OR bamboo", {"Putin meets Biden in Geneva", "Zoo <b>panda</b> & friends"}),
        ("putin NOT geneva", {"Putin speech"}),
        ('"state of the union"', {"Biden signs climate bill"}),
        (
            "presid*",
            {
                "Elections in Poland",
                "Biden signs climate bill",
                "Undated elections note",
                "Élection présidentielle",
            },
        ),
        ("title:putin", {"Putin meets Biden in Geneva", "Putin speech"}),
        (
            "person:biden",
            {"Putin meets Biden in Geneva", "Biden signs climate bill", "Undated elections note"},
        ),
        ('person:"vladimir putin"', {"Putin meets Biden in Geneva", "Putin speech"}),
        ('person:"putin joe"', set()),
        ("outlet:reuters", {"Putin meets Biden in Geneva", "Elections in Poland", "Putin speech"}),
        ("section:science", {"Zoo <b>panda</b> & friends"}),
        ("cafe", {"Zoo <b>panda</b> & friends"}),
        (
            "élection",
            {
                "Elections in Poland",
                "Tusk returns",
                "Undated elections note",
                "Élection présidentielle",
            },
        ),
    ],
)
def test_query_forms(searcher, q, expected):
    results = searcher.search(Criteria(q=q))
    assert set(titles(results)) == expected
    assert results.total == len(expected)


@pytest.mark.parametrize(
    "q",
    ['"unclosed phrase', "(putin", "putin)", "putin AND", "OR putin", "*", "a*", "x" * 501, "(())"],
)
def test_malformed_queries_give_a_clear_message(searcher, q):
    with pytest.raises(SearchError) as err:
        searcher.search(Criteria(q=q))
    assert str(err.value) and "Traceback" not in str(err.value)


def test_quoted_title_ranks_that_article_first(searcher):
    assert titles(searcher.search(Criteria(q='"Putin speech"')))[0] == "Putin speech"


def test_person_filter_is_exact_and_case_insensitive(searcher):
    results = searcher.search(Criteria(selected={"people": ("joe BIDEN",)}))
    assert results.total == 3
    assert all("Joe Biden" in h.people for h in results.hits)


def test_values_in_one_facet_or_and_different_facets_and(searcher: Searcher) -> None:
    either = searcher.search(Criteria(selected={"people": ("Joe Biden", "Donald Tusk")}))
    assert either.total == 5
    both = searcher.search(
        Criteria(selected={"people": ("Joe Biden", "Donald Tusk"), "outlets": ("AP",)})
    )
    assert set(titles(both)) == {"Biden signs climate bill", "Undated elections note"}


def test_facet_counts_are_disjunctive(searcher):
    results = searcher.search(Criteria(selected={"outlets": ("BBC",)}))
    assert results.total == 3
    outlets = facet(results, "outlets")
    # Own selection does not shrink its counts: other outlets stay offered with full counts.
    assert outlets["Reuters"] == 3 and outlets["AP"] == 2 and outlets["BBC"] == 3
    # Other facets are counted over the selection.
    assert facet(results, "people") == {"Donald Tusk": 2, "Vladimir Putin": 1}


def test_facet_counts_cover_all_matches_not_only_the_page(searcher):
    results = searcher.search(Criteria(per_page=1))
    assert len(results.hits) == 1
    assert sum(facet(results, "sections").values()) == len(ARTICLES)
    assert facet(results, "years") == {"2021": 1, "2022": 3, "2023": 3}
    assert facet(results, "months")["2022-08"] == 1


def test_exclusion_removes_matches_and_their_counts(searcher):
    results = searcher.search(Criteria(q="elections", excluded={"people": ("Donald Tusk",)}))
    assert set(titles(results)) == {"Undated elections note", "Élection présidentielle"}
    assert "Donald Tusk" not in facet(results, "people")
    results = searcher.search(Criteria(excluded={"outlets": ("reuters", "BBC")}))
    assert not {"Reuters", "BBC"} & set(facet(results, "outlets"))


@pytest.mark.parametrize(
    "date_from, date_to, count",
    [
        ("2022", "2022", 3),
        ("2023-04", "2023-04", 1),
        ("2023-04-11", "2023-04-11", 1),
        ("2023-04-12", None, 2),
        (None, "2021-06-16", 1),
        ("2021-06-17", "2022-02-23", 0),
    ],
)
def test_date_range_is_inclusive_and_excludes_undated(searcher, date_from, date_to, count):
    results = searcher.search(Criteria(date_from=date_from, date_to=date_to))
    assert results.total == count
    assert all(h.date is not None for h in results.hits)


def test_undated_can_be_left_out(searcher):
    assert searcher.search(Criteria(q="elections")).total == 4
    assert searcher.search(Criteria(q="elections", include_undated=False)).total == 3


def test_section_filter(searcher):
    results = searcher.search(Criteria(selected={"sections": ("politics",)}))
    assert results.total == 4
    assert facet(results, "sections")["World"] == 3  # disjunctive too


def test_browse_mode_lists_everything_newest_first_undated_last(searcher):
    results = searcher.search(Criteria())
    assert results.total == len(ARTICLES)
    dates = [h.date for h in results.hits]
    assert dates[-1] is None
    assert dates[:-1] == sorted(dates[:-1], reverse=True)


def test_sort_oldest_and_newest(searcher):
    oldest = searcher.search(Criteria(q="elections OR putin", sort="oldest"))
    newest = searcher.search(Criteria(q="elections OR putin", sort="newest"))
    assert oldest.hits[0].title == "Putin meets Biden in Geneva"
    assert newest.hits[0].title == "Tusk returns"
    assert oldest.total == newest.total


def test_paging_is_stable_and_past_the_end_is_empty(searcher):
    seen = []
    for page in (1, 2, 3):
        results = searcher.search(Criteria(per_page=3, page=page))
        assert results.pages == 3
        seen += [h.id for h in results.hits]
    assert len(seen) == len(set(seen)) == len(ARTICLES)
    beyond = searcher.search(Criteria(per_page=3, page=9))
    assert beyond.hits == [] and beyond.pages == 3 and beyond.total == len(ARTICLES)


def test_snippets_escape_html_and_mark_terms(searcher):
    results = searcher.search(Criteria(q="panda"))
    snippet = results.hits[0].snippet
    assert "<mark>panda</mark>" in snippet
    assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    assert snippet.replace("<mark>", "").replace("</mark>", "").count("<") == 0


def test_highlight_escapes_html_looking_text() -> None:
    text = "<b>Putin</b> & <i>putin's</i> rivals"
    assert highlight(text, "putin") == (
        "&lt;b&gt;<mark>Putin</mark>&lt;/b&gt; &amp; "
        "&lt;i&gt;<mark>putin</mark>&#x27;s&lt;/i&gt; rivals"
    )
    assert (
        highlight(text, '"bad')
        == "&lt;b&gt;Putin&lt;/b&gt; &amp; &lt;i&gt;putin&#x27;s&lt;/i&gt; rivals"
    )


def test_suggestion_when_nothing_is_found(searcher):
    results = searcher.search(Criteria(q="electons"))
    assert results.total == 0 and results.suggestion == "elections"
    assert searcher.search(Criteria(q="elections")).suggestion is None


def test_more_like_this_finds_related_articles(searcher):
    article = by_title("Putin speech")
    similar = searcher.more_like_this(article.id, limit=3)
    assert article.id not in [h.id for h in similar]
    # The one other article about Vladimir Putin shares the most telling words.
    assert similar and similar[0].title == "Putin meets Biden in Geneva"
    assert searcher.more_like_this("no-such-id") == []


def test_facet_values_search_within_values(searcher):
    assert searcher.facet_values("people", "put") == [{"value": "Vladimir Putin", "count": 2}]
    assert searcher.facet_values("outlets", "gaz")[0]["value"] == "Gazeta Wyborcza"
    with pytest.raises(SearchError):
        searcher.facet_values("colours")


def test_to_json_shape(searcher):
    data = searcher.search(Criteria(q="tusk")).to_json()
    assert set(data) == {"total", "page", "per_page", "pages", "hits", "facets", "suggestion"}
    assert set(data["facets"]) == {
        *("people", "outlets", "sources", "cited", "sections", "years", "months")
    }
    hit = data["hits"][0]
    assert set(hit) == {
        *("id", "title", "date", "people", "outlets", "sources", "cited", "section"),
        *("snippet", "score"),
    }
    assert hit["date"].endswith("Z")


def test_criteria_round_trip_through_args() -> None:
    c = Criteria(
        q="x y",
        selected={"people": ("A B",), "outlets": ("BBC",), "sections": ("World",)},
        excluded={"outlets": ("AP",)},
        date_from="2023",
        date_to="2023-04-11",
        include_undated=False,
        sort="oldest",
        page=3,
        per_page=50,
    )
    args = {}
    for key, value in c.to_args():
        args.setdefault(key, []).append(value)
    assert Criteria.from_args(args) == c
    assert Criteria().to_args() == []
    assert c.replace(selected={}).page == 1 and c.replace(page=2).page == 2


@pytest.mark.parametrize(
    "args",
    [
        {"page": ["0"]},
        {"per_page": ["101"]},
        {"per_page": ["0"]},
        {"from": ["2023-13"]},
        {"to": ["yesterday"]},
        {"sort": ["random"]},
        {"page": ["x"]},
        {"q": ["x" * 501]},
        {"from": ["2024"], "to": ["2023"]},
        {"undated": ["maybe"]},
    ],
)
def test_bad_parameters_are_rejected(args):
    with pytest.raises(SearchError):
        Criteria.from_args(args)


def test_missing_index_raises_index_missing(tmp_path):
    with pytest.raises(IndexMissing) as err:
        Searcher(Config(tmp_path))
    assert "reindex" in str(err.value)


def test_searcher_sees_updates_without_reopening(tmp_path):
    config, store = make_archive(tmp_path, ARTICLES[:2])
    s = Searcher(config)
    assert s.search(Criteria()).total == 2
    store.write_batch([(a, "h") for a in ARTICLES[2:4]], [], "test")
    update_index(config, store, [a.id for a in ARTICLES[2:4]])
    assert s.search(Criteria()).total == 4
    s.close()


def test_empty_index_answers_with_no_hits(tmp_path):
    from archive.index import maintenance as indexer

    config = Config(home=tmp_path)
    with indexer.index_lock(config):
        indexer.create_empty(config)
    empty = Searcher(config)
    try:
        results = empty.search(Criteria(q="anything"))
        browse = empty.search(Criteria(selected={"people": ("Nobody",)}))
    finally:
        empty.close()
    assert (results.total, results.hits, browse.total) == (0, [], 0)


@pytest.mark.parametrize(
    "criteria",
    [
        Criteria(q="elections"),
        Criteria(q="putin OR biden", sort="oldest"),
        Criteria(selected={"outlets": ("Reuters",)}),
        Criteria(q="", sort="newest"),
    ],
)
def test_ordered_ids_are_every_page_in_order(searcher: Searcher, criteria: Criteria) -> None:
    pages, page = [], 1
    while True:
        results = searcher.search(criteria.replace(page=page, per_page=2))
        pages += [h.id for h in results.hits]
        if page >= results.pages:
            break
        page += 1
    assert searcher.ordered_ids(criteria) == pages and len(pages) == results.total
