"""Small hand-made archives for the search and indexer tests."""

from __future__ import annotations

from datetime import datetime, timezone

from archive.config import Config
from archive.index.maintenance import update_index
from archive.models import Article, content_hash
from archive.store import Store


def utc(*parts) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


ARTICLES = [
    Article(title="Putin meets Biden in Geneva", date=utc(2021, 6, 16, 12), section="World",
            body="Vladimir Putin and Joe Biden met in Geneva for their first summit. "
                 "The talks covered cyber attacks and arms control.",
            people=["Vladimir Putin", "Joe Biden"], outlets=["Reuters"], url="https://x.test/1"),
    Article(title="Elections in Poland", date=utc(2023, 10, 15), section="Politics",
            body="Polish elections were held on Sunday. Presidential hopefuls debated taxes.",
            people=["Donald Tusk"], outlets=["BBC", "Reuters"], url="https://x.test/2"),
    Article(title="Biden signs climate bill", date=utc(2022, 8, 16), section="Politics",
            body="President Joe Biden signed the climate bill into law. The State of the Union "
                 "address later praised it.",
            people=["Joe Biden"], outlets=["AP"], url="https://x.test/3"),
    Article(title="Tusk returns", date=utc(2023, 12, 13), section="Politics",
            body="Donald Tusk became prime minister again after the elections.",
            people=["Donald Tusk"], outlets=["BBC"], url="https://x.test/4"),
    Article(title="Zoo <b>panda</b> & friends", date=utc(2023, 4, 11, 9), section="Science",
            body="A panda named <script>alert('x')</script> Bao ate bamboo & slept. Café owners "
                 "near the zoo reported record sales.",
            people=[], outlets=["Gazeta Wyborcza"], url="https://x.test/5"),
    Article(title="Undated elections note", date=None, section="Politics",
            body="Nothing dated here, just notes on elections and presidents.",
            people=["Joe Biden"], outlets=["AP"], url="https://x.test/6"),
    Article(title="Putin speech", date=utc(2022, 2, 24), section="World",
            body="Vladimir Putin gave a televised speech. Analysts at Reuters and the BBC "
                 "commented on the state of the economy.",
            people=["Vladimir Putin"], outlets=["Reuters", "BBC"], url="https://x.test/7"),
    Article(title="Élection présidentielle", date=utc(2022, 4, 24), section="World",
            body="Emmanuel Macron a gagné l'élection présidentielle. Reuters reported the result.",
            people=["Emmanuel Macron"], outlets=["Le Monde"], url="https://x.test/8"),
]


def make_archive(tmp_path, articles=ARTICLES, index=True) -> tuple[Config, Store]:
    """Create a store holding articles and, if asked, the index over them."""
    config = Config(tmp_path / "home")
    store = Store(config.store_path)
    store.write_batch([(a, content_hash(a)) for a in articles], [], "test")
    if index:
        update_index(config, store, [a.id for a in articles])
    return config, store


def by_title(title: str) -> Article:
    return next(a for a in ARTICLES if a.title == title)


def many_articles(count: int, seed: int = 0) -> list[Article]:
    """Return count small varied articles (for bulk and concurrency tests)."""
    words = ["market", "storm", "court", "vote", "energy", "health", "school", "border",
             "trade", "music", "river", "budget", "strike", "bridge", "harvest"]
    people = ["Anna Nowak", "Jan Kowalski", "Maria Curie", "Lech Walesa", "Olga Tokarczuk"]
    outlets = ["Reuters", "BBC", "AP", "PAP"]
    out = []
    for i in range(count):
        k = (i * 7 + seed) % len(words)
        text = " ".join(words[(k + j) % len(words)] for j in range(40))
        out.append(Article(
            title=f"Report {i} on {words[k]}", body=f"{text} number{i} common",
            date=utc(2015 + i % 8, 1 + i % 12, 1 + i % 28) if i % 10 else None,
            section=["World", "Politics", "Science"][i % 3],
            people=[people[i % 5], people[(i + 2) % 5]] if i % 4 else [],
            outlets=[outlets[i % 4]], url=f"https://many.test/{seed}/{i}"))
    return out
