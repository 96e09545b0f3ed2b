"""Benchmark the search core against SQLite FTS5 + GROUP BY over the same articles.

    python bench/bench_search.py [--count 100000] [--corpus PATH] [--queries 50] [--home DIR]

Prints store-load, update_index and reindex rates, then median/p95 latency of six query
kinds (each with every facet count) for us and for FTS5, their ratios, and the RSS of the
query process (a separate process that only opens the index and searches).
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.config import Config
from archive.index import schema as S
from archive.index import text as T
from archive.index.maintenance import open_live, reindex, update_index
from archive.index.packfile import read_pack
from archive.models import content_hash
from archive.store import Store

KINDS = (
    "common term",
    "rare term",
    "AND (2 terms)",
    "phrase",
    "person filter",
    "date range + term",
    "broad (>50%)",
)


def fill_store(config: Config, count: int, corpus: str | None) -> tuple[Store, float]:
    started = time.monotonic()
    if corpus:
        from archive.ingest import ingest_paths

        ingest_paths(config, [corpus], index=False, run_extraction=False)
        store = Store(config.store_path)
        store.db.execute("UPDATE articles SET outlets = cited_outlets WHERE outlets = '[]'")
    else:
        from archive.generate import generate_articles

        store = Store(config.store_path)
        batch = []
        for article in generate_articles(count, seed=42):
            batch.append((article, content_hash(article)))
            if len(batch) == 5000:
                store.write_batch(batch, [], "bench")
                batch = []
        store.write_batch(batch, [], "bench")
    return store, store.count() / (time.monotonic() - started)


def rare_band(config: Config, lo: int = 5, hi: int = 50) -> tuple[list[str], str]:
    """Return body terms (stems) with document frequency in [lo, hi] from the index's term
    statistics, or the rarest tenth of the vocabulary when the corpus has none, and a note."""
    dfs = [(t, n) for t, n in body_dfs(config) if t.isalpha() and len(t) > 3]
    band = [t for t, n in dfs if lo <= n <= hi]
    if band:
        return band, f"rare terms: document frequency {lo}-{hi} ({len(band):,} terms)"
    dfs.sort(key=lambda r: r[1])
    tail = dfs[: max(1, len(dfs) // 10)]
    return [t for t, _ in tail], (
        f"rare terms: no body term has document frequency {lo}-{hi} "
        f"(vocabulary {len(dfs):,}); used the rarest tenth, df "
        f"{tail[0][1]:,}-{tail[-1][1]:,}"
    )


def body_dfs(config: Config) -> list[tuple[str, int]]:
    """Return each body term's document frequency: from the index's packs, which alone hold
    the text postings of the segments a reindex writes, else from Whoosh's term statistics."""
    counts: Counter[str] = Counter()
    for path in sorted(config.index_path.resolve().glob("*.nar")):
        pack = read_pack(path)
        if pack is None or S.BODY not in pack.meta.get("fields", []):
            continue
        blob = pack.array(f"{S.BODY}.terms").tobytes()
        toff = pack.array(f"{S.BODY}.toff").tolist()
        dfs = np.diff(pack.array(f"{S.BODY}.pstart")).tolist()
        for start, end, df in zip(toff, toff[1:], dfs):
            counts[blob[start:end].decode("utf-8")] += df
    if counts:
        return list(counts.items())
    ix = open_live(config)
    with ix.reader() as reader:
        found = [(t.decode("utf-8"), i.doc_frequency()) for t, i in reader.iter_field(S.BODY)]
    ix.close()
    return found


def pick_queries(store: Store, config: Config, n: int, seed: int = 1) -> tuple[dict, str]:
    """Choose n queries of each kind: words from a sample of stored articles, rare terms
    from the index's term statistics."""
    rng = random.Random(seed)
    rows = store.db.execute("SELECT body, people, date FROM articles").fetchall()
    sample = rng.sample(rows, min(3000, len(rows)))
    df = Counter()
    for body, _, _ in sample:
        df.update({w for w in T.words(body) if w.isalpha() and len(w) > 3})
    total = len(sample)
    band = lambda lo, hi: sorted(w for w, c in df.items() if lo <= c / total < hi)  # noqa: E731
    common, broad = band(0.05, 0.3), band(0.5, 0.95)
    stems, note = rare_band(config)
    # Query with a surface word that stems to the rare stem (the stem itself may not).
    surface = {T.STEMS[w]: w for w in df if T.STEMS[w] in set(stems)}
    rare = sorted(surface.get(t, t) for t in stems if T.STEMS[surface.get(t, t)] == t)
    people = Counter(p for _, ps, _ in rows for p in json.loads(ps))
    years = sorted({d[:4] for _, _, d in rows if d})
    phrases = []
    while len(phrases) < n:
        words = T.words(rng.choice(sample)[0])
        if len(words) > 10:
            start = rng.randrange(len(words) - 3)
            phrases.append(" ".join(words[start : start + 3]))
    pick = lambda seq: [rng.choice(seq) for _ in range(n)] if seq else []  # noqa: E731
    top_people = [p for p, _ in people.most_common(200)]
    return {
        "common term": [{"q": w} for w in pick(common)],
        "rare term": [{"q": w} for w in pick(rare)],
        "AND (2 terms)": [{"q": f"{a} {b}"} for a, b in zip(pick(common), pick(common))],
        "phrase": [{"q": f'"{p}"'} for p in phrases],
        "person filter": [{"people": [p]} for p in pick(top_people)],
        "date range + term": [
            {"q": w, "date_from": y, "date_to": y} for w, y in zip(pick(common), pick(years))
        ],
        "broad (>50%)": [{"q": w} for w in pick(broad)],
    }, note


def summarise(times: list[float]) -> tuple[float, float]:
    ordered = sorted(times)
    return statistics.median(ordered) * 1000, ordered[int(0.95 * (len(ordered) - 1))] * 1000


def peak_rss_mb() -> float:
    """Return this process's peak resident set in MB.

    VmHWM belongs to the process image, so it starts afresh at exec; ru_maxrss does not
    (Linux carries the forking parent's peak over exec, which inflated earlier figures).
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def to_criteria(query: dict):
    """Build Criteria from a stored query: "people" is the people facet's selection."""
    from archive.search import Criteria

    plain = {k: v for k, v in query.items() if k != "people"}
    return Criteria(**plain, selected={"people": tuple(query.get("people", ()))})


def query_worker(home: str, queries_file: str) -> None:
    """Run in a fresh process: open the searcher, time every query, report RSS."""
    from archive.search import Searcher

    started = time.monotonic()
    searcher = Searcher(Config(Path(home)))
    opened = time.monotonic() - started
    queries = json.loads(Path(queries_file).read_text())
    out = {"open_s": opened, "kinds": {}}
    for kind, items in queries.items():
        criteria = [to_criteria(q) for q in items]
        for c in criteria[:3]:
            searcher.search(c)  # warm-up
        times, totals = [], []
        for c in criteria:
            t = time.perf_counter()
            results = searcher.search(c)
            times.append(time.perf_counter() - t)
            totals.append(results.total)
        out["kinds"][kind] = {
            "times": times,
            "mean_total": statistics.mean(totals) if totals else 0,
        }
    out["rss_mb"] = peak_rss_mb()
    print(json.dumps(out))


def build_fts(store: Store, path: Path) -> tuple[sqlite3.Connection, float]:
    started = time.monotonic()
    db = sqlite3.connect(path)
    db.executescript("""
        PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;
        CREATE VIRTUAL TABLE docs USING fts5(
            title, body, tokenize='porter unicode61 remove_diacritics 2');
        CREATE TABLE meta(
            rowid INTEGER PRIMARY KEY, date TEXT, year TEXT, month TEXT, section TEXT);
        CREATE TABLE people(rowid INTEGER, value TEXT);
        CREATE TABLE outlets(rowid INTEGER, value TEXT);
    """)
    rows = store.db.execute("SELECT title, body, date, section, people, outlets FROM articles")
    for n, (title, body, date, section, people, outlets) in enumerate(rows, 1):
        db.execute("INSERT INTO docs(rowid, title, body) VALUES (?, ?, ?)", (n, title, body))
        db.execute(
            "INSERT INTO meta VALUES (?, ?, ?, ?, ?)",
            (n, date, date[:4] if date else None, date[:7] if date else None, section),
        )
        db.executemany("INSERT INTO people VALUES (?, ?)", [(n, p) for p in json.loads(people)])
        db.executemany("INSERT INTO outlets VALUES (?, ?)", [(n, o) for o in json.loads(outlets)])
    db.commit()
    db.executescript("""
        CREATE INDEX people_r ON people(rowid); CREATE INDEX people_v ON people(value);
        CREATE INDEX outlets_r ON outlets(rowid); CREATE INDEX meta_d ON meta(date);
    """)
    db.commit()
    count = store.count()
    return db, count / (time.monotonic() - started)


def time_fts(fts: sqlite3.Connection, items: list) -> list[float]:
    """Run each query once after three warm-ups; return each one's seconds."""
    for q in items[:3]:
        fts_search(fts, q)
    times = []
    for q in items:
        started = time.perf_counter()
        fts_search(fts, q)
        times.append(time.perf_counter() - started)
    return times


def fts_search(db: sqlite3.Connection, q: dict) -> int:
    """One FTS5 search with the same facets: total, top 20 by rank, five GROUP BYs."""
    if "people" in q:
        match = "SELECT rowid FROM people WHERE value = ?"
        args: tuple = (q["people"][0],)
        order = (
            "SELECT p.rowid FROM people p JOIN meta USING(rowid) WHERE p.value = ? "
            "ORDER BY meta.date DESC LIMIT 20"
        )
    else:
        args = (q["q"].replace("'", " "),)
        match = "SELECT rowid FROM docs WHERE docs MATCH ?"
        order = "SELECT rowid FROM docs WHERE docs MATCH ? ORDER BY rank LIMIT 20"
        if "date_from" in q:
            args += (q["date_from"], str(int(q["date_to"]) + 1))
            match = (
                "SELECT docs.rowid FROM docs JOIN meta ON meta.rowid = docs.rowid "
                "WHERE docs MATCH ? AND meta.date >= ? AND meta.date < ?"
            )
            order = match + " ORDER BY rank LIMIT 20"
    total = db.execute(f"SELECT COUNT(*) FROM ({match})", args).fetchone()[0]
    page = [r[0] for r in db.execute(order, args)]
    if "people" not in q and page:
        # Snippets for the page only, as our searcher does.
        marks = ",".join("?" * len(page))
        db.execute(
            "SELECT rowid, snippet(docs, 1, '<mark>', '</mark>', '…', 30) FROM docs "
            f"WHERE docs MATCH ? AND rowid IN ({marks})",
            (args[0], *page),
        ).fetchall()
    with_m = f"WITH m AS MATERIALIZED ({match}) "
    for table, column in (
        ("people", "value"),
        ("outlets", "value"),
        ("meta", "section"),
        ("meta", "year"),
        ("meta", "month"),
    ):
        db.execute(
            with_m + f"SELECT t.{column}, COUNT(*) AS n FROM m JOIN {table} t USING(rowid) "
            f"GROUP BY t.{column} ORDER BY n DESC LIMIT 30",
            args,
        ).fetchall()
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--corpus", help="ingest real articles from PATH instead of generating")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--home", help="work directory (default: a temporary one)")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="reuse the store and index already in --home (queries only)",
    )
    parser.add_argument("--query-worker", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.query_worker:
        return query_worker(*args.query_worker)
    if args.home:
        return run(args, Path(args.home))
    with tempfile.TemporaryDirectory(prefix="bench-search-") as scratch:
        return run(args, Path(scratch))  # a temporary archive leaves nothing behind


def run(args: argparse.Namespace, home: Path) -> None:
    """Build (unless --reuse) the archive in home, time the queries, print the table."""
    config = Config(home)
    print(f"work directory: {home}", flush=True)
    if args.reuse:
        store, load_rate, update_rate, stats = Store(config.store_path), 0.0, 0.0, None
    else:
        store, load_rate = fill_store(config, args.count, args.corpus)
        print(f"store loaded: {store.count()} articles at {load_rate:,.0f}/s", flush=True)
        sample_ids = sorted(store.ids())[:2000]
        started = time.monotonic()
        update_index(config, store, sample_ids)
        update_rate = len(sample_ids) / (time.monotonic() - started)
        stats = reindex(config, store, workers=args.workers)
        print(f"reindex: {stats.rate:,.0f}/s", flush=True)
    count = store.count()
    queries, rare_note = pick_queries(store, config, args.queries)
    queries_file = home / "queries.json"
    queries_file.write_text(json.dumps(queries))
    worker = subprocess.run(
        [sys.executable, __file__, "--query-worker", str(home), str(queries_file)],
        capture_output=True,
        text=True,
        check=True,
    )
    ours = json.loads(worker.stdout.strip().splitlines()[-1])
    if args.reuse and (home / "fts.sqlite3").exists():
        fts, fts_rate = sqlite3.connect(home / "fts.sqlite3"), 0.0
    else:
        fts, fts_rate = build_fts(store, home / "fts.sqlite3")
    if fts_rate:
        print(f"FTS5 built at {fts_rate:,.0f}/s", flush=True)
    print()
    print(f"articles: {count:,}   (avg body {_avg_body(store):,.0f} chars)")
    if stats is not None:
        print(f"store load (no NER):          {load_rate:10,.0f} articles/s")
        print(
            f"update_index (ingest path):   {update_rate:10,.0f} articles/s"
            "  (2,000 articles, stock writer)"
        )
        print(
            f"reindex ({stats.workers} workers, {stats.segments} segments):"
            f" {stats.rate:8,.0f} articles/s  ({stats.articles:,} in {stats.seconds:.1f} s)"
        )
    live = config.index_path.resolve()
    packs = sum(p.stat().st_size for p in live.glob("*.nar"))
    whoosh = sum(p.stat().st_size for p in live.iterdir() if p.suffix != ".nar")
    print(
        f"index on disk:                {whoosh / 2**20:10,.0f} MB Whoosh"
        f" + {packs / 2**20:,.0f} MB packs"
    )
    if fts_rate:
        print(f"FTS5 build:                   {fts_rate:10,.0f} articles/s")
    print(f"searcher open:                {ours['open_s']:10.2f} s")
    print(f"query process max RSS:        {ours['rss_mb']:10.0f} MB")
    print(rare_note)
    print()
    print(
        f"{'query (with all facets)':24} {'hits':>8} {'ours med':>9} {'ours p95':>9} "
        f"{'FTS5 med':>9} {'FTS5 p95':>9} {'ratio med':>9} {'ratio p95':>9}"
    )
    for kind in KINDS:
        items = queries[kind]
        if not items:
            print(f"{kind:24} (no suitable queries in this corpus)")
            continue
        mine = ours["kinds"][kind]
        times = time_fts(fts, items)
        om, op = summarise(mine["times"])
        fm, fp = summarise(times)
        print(
            f"{kind:24} {mine['mean_total']:8,.0f} {om:8.1f}ms {op:8.1f}ms {fm:8.1f}ms {fp:8.1f}ms "
            f"{om / fm:9.2f} {op / fp:9.2f}"
        )
    print("\nratio = ours / FTS5 (below 1 means faster than FTS5)")


def _avg_body(store: Store) -> float:
    return store.db.execute("SELECT AVG(LENGTH(body)) FROM articles").fetchone()[0] or 0


if __name__ == "__main__":
    main()
