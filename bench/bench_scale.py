"""Benchmark the archive at scale on news remixed from real articles.

    python bench/bench_scale.py [--count 100000] [--corpus DIR] [--queries 100] [--no-fts]

Writes --count articles remixed from the real AllSides articles of --corpus (default
../shared/corpus/allsides; fictional generated text when it is absent) straight into a
store, then prints: generation rate, ingest-to-searchable time without extraction (store
load + reindex), reindex articles/s and peak memory, index size against the raw text,
searcher open time and query-process memory, p50/p95/p99 per query kind with every facet
counted, the FTS5 baseline on the kinds it can run, and a small incremental ingest (1,000
articles) with the time until they are searchable. Percentiles are nearest-rank over
the --queries queries of each kind (FTS5's over its first FTS_QUERIES: at a million
articles its GROUP BY counts take seconds a query).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import KINDS as FTS_KINDS
from bench_search import body_dfs, build_fts, peak_rss_mb, rare_band, time_fts, to_criteria

from archive.config import Config
from archive.index import text as T
from archive.index.maintenance import reindex, update_index
from archive.models import Article, content_hash
from archive.store import Store

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus" / "allsides"
BATCH = 5000
INCREMENT = 1000
DEEP_PAGE = 500
FTS_QUERIES = 25  # FTS5 baseline queries per kind (see _fts_sample)
PREFIX_TERMS = 1000  # a prefix query should expand to at least this many terms
KINDS = (
    *FTS_KINDS[:3],
    "OR (10 terms)",
    *FTS_KINDS[3:],
    "prefix",
    "more-like-this",
    f"deep page ({DEEP_PAGE})",
)


def load_source(corpus: Path | None) -> Any:
    """Read the real articles to remix (None: fictional text will be generated)."""
    if corpus is None:
        return None
    from archive.remix import load_pool

    return load_pool([corpus])


def articles(count: int, pool: Any, seed: int) -> Iterator[Article]:
    """Yield count articles remixed from the pool, or fictional ones without one."""
    if pool is not None:
        from archive.remix import remix_articles

        yield from remix_articles(pool, count, seed)
    else:
        from archive.generate import generate_articles

        yield from generate_articles(count, seed)


def fill_store(store: Store, source: Iterator[Article]) -> tuple[int, float, float]:
    """Write the articles in batches; return their number, generation and write seconds."""
    made = written = 0.0
    total = 0
    while True:
        started = time.perf_counter()
        batch = [(a, content_hash(a)) for _, a in zip(range(BATCH), source)]
        made += time.perf_counter() - started
        if not batch:
            return total, made, written
        started = time.perf_counter()
        store.write_batch(batch, [], "bench")
        written += time.perf_counter() - started
        total += len(batch)


def reindex_worker(home: str, workers: int) -> None:
    """Run in a fresh process: rebuild the index, report time and peak memory."""
    config = Config(Path(home))
    stats = reindex(config, Store(config.store_path), workers=workers)
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "seconds": stats.seconds,
                "rate": stats.rate,
                "segments": stats.segments,
                "workers": stats.workers,
                "rss_mb": peak_rss_mb(),
                "child_rss_mb": children,
            }
        )
    )


def percentile(ordered: list[float], share: float) -> float:
    """Nearest-rank percentile of sorted values, in milliseconds."""
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] * 1000


def body_sample(store: Store, size: int, rng: random.Random) -> list[str]:
    """Return the bodies of a random sample of stored articles (rowids are dense)."""
    top = store.db.execute("SELECT MAX(rowid) FROM articles").fetchone()[0] or 0
    rowids = rng.sample(range(1, top + 1), min(size, top))
    marks = ",".join("?" * len(rowids))
    return [
        r[0]
        for r in store.db.execute(f"SELECT body FROM articles WHERE rowid IN ({marks})", rowids)
    ]


def prefixes(config: Config, wanted: int) -> tuple[list[str], str]:
    """Return prefixes (3 letters, else 2) expanding to >= PREFIX_TERMS body terms, and a note."""
    terms = [term for term, _ in body_dfs(config)]  # the packs hold the text postings
    for size in (3, 2):
        counts = Counter(t[:size] for t in terms if t[:size].isalpha() and len(t) > size)
        big = [p for p, n in counts.most_common() if n >= PREFIX_TERMS]
        if big:
            return (
                big,
                f"prefixes: {len(big)} of {size} letters expand to >= {PREFIX_TERMS:,} terms",
            )
    top = counts.most_common(min(wanted, 10))
    return [p for p, _ in top], (
        f"prefixes: none expands to {PREFIX_TERMS:,} body terms; used the {len(top)} largest "
        f"({top[-1][1]:,}-{top[0][1]:,} terms)"
    )


def pick_queries(store: Store, config: Config, n: int, seed: int = 1) -> tuple[dict, list[str]]:
    """Choose n queries of each kind from a sample of the archive and its term statistics."""
    rng = random.Random(seed)
    sample = body_sample(store, 3000, rng)
    df: Counter[str] = Counter()
    for body in sample:
        df.update({w for w in T.words(body) if w.isalpha() and len(w) > 3})

    def band(lo: float, hi: float) -> list[str]:
        return sorted(w for w, c in df.items() if lo <= c / len(sample) < hi)

    common, broad = band(0.05, 0.3), band(0.5, 0.95)
    stems, rare_note = rare_band(config)
    surface = {T.STEMS[w]: w for w in df if T.STEMS[w] in set(stems)}
    rare = sorted(surface.get(t, t) for t in stems)
    people: Counter[str] = Counter()
    for (names,) in store.db.execute("SELECT people FROM articles"):
        people.update(json.loads(names))
    years = [r[0] for r in store.db.execute("SELECT DISTINCT substr(date, 1, 4) FROM articles")]
    years = sorted(y for y in years if y)
    phrases = []
    while len(phrases) < n:
        words = T.words(rng.choice(sample))
        if len(words) > 10:
            start = rng.randrange(len(words) - 3)
            phrases.append(" ".join(words[start : start + 3]))
    pick = lambda seq: [rng.choice(seq) for _ in range(n)] if seq else []  # noqa: E731
    top_people = [p for p, _ in people.most_common(200)]
    prefix_list, prefix_note = prefixes(config, n)
    ids = [
        r[0] for r in store.db.execute("SELECT id FROM articles ORDER BY random() LIMIT ?", (n,))
    ]
    return {
        "common term": [{"q": w} for w in pick(common)],
        "rare term": [{"q": w} for w in pick(rare)],
        "AND (2 terms)": [{"q": f"{a} {b}"} for a, b in zip(pick(common), pick(common))],
        "OR (10 terms)": [{"q": " OR ".join(rng.sample(common, 10))} for _ in range(n)]
        if len(common) >= 10
        else [],
        "phrase": [{"q": f'"{p}"'} for p in phrases],
        "person filter": [{"people": [p]} for p in pick(top_people)],
        "date range + term": [
            {"q": w, "date_from": y, "date_to": y} for w, y in zip(pick(common), pick(years))
        ],
        "broad (>50%)": [{"q": w} for w in pick(broad)],
        "prefix": [{"q": f"{p}*"} for p in pick(prefix_list)],
        "more-like-this": [{"like": i} for i in ids],
        f"deep page ({DEEP_PAGE})": [{"q": w, "page": DEEP_PAGE} for w in pick(broad)],
    }, [rare_note, prefix_note]


def query_worker(home: str, queries_file: str) -> None:
    """Run in a fresh process: open the searcher, time every query, report RSS."""
    from archive.search import Searcher

    started = time.monotonic()
    searcher = Searcher(Config(Path(home)))
    opened = time.monotonic() - started
    queries = load_queries(Path(queries_file))["queries"]
    out: dict[str, Any] = {"open_s": opened, "kinds": {}}
    for kind, items in queries.items():
        run = [_runner(searcher, q) for q in items]
        for call in run[:3]:
            call()  # warm-up
        times, totals = [], []
        for call in run:
            t = time.perf_counter()
            totals.append(call())
            times.append(time.perf_counter() - t)
        out["kinds"][kind] = {"times": times, "mean_total": sum(totals) / max(1, len(totals))}
    out["rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def load_queries(path: Path) -> dict[str, Any]:
    """Read a run's queries.json: {"queries": {kind: [query]}, "notes": [...]}."""
    saved = json.loads(path.read_text())
    # Runs before --reuse existed wrote the queries alone.
    return saved if "queries" in saved else {"queries": saved, "notes": []}


def _runner(searcher: Any, query: dict[str, Any]) -> Any:
    if "like" in query:
        return lambda: len(searcher.more_like_this(query["like"], limit=10))
    criteria = to_criteria(query)
    return lambda: searcher.search(criteria).total


def incremental(config: Config, store: Store, pool: Any, seed: int) -> float:
    """Store INCREMENT new articles, then time update_index until they are searchable."""
    batch = [(a, content_hash(a)) for a in articles(INCREMENT, pool, seed + 1000)]
    for article, _ in batch:
        article.source = f"increment-{article.source}"
    store.write_batch(batch, [], "bench")
    started = time.monotonic()
    update_index(config, store, [a.id for a, _ in batch])
    return time.monotonic() - started


def run_json(*args: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def sizes(config: Config, store: Store) -> tuple[float, float, float]:
    """Return the index's Whoosh and pack megabytes and the raw text megabytes."""
    live = config.index_path.resolve()
    packs = sum(p.stat().st_size for p in live.glob("*.nar"))
    whoosh = sum(p.stat().st_size for p in live.iterdir() if p.suffix != ".nar")
    raw = store.db.execute(
        "SELECT SUM(LENGTH(CAST(title AS BLOB)) + LENGTH(CAST(body AS BLOB))) FROM articles"
    ).fetchone()[0]
    return whoosh / 2**20, packs / 2**20, (raw or 0) / 2**20


def fts_times(store: Store, home: Path, queries: dict) -> tuple[dict[str, list[float]], float]:
    """Build the FTS5 baseline and time the kinds it can run; return times and build rate."""
    fts, rate = build_fts(store, home / "fts.sqlite3")
    return {kind: time_fts(fts, _fts_sample(queries[kind])) for kind in FTS_KINDS}, rate


def _fts_sample(items: list[Any]) -> list[Any]:
    # FTS5's GROUP BY counts take seconds per query at a million articles: the baseline's
    # p95 is taken over the first FTS_QUERIES queries of each kind only.
    return items[:FTS_QUERIES]


def fts_times_of(path: Path, queries: dict) -> dict[str, list[float]]:
    """Time the FTS5 baseline a previous run built at path."""
    fts = sqlite3.connect(path)
    return {kind: time_fts(fts, _fts_sample(queries[kind])) for kind in FTS_KINDS}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--queries", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--home", help="work directory (default: a temporary one)")
    parser.add_argument("--no-fts", action="store_true", help="skip the FTS5 baseline")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="query the archive and queries a previous run left in --home (no build, no"
        " incremental ingest), e.g. to compare code changes on one archive",
    )
    parser.add_argument("--query-worker", nargs=2, help=argparse.SUPPRESS)
    parser.add_argument("--reindex-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_worker:
        return query_worker(*args.query_worker)
    if args.reindex_worker:
        return reindex_worker(args.reindex_worker[0], int(args.reindex_worker[1]))
    home = Path(args.home or tempfile.mkdtemp(prefix="bench-scale-"))
    config = Config(home)
    corpus = args.corpus if args.corpus and Path(args.corpus).exists() else None
    print(f"work directory: {home}", flush=True)
    print(f"text: {'remixed from ' + str(corpus) if corpus else 'generated (no corpus)'}")
    started = time.perf_counter()
    pool = load_source(corpus)
    read_s = time.perf_counter() - started
    if args.reuse:
        return reuse(config, args.no_fts)
    store = Store(config.store_path)
    started = time.perf_counter()
    count, made, written = fill_store(store, articles(args.count, pool, args.seed))
    print(f"stored {count:,} articles in {time.perf_counter() - started:.1f} s", flush=True)
    built = run_json("--reindex-worker", str(home), str(args.workers))
    print(f"reindex: {built['rate']:,.0f}/s", flush=True)
    queries, notes = pick_queries(store, config, args.queries)
    queries_file = home / "queries.json"
    queries_file.write_text(json.dumps({"queries": queries, "notes": notes}))
    ours = run_json("--query-worker", str(home), str(queries_file))
    whoosh_mb, packs_mb, raw_mb = sizes(config, store)
    fts: dict[str, list[float]] = {}
    fts_rate = 0.0
    if not args.no_fts:
        fts, fts_rate = fts_times(store, home, queries)
    increment_s = incremental(config, store, pool, args.seed)
    print()
    print(f"articles: {count:,}   (avg body {_avg_body(store):,.0f} chars)")
    if pool is not None:
        print(f"real articles read to remix:  {len(pool.sources):10,} in {read_s:.1f} s")
    print(f"remix/generate:               {count / made:10,.0f} articles/s")
    print(f"store load (no extraction):   {count / written:10,.0f} articles/s ({written:.1f} s)")
    print(
        f"reindex ({built['workers']} workers, {built['segments']} segments):"
        f" {built['rate']:8,.0f} articles/s  ({built['seconds']:.1f} s)"
    )
    print(f"ingest-to-searchable:         {written + built['seconds']:10.1f} s (load + reindex)")
    print(
        f"reindex peak RSS:             {built['rss_mb']:10,.0f} MB main,"
        f" {built['child_rss_mb']:,.0f} MB largest worker"
    )
    total_mb = whoosh_mb + packs_mb
    print(
        f"index on disk:                {total_mb:10,.0f} MB ({whoosh_mb:,.0f} Whoosh +"
        f" {packs_mb:,.0f} packs) = {total_mb / raw_mb:.2f}x raw text ({raw_mb:,.0f} MB)"
    )
    print(f"searcher open:                {ours['open_s']:10.2f} s")
    print(f"query process max RSS:        {ours['rss_mb']:10,.0f} MB")
    if fts_rate:
        print(f"FTS5 build:                   {fts_rate:10,.0f} articles/s")
    print(f"incremental: {INCREMENT:,} articles searchable {increment_s:.1f} s after storing")
    for note in notes:
        print(note)
    print_table(ours, fts)


def reuse(config: Config, no_fts: bool) -> None:
    """Time the queries of a previous run on its archive again (--reuse)."""
    home = config.home
    queries_file = home / "queries.json"
    if not queries_file.exists() or not config.store_path.exists():
        raise SystemExit(f"--reuse: no archive and queries.json of a previous run in {home}")
    store = Store(config.store_path)
    count = store.db.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
    saved = load_queries(queries_file)
    ours = run_json("--query-worker", str(home), str(queries_file))
    fts: dict[str, list[float]] = {}
    fts_path = home / "fts.sqlite3"
    if not no_fts and fts_path.exists():
        fts = fts_times_of(fts_path, saved["queries"])
    print(f"\narticles: {count:,} (reused archive, queries of the previous run)")
    print(f"searcher open:                {ours['open_s']:10.2f} s")
    print(f"query process max RSS:        {ours['rss_mb']:10,.0f} MB")
    for note in saved["notes"]:
        print(note)
    print_table(ours, fts)


def print_table(ours: dict[str, Any], fts: dict[str, list[float]]) -> None:
    """Print p50/p95/p99 per kind with the FTS5 p95 and ratio where FTS5 ran."""
    print()
    print(
        f"{'query (with all facets)':24} {'hits':>9} {'p50':>8} {'p95':>8} {'p99':>8}"
        f" {'FTS5 p95':>9} {'ratio p95':>9}"
    )
    for kind in KINDS:
        mine = ours["kinds"].get(kind)
        if not mine or not mine["times"]:
            print(f"{kind:24} (no suitable queries in this corpus)")
            continue
        ordered = sorted(mine["times"])
        p95 = percentile(ordered, 0.95)
        line = (
            f"{kind:24} {mine['mean_total']:9,.0f} {percentile(ordered, 0.5):6.1f}ms"
            f" {p95:6.1f}ms {percentile(ordered, 0.99):6.1f}ms"
        )
        if fts.get(kind):
            fts_p95 = percentile(sorted(fts[kind]), 0.95)
            line += f" {fts_p95:7.1f}ms {p95 / fts_p95:9.2f}"
        print(line)
    print("\nhits: mean total (more-like-this: hits returned); ratio = ours / FTS5")
    deep = ours["kinds"].get(f"deep page ({DEEP_PAGE})")
    if deep and deep["mean_total"] < DEEP_PAGE * 20:
        print(f"note: broad terms match fewer than {DEEP_PAGE * 20:,}: page {DEEP_PAGE} is empty")


def _avg_body(store: Store) -> float:
    return store.db.execute("SELECT AVG(LENGTH(body)) FROM articles").fetchone()[0] or 0


if __name__ == "__main__":
    main()
