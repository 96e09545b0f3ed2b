"""Time `/api/search` over HTTP on the 10,000 real AllSides articles against SQLite FTS5.

    python bench/bench_http.py [--home DIR] [--queries 50]

Without an archive in --home (or in a temporary home, the default) it ingests the real
articles of ../shared/corpus/allsides with the real CLI, extraction on, so the person
facet has values; with one there it reuses it (and its fts.sqlite3 if there). The queries
are bench_search.pick_queries' (same seed). It then starts the real server
(`newsarchive serve`, default workers, a free port) and times each query as a GET of
/api/search over ONE keep-alive connection, sequentially: client wall time until the whole
body is read. Every answer must be a 200 whose total equals the in-process search's.

In the same run it times FTS5 + GROUP BY in-process (bench_search.time_fts) and the
in-process `Searcher.search`, and prints per query kind:

    ratio = HTTP p95 / max(FTS5 p95, 5 ms)      ok when ratio <= 1.5 (issue 12), else over
    web   = HTTP p95 - Searcher.search p95      (HTTP, waitress, Flask, JSON: not the search)
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_search import (
    KINDS,
    build_fts,
    fts_search,
    pick_queries,
    summarise,
    time_fts,
    to_criteria,
)

from archive.config import Config
from archive.errors import IndexMissing
from archive.search import Searcher
from archive.store import Store

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "allsides"
FLOOR_MS = 5.0  # FTS5 p95 below this counts as 5 ms: nothing over HTTP answers faster
TARGET = 1.5  # issue 12: HTTP p95 at most 1.5x FTS5's
WARMUP = 3  # requests per kind before timing, as bench_search.time_fts warms FTS5
READY_SECONDS = 60.0  # how long the server may take to answer its first request


class KindTimes(NamedTuple):
    """One query kind's per-query seconds on each path and the totals the searcher found."""

    http: list[float]
    fts: list[float]
    searcher: list[float]
    totals: list[int]


def newsarchive_command() -> list[str]:
    """Return the real CLI: the console script beside this interpreter, else `-m archive`."""
    script = Path(sys.executable).parent / "newsarchive"
    return [str(script)] if script.exists() else [sys.executable, "-m", "archive"]


def ensure_archive(home: Path) -> None:
    """Ingest the real articles with extraction unless home already holds an archive."""
    config = Config(home)
    if Store.present(config.store_path):
        print(f"reusing the archive in {home}", flush=True)
        return
    exports = sorted(CORPUS.glob("articles-0*.jsonl.gz"))
    print(
        f"ingesting {len(exports)} AllSides exports into {home} with extraction "
        "(newsarchive ingest: this takes minutes)...",
        flush=True,
    )
    started = time.monotonic()
    command = [*newsarchive_command(), "ingest", "--home", str(home), *map(str, exports)]
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if done.returncode not in (0, 1):  # 1: some records rejected, the rest ingested
        raise SystemExit(f"ingest failed ({done.returncode}):\n{done.stderr[-2000:]}")
    print(f"ingested in {time.monotonic() - started:.0f} s", flush=True)


def open_searcher(home: Path) -> Searcher:
    """Open the searcher, reindexing with the CLI first when the index is missing or was
    written in an older format (the archive came from an earlier run)."""
    try:
        return Searcher(Config(home))
    except IndexMissing as exc:
        print(f"index unusable ({exc}): newsarchive reindex...", flush=True)
        subprocess.run([*newsarchive_command(), "reindex", "--home", str(home)], check=True)
        return Searcher(Config(home))


def open_fts(store: Store, home: Path) -> sqlite3.Connection:
    """Open home's FTS5 baseline, building it from the store when absent."""
    path = home / "fts.sqlite3"
    if path.exists():
        return sqlite3.connect(path)
    fts, rate = build_fts(store, path)
    print(f"FTS5 baseline built at {rate:,.0f} articles/s", flush=True)
    return fts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def running_server(home: Path) -> Iterator[int]:
    """Run `newsarchive serve` on a free port until the block ends; yield the port.

    The server is its own session, so stopping it reaches its forked workers too, even
    when the block ends by Ctrl-C or an error."""
    port = free_port()
    command = [*newsarchive_command(), "serve", "--home", str(home), "--port", str(port)]
    server = subprocess.Popen(
        command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
    )
    try:
        wait_until_answering(server, port)
        print(f"server on port {port} (pid {server.pid}) answering", flush=True)
        yield port
    finally:
        stop(server)


def wait_until_answering(server: subprocess.Popen[bytes], port: int) -> None:
    deadline = time.monotonic() + READY_SECONDS
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server exited at once (status {server.returncode})")
        try:
            status, _ = get(http.client.HTTPConnection("127.0.0.1", port, timeout=5), "/api/search")
            if status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise SystemExit(f"the server did not answer within {READY_SECONDS:.0f} s")


def stop(server: subprocess.Popen[bytes]) -> None:
    """Stop the server: SIGTERM to its parent (which stops its workers), then SIGKILL to
    whatever of its session is left."""
    with suppress(ProcessLookupError):
        os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(10)
    finally:
        with suppress(ProcessLookupError):
            os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def get(connection: http.client.HTTPConnection, path: str) -> tuple[int, bytes]:
    """GET path on the connection; return the status and the whole body."""
    connection.request("GET", path)
    response = connection.getresponse()
    return response.status, response.read()


def api_path(query: dict) -> str:
    """Return the /api/search URL the web form sends for a bench query (q, person, from, to)."""
    return "/api/search?" + urlencode(to_criteria(query).to_args())


def time_searcher(searcher: Searcher, items: list[dict]) -> tuple[list[float], list[int]]:
    """Run each query in-process after warm-ups; return its seconds and its total."""
    criteria = [to_criteria(q) for q in items]
    for c in criteria[:WARMUP]:
        searcher.search(c)
    times, totals = [], []
    for c in criteria:
        started = time.perf_counter()
        totals.append(searcher.search(c).total)
        times.append(time.perf_counter() - started)
    return times, totals


def time_http(
    connection: http.client.HTTPConnection, items: list[dict], totals: list[int]
) -> list[float]:
    """GET each query after warm-ups; return each one's seconds until its body was read.

    A non-200 answer or a total other than the in-process search's stops the bench: a
    broken request must not look fast."""
    paths = [api_path(q) for q in items]
    for path in paths[:WARMUP]:
        get(connection, path)
    times = []
    for path, expected in zip(paths, totals):
        started = time.perf_counter()
        status, body = get(connection, path)
        times.append(time.perf_counter() - started)
        if status != 200:
            raise SystemExit(f"{path}: status {status}: {body[:300]!r}")
        total = json.loads(body)["total"]
        if total != expected:
            raise SystemExit(f"{path}: total {total}, the in-process search found {expected}")
    return times


def measure_kind(
    connection: http.client.HTTPConnection,
    searcher: Searcher,
    fts: sqlite3.Connection,
    items: list[dict],
) -> KindTimes:
    """Time one kind's queries on the three paths, one after the other."""
    searcher_times, totals = time_searcher(searcher, items)
    http_times = time_http(connection, items, totals)
    fts_times = time_fts(fts, items)
    fts_totals = [fts_search(fts, q) for q in items]
    empty = sum(f > 0 and t == 0 for f, t in zip(fts_totals, totals))
    if empty:
        print(f"  note: {empty} queries find nothing here while FTS5 finds hits", flush=True)
    return KindTimes(http_times, fts_times, searcher_times, totals)


def print_table(results: dict[str, KindTimes], load_before: float) -> None:
    load_after = os.getloadavg()[0]
    print()
    print(
        f"/api/search over HTTP (1 keep-alive connection, sequential) vs FTS5 in-process; "
        f"{os.cpu_count()} CPUs, load average {load_before:.1f} before, {load_after:.1f} after"
    )
    print(
        f"{'query kind':20} {'hits':>7} {'HTTP p50':>9} {'HTTP p95':>9} {'FTS5 p50':>9} "
        f"{'FTS5 p95':>9} {'ratio':>6} {'':4} {'search p50':>10} {'search p95':>10} "
        f"{'web p95':>8}"
    )
    for kind, found in results.items():
        hp50, hp95 = summarise(found.http)
        fp50, fp95 = summarise(found.fts)
        sp50, sp95 = summarise(found.searcher)
        ratio = hp95 / max(fp95, FLOOR_MS)
        verdict = "ok" if ratio <= TARGET else "over"
        hits = sum(found.totals) / len(found.totals)
        print(
            f"{kind:20} {hits:7,.0f} {hp50:7.1f}ms {hp95:7.1f}ms {fp50:7.1f}ms {fp95:7.1f}ms "
            f"{ratio:6.2f} {verdict:4} {sp50:8.1f}ms {sp95:8.1f}ms {hp95 - sp95:6.1f}ms"
        )
    print(
        f"\nratio = HTTP p95 / max(FTS5 p95, {FLOOR_MS:.0f} ms), ok at most {TARGET}; "
        "search = Searcher.search in this process; web p95 = HTTP p95 - search p95"
    )


def run(home: Path, count: int) -> None:
    ensure_archive(home)
    config = Config(home)
    store = Store(config.store_path)
    searcher = open_searcher(home)
    try:
        print(f"archive: {store.count():,} articles in {home}", flush=True)
        queries, rare_note = pick_queries(store, config, count)
        print(rare_note, flush=True)
        fts = open_fts(store, home)
        load_before = os.getloadavg()[0]
        results: dict[str, KindTimes] = {}
        with running_server(home) as port:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            for kind in KINDS:
                if queries[kind]:
                    print(f"timing {kind}...", flush=True)
                    results[kind] = measure_kind(connection, searcher, fts, queries[kind])
                else:
                    print(f"{kind}: no suitable queries in this corpus", flush=True)
            connection.close()
        print_table(results, load_before)
    finally:
        searcher.close()
        store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--home", type=Path, help="archive to use or ingest into [temporary]")
    parser.add_argument("--queries", type=int, default=50, help="queries per kind [50]")
    args = parser.parse_args()
    has_archive = args.home and Store.present(Config(args.home).store_path)
    if not has_archive and not sorted(CORPUS.glob("articles-0*.jsonl.gz")):
        print(f"bench_http: {CORPUS} absent (../shared/corpus/allsides): skipped")
        return
    if args.home:
        return run(args.home, args.queries)
    with tempfile.TemporaryDirectory(prefix="bench-http-") as scratch:
        return run(Path(scratch), args.queries)


if __name__ == "__main__":
    main()
