"""Measure server time of faceted search pages, trends (and the JSON API) on a generated archive.

    python bench/bench_web.py [--count 100000] [--home DIR] [--requests 100] [--http]

Without --home it generates --count articles (seeded) into a temporary archive and
reindexes them; with --home it uses that archive, generating it there first if empty.
Each page kind is requested --requests times through the WSGI app in-process (server
time: routing, search, facets, template rendering); --http also times a real waitress
server over HTTP.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from itertools import islice
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.config import Config
from archive.models import content_hash
from archive.store import Store


def build(home: Path, count: int) -> Config:
    """Generate count articles into a fresh store and reindex it."""
    from archive.generate import generate_articles
    from archive.index.maintenance import reindex

    config = Config(home=home)
    started = time.monotonic()
    with Store(config.store_path) as store:
        articles = generate_articles(count, seed=1)
        while batch := list(islice(articles, 2000)):
            store.write_batch([(a, content_hash(a)) for a in batch], [], "bench")
        stored = time.monotonic()
        stats = reindex(config, store)
        store.mark_indexed()
    print(
        f"built {count:,} articles: store {stored - started:.0f} s, reindex {stats.seconds:.0f} s"
    )
    return config


def page_urls(app, rng: random.Random, n: int) -> dict[str, list[str]]:
    """Return n URLs per page kind, with real facet values from the archive."""
    client = app.test_client()
    facets = client.get("/api/search").get_json()["facets"]
    people = [v["value"] for v in facets["people"][:20]]
    outlets = [v["value"] for v in facets["outlets"][:10]]
    years = [v["value"] for v in facets["years"]]
    words = ["talks", "budget", "inflation", "ceasefire", "harbour", "vaccine", "reform", "strike"]
    q = lambda: rng.choice(words)  # noqa: E731
    kinds = {
        "term": lambda: f"/?q={q()}",
        "term + person": lambda: f"/?q={q()}&person={rng.choice(people)}",
        "2 outlets + dates": lambda: (
            f"/?q={q()}&outlet={rng.choice(outlets)}&outlet={rng.choice(outlets)}"
            f"&from={rng.choice(years)}&to={years[-1]}"
        ),
        "browse + exclude": lambda: (
            f"/?outlet={rng.choice(outlets)}&exclude_person={rng.choice(people)}"
        ),
        "phrase, page 3": lambda: f'/?q="{q()} were"&page=3',
        "api search": lambda: f"/api/search?q={q()}&person={rng.choice(people)}",
        # Trends: each series is one search and one bincount of its months.
        "trends, 2 people": lambda: (
            f"/trends?series=person:{rng.choice(people)}&series=person:{rng.choice(people)}"
        ),
        "trends, 5 series": lambda: (
            f"/trends?series=q:{q()}&series=person:{rng.choice(people)}"
            f"&series=outlet:{rng.choice(outlets)}&series=q:{q()}+{q()}"
            f"&series=search:q%3D{q()}%26outlet%3D{rng.choice(outlets).replace(' ', '%2B')}"
            "&measure=share"
        ),
        "api trends": lambda: f"/api/trends?series=q:{q()}&series=person:{rng.choice(people)}",
    }
    return {kind: [make().replace(" ", "+") for _ in range(n)] for kind, make in kinds.items()}


def measure(fetch, urls: list[str]) -> list[float]:
    times = []
    for url in urls:
        started = time.perf_counter()
        fetch(url)
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[max(0, int(len(times) * 0.95) - 1)]
    print(
        f"  {label:<20} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
        f"max {times[-1]:7.1f} ms   n={len(times)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument(
        "--home", type=Path, help="use this archive (generated there first if it has no store)"
    )
    parser.add_argument("--requests", type=int, default=100, help="requests per page kind")
    parser.add_argument("--http", action="store_true", help="also time a real waitress server")
    args = parser.parse_args()

    from archive.web import create_app

    tmp = None
    if args.home:
        config = Config(home=args.home)
        if not config.store_path.exists():
            build(args.home, args.count)
    else:
        tmp = tempfile.TemporaryDirectory(prefix="bench-web-")
        config = build(Path(tmp.name), args.count)
    app = create_app({"ARCHIVE_HOME": str(config.home)})
    client = app.test_client()
    started = time.perf_counter()
    client.get("/?q=warmup")  # opens the index and fills the facet caches once
    print(
        f"archive {config.home}: {client.get('/api/search').get_json()['total']:,} articles; "
        f"first request (opens the index) {time.perf_counter() - started:.1f} s"
    )

    def fetch(url):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        response.close()

    urls = page_urls(app, random.Random(7), args.requests)
    for kind in urls:  # warm each kind once, as a running server would be
        fetch(urls[kind][0])
    print("server time (WSGI in-process: search + page rendering):")
    pages = []
    for kind, batch in urls.items():
        times = measure(fetch, batch)
        report(kind, times)
        if not kind.startswith(("api", "trends")):
            pages += times
    report("all search pages", pages)

    # The same searches without Flask, to tell web overhead from search-core time.
    from urllib.parse import parse_qsl, urlsplit

    from werkzeug.datastructures import MultiDict

    from archive.search import Criteria

    searcher = app.extensions["newsarchive"]["searcher"]

    from archive.search.trends import parse_all, trend

    def core(url):
        args = MultiDict(parse_qsl(urlsplit(url).query))
        if "series" in args:  # a trend: its series' month counts and the archive's
            trend(searcher, parse_all(args.getlist("series")))
        else:
            searcher.search(Criteria.from_args(args))

    print("search core alone (Searcher.search or trends.trend, same criteria):")
    for kind, batch in urls.items():
        report(kind, measure(core, batch))

    if args.http:
        from waitress.server import create_server

        server = create_server(app, host="127.0.0.1", port=0, threads=4)
        threading.Thread(target=server.run, daemon=True).start()
        base = f"http://127.0.0.1:{server.effective_port}"

        def over_http(url):
            with urllib.request.urlopen(base + url) as response:
                response.read()

        print("over HTTP (waitress, same process):")
        for kind, batch in urls.items():
            report(kind, measure(over_http, batch))
        # (no server.close(): the daemon thread ends with the process; closing races its trigger)
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
