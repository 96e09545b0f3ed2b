"""Tests for the SQLite store."""

from datetime import UTC, datetime
from pathlib import Path

from archive.models import Article, content_hash
from archive.store import Store


def make(n: int, **fields) -> Article:
    return Article(
        title=f"Title {n}",
        body=f"Body {n}",
        url=f"http://t.test/{n}",
        date=datetime(2020, 1, n + 1, tzinfo=UTC),
        **fields,
    )


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    article = make(
        1,
        people=["Ann Lee"],
        outlets=["Daily"],
        authors=["Bo"],
        photo_credits=["PAP/X"],
        editor_initials="ab",
        section="World",
        raw="raw text",
        warnings=["w"],
    )
    with Store(tmp_path / "s.db") as store:
        store.write_batch([(article, content_hash(article))], [], "1")
        back = store.get(article.id)
    assert back.to_json() == article.to_json()


def test_upsert_updates_in_place_and_rejections_are_kept(tmp_path):
    with Store(tmp_path / "s.db") as store:
        first = make(1)
        store.write_batch([(first, content_hash(first))], [("f.txt:3", "bad line")], "1")
        changed = make(1)
        changed.title = "New title"
        store.write_batch([(changed, content_hash(changed))], [], "1")
        assert store.count() == 1
        assert store.get(first.id).title == "New title"
        assert store.rejections()[0]["source"] == "f.txt:3"
        assert store.stats()["rejected"] == 1


def test_stats_counts_undated_and_top_values(tmp_path: Path) -> None:
    articles = [
        make(1, people=["A B"], outlets=["X"]),
        make(2, people=["A B", "C D"], outlets=["X"]),
        Article(title="undated", body="b", outlets=["Y"]),
    ]
    with Store(tmp_path / "s.db") as store:
        store.write_batch([(a, content_hash(a)) for a in articles], [], "1")
        stats = store.stats()
    assert stats["articles"] == 3 and stats["undated"] == 1
    assert (stats["first_date"], stats["last_date"]) == (
        "2020-01-02T00:00:00Z",
        "2020-01-03T00:00:00Z",
    )
    assert stats["top_people"][0] == {"value": "A B", "count": 2}
    assert stats["top_outlets"][0] == {"value": "X", "count": 2}


def test_unindexed_until_marked_and_again_after_update(tmp_path):
    with Store(tmp_path / "s.db") as store:
        article = make(1)
        store.write_batch([(article, content_hash(article))], [], "1")
        assert store.unindexed_ids() == [article.id]
        store.mark_indexed([article.id])
        assert store.unindexed_ids() == []
        article.title = "changed"
        store.write_batch([(article, content_hash(article))], [], "1")
        assert store.unindexed_ids() == [article.id]


def test_iter_articles_pages_through_everything(tmp_path):
    articles = [make(n % 28, section=str(n)) for n in range(1, 26)]
    with Store(tmp_path / "s.db") as store:
        store.write_batch([(a, content_hash(a)) for a in articles], [], "1")
        seen = [a.id for a in store.iter_articles(batch_size=7)]
    assert sorted(seen) == sorted(a.id for a in articles) and len(seen) == 25
