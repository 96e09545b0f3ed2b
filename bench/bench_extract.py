"""Measure extraction throughput on real news articles and the memory it takes.

Reads AllSides articles from ../shared/corpus as ingest reads them (whole bodies: median
5 KB; --size N cuts each to about N characters at a sentence end instead) and runs enrich()
in one process and with worker processes, with the NER model chosen by --model.
Run: .venv/bin/python bench/bench_extract.py [--articles 1000] [--workers 2] [--model sm|md]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import select
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.extract import enrich, nlp
from archive.models import Article
from archive.readers.jsonfile import to_article

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
CORPUS = SHARED / "corpus" / "allsides" / "articles-00.jsonl.gz"


def articles(limit: int, size: int = 0) -> list[Article]:
    """Return the first limit articles; with size, those of at least size characters, cut
    to about size characters at a sentence end."""
    out = []
    with gzip.open(CORPUS, "rt", encoding="utf-8") as stream:
        for number, line in enumerate(stream, 1):
            article = to_article(json.loads(line), f"{CORPUS.name}#{number}", "")
            if not isinstance(article, Article):
                continue
            if size:
                if len(article.body) < size:
                    continue
                cut = article.body.rfind(". ", 0, size)
                article.body = article.body[: cut + 1 if cut > 0 else size]
            out.append(article)
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


def _pss_mb(pid: int) -> float:
    """Return a process's proportional set size in MB (shared pages split among sharers)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass  # the process ended, or no /proc (not Linux)
    return 0.0


def _children(pid: int) -> list[int]:
    kids = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            kids += [int(k) for k in task.read_text().split()]
        except OSError:
            continue
    return kids


def watch(pid: int, every: float = 0.1) -> None:
    """Print the peak summed PSS (MB) of pid and its children (but this one) when stdin ends."""
    peak, me = 0.0, os.getpid()
    while not select.select([sys.stdin], [], [], every)[0]:
        tree = [pid, *(kid for kid in _children(pid) if kid != me)]
        peak = max(peak, sum(_pss_mb(p) for p in tree))
    print(f"{peak:.0f}")


class TreeMemory:
    """Track the peak summed PSS of this process and its children, sampled from a helper
    process (a thread here would make enrich() start its workers without fork).

    Forked workers can share pages; summing their RSS counts those pages once per process,
    PSS once in all: it is what the machine must hold.
    """

    def __enter__(self) -> TreeMemory:
        self.peak = 0.0
        command = [sys.executable, __file__, "--watch", str(os.getpid())]
        self._watcher = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
        )
        return self

    def __exit__(self, *exc: object) -> None:
        out, _ = self._watcher.communicate("")
        self.peak = float(out.strip() or 0)


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
    parser.add_argument("--size", type=int, default=0, help="cut bodies to N characters")
    parser.add_argument("--model", choices=nlp.MODELS, default=nlp.MODEL)
    parser.add_argument("--watch", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.watch:
        watch(args.watch)
        return 0
    nlp.use(args.model)
    if not CORPUS.exists():
        print(f"skipped: {CORPUS} is absent (../shared is only beside a developer or CI checkout)")
        return 0
    batch = articles(args.articles, args.size)
    sizes = sorted(len(a.title) + len(a.body) for a in batch)
    print(
        f"{len(batch)} real AllSides articles, median {sizes[len(sizes) // 2]} characters, "
        f"mean {sum(sizes) / len(sizes):.0f}, model {args.model}, {os.cpu_count()} CPUs"
    )
    print(f"  load average before: {os.getloadavg()[0]:.1f}")
    # Workers first, as ingest runs them: the main process has not loaded the model.
    with TreeMemory() as memory:
        wall, per_cpu = run(batch, workers=args.workers)
    print(
        f"  {args.workers} workers : {wall:6.1f} articles/s wall (includes starting the workers), "
        f"{per_cpu:6.1f} per CPU-second -> {per_cpu * (os.cpu_count() or 1):.0f}/s on idle cores"
    )
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(
        f"  peak memory, {args.workers} workers: {memory.peak:.0f} MB PSS of all processes "
        f"(RSS: main {own:.0f} MB + {args.workers} x worker {child:.0f} MB "
        f"= {own + args.workers * child:.0f} MB counting shared pages twice)"
    )
    wall, per_cpu = run(batch[: min(len(batch), 300)], workers=1)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"  1 process : {wall:6.1f} articles/s wall, {per_cpu:6.1f} per CPU-second, "
        f"peak RSS {own:.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
