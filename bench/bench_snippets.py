"""Time search snippets per hit on real article bodies, for typical query kinds.

    python bench/bench_snippets.py [--corpus PATH] [--count 1000]

Reads `count` bodies (content_original) from an AllSides JSONL file, then for each query
kind cuts a snippet of every body, ten hits per query as a results page does (the query's
terms are built once per page), and prints the mean and p95 milliseconds per hit.
"""

from __future__ import annotations

import argparse
import gzip
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.search.highlight import snippet
from archive.search.parsing import parse
from archive.search.spans import terms_of

DEFAULT_CORPUS = "/work/shared/corpus/allsides/articles-00.jsonl.gz"
QUERIES = {
    "common term": "president",
    "rare term": "walesa",
    "phrase": '"white house"',
    "common phrase": '"said in a"',  # short words: a key in most words of a text
    "prefix": "immig*",
    "AND (2 terms)": "elections trump",
}
PAGE = 10


def read_bodies(path: str, count: int) -> list[str]:
    """Return the first `count` non-empty bodies of a JSONL(.gz) file."""
    bodies: list[str] = []
    opener = gzip.open if path.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as lines:
        for line in lines:
            body = json.loads(line).get("content_original") or ""
            if body.strip():
                bodies.append(body)
                if len(bodies) == count:
                    break
    return bodies


def time_kind(query: str, bodies: list[str]) -> list[float]:
    """Return seconds per hit for one query over all bodies, fresh terms per page."""
    per_hit: list[float] = []
    for page_start in range(0, len(bodies), PAGE):
        page = bodies[page_start : page_start + PAGE]
        started = time.perf_counter()
        terms = terms_of(parse(query))
        for body in page:
            snippet(body, terms)
        per_hit.append((time.perf_counter() - started) / len(page))
    return per_hit


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=DEFAULT_CORPUS)
    parser.add_argument("--count", type=int, default=1000)
    args = parser.parse_args()
    bodies = read_bodies(args.corpus, args.count)
    size = statistics.mean(map(len, bodies))
    print(f"{len(bodies):,} bodies, mean {size:,.0f} chars")
    print(f"{'query kind':16} {'query':18} {'mean ms/hit':>12} {'p95 ms/hit':>11}")
    for kind, query in QUERIES.items():
        time_kind(query, bodies[:PAGE])  # warm caches (stems, folding table)
        times = sorted(time_kind(query, bodies))
        mean = statistics.mean(times) * 1000
        p95 = times[int(0.95 * (len(times) - 1))] * 1000
        print(f"{kind:16} {query:18} {mean:12.3f} {p95:11.3f}")


if __name__ == "__main__":
    main()
