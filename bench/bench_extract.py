"""Measure extraction throughput on 3 KB news articles and the memory it takes.

Reads AllSides articles from ../shared/corpus, cuts each to about 3 KB at a sentence end,
and runs enrich() in one process and with worker processes.
Run: .venv/bin/python bench/bench_extract.py [--articles 1000] [--workers 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.extract import enrich
from archive.models import Article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "allsides" / "articles-00.jsonl.gz"


def articles(limit: int, size: int = 3000) -> list[Article]:
    """Return up to limit articles cut to about size characters at a sentence end."""
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
        for line in stream:
            record = json.loads(line)
            body = record["content_original"]
            if len(body) < size:
                continue
            cut = body.rfind(". ", 0, size)
            out.append(
                Article(
                    title=record["title"],
                    body=body[: cut + 1 if cut > 0 else size],
                    cited_outlets=[record["source"], record["source_url"]],
                )
            )
            if len(out) >= limit:
                break
    return out


def cpu_seconds() -> float:
    """Return CPU time used by this process and its finished children."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(batch: list[Article], workers: int) -> tuple[float, float]:
    """Return (articles per wall second, articles per CPU second) for one enrich() pass.

    Other work on a shared machine steals wall time; CPU time shows what the cores can do.
    """
    started, cpu = time.perf_counter(), cpu_seconds()
    done = sum(1 for _ in enrich(batch, workers=workers))
    return done / (time.perf_counter() - started), done / (cpu_seconds() - cpu)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (../shared is only beside a developer or CI checkout)")
        return 0
    batch = articles(args.articles)
    mean = sum(len(a.title) + len(a.body) for a in batch) / len(batch)
    print(f"{len(batch)} articles, mean {mean:.0f} characters, {os.cpu_count()} CPUs")
    print(f"  load average before: {os.getloadavg()[0]:.1f}")
    wall, per_cpu = run(batch[: min(len(batch), 300)], workers=1)
    print(f"  1 process : {wall:6.1f} articles/s wall, {per_cpu:6.1f} per CPU-second")
    wall, per_cpu = run(batch, workers=args.workers)
    print(
        f"  {args.workers} workers : {wall:6.1f} articles/s wall (includes starting the workers), "
        f"{per_cpu:6.1f} per CPU-second -> {per_cpu * (os.cpu_count() or 1):.0f}/s on idle cores"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  peak memory: main {own:.0f} MB + {args.workers} x worker {child:.0f} MB "
        f"= {own + args.workers * child:.0f} MB at most"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
