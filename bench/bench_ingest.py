"""Measure read+parse+store throughput (no entity extraction) and the cost of a re-ingest;
with --real N, a full ingest of N real AllSides articles: the time until they are
keyword-searchable, the time until their extraction is complete, extraction articles/s
and the peak memory of all its processes.

Run: .venv/bin/python bench/bench_ingest.py [--count 20000] [--real 10000]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import NamedTuple

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_extract import TreeMemory

from archive.config import Config
from archive.generate import write_articles
from archive.ingest import Stage, ingest_paths

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "allsides"


def measure(label: str, paths: list[Path], home: Path) -> None:
    """Ingest twice into a fresh home and print articles/s and the re-run ratio."""
    config = Config(home=home)
    start = time.perf_counter()
    first = ingest_paths(config, paths, index=False, run_extraction=False)
    first_s = time.perf_counter() - start
    start = time.perf_counter()
    again = ingest_paths(config, paths, index=False, run_extraction=False)
    again_s = time.perf_counter() - start
    print(
        f"{label:<28} {first.read:>8} {first.read / first_s:>10.0f} {first_s:>8.2f} "
        f"{again_s:>8.2f} {again_s / first_s:>7.2f}   added={first.added} dup={first.duplicates} "
        f"rejected={len(first.rejected)} unchanged-on-rerun={again.unchanged}"
    )


class Marks(NamedTuple):
    """Seconds from the start of an ingest to each moment it passed."""

    searchable: float  # the keyword index was complete: extraction began
    extracted: float  # the last batch was extracted (the final reindex began)
    finished: float  # ingest returned


class StageClock:
    """A stages callback noting when each stage first and last began; at the start of
    extraction it searches the archive by keyword from another process, as a user would."""

    def __init__(self, home: Path, word: str) -> None:
        self.home, self.word = home, word
        self.started = time.perf_counter()
        self.first: dict[Stage, float] = {}
        self.last: dict[Stage, float] = {}
        self.hits = -1

    def __call__(self, stage: Stage, _total: int) -> None:
        now = time.perf_counter() - self.started
        self.first.setdefault(stage, now)
        self.last[stage] = now
        if stage is Stage.EXTRACTING:
            self.hits = keyword_hits(self.home, self.word)

    def marks(self) -> Marks:
        finished = time.perf_counter() - self.started
        searchable = self.first.get(Stage.EXTRACTING, finished)
        rebuilt = self.last.get(Stage.INDEXING, 0.0)
        return Marks(searchable, rebuilt if rebuilt > searchable else finished, finished)


def keyword_hits(home: Path, word: str) -> int:
    """Return the hits of a keyword search run by the command line in another process."""
    command = [sys.executable, "-m", "archive", "search", "--home", str(home), "--json", word]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    return int(json.loads(done.stdout)["total"])


def real_inputs(limit: int, work: Path) -> list[Path]:
    """Return the AllSides exports, or a file of their first limit articles."""
    exports = sorted(CORPUS.glob("articles-*.jsonl.gz"))
    if limit >= 10_000:
        return exports
    path = work / f"allsides-{limit}.jsonl"
    with open(path, "w", encoding="utf-8") as out:
        written = 0
        for export in exports:
            with gzip.open(export, "rt", encoding="utf-8") as lines:
                for line in lines:
                    if written >= limit:
                        return [path]
                    out.write(line)
                    written += 1
    return [path]


def measure_searchable(limit: int, work: Path) -> None:
    """Ingest limit real articles with extraction and print when each stage ended."""
    home = work / "real-home"
    paths = real_inputs(limit, work)
    load = os.getloadavg()[0]
    clock = StageClock(home, "president")
    with TreeMemory() as memory:
        report = ingest_paths(Config(home=home), paths, stages=clock)
    marks = clock.marks()
    extracting = marks.extracted - marks.searchable
    rate = report.extracted / extracting if extracting > 0 else 0.0
    print(
        f"full ingest of {report.read:,} real AllSides articles ({os.cpu_count()} CPUs, "
        f"load average {load:.1f} before; other work on the machine slows every figure)"
    )
    print(
        f"  keyword-searchable after   {marks.searchable:7.1f} s "
        f"(a search for 'president' then: {clock.hits:,} hits)"
    )
    print(
        f"  extraction complete after  {marks.extracted:7.1f} s "
        f"({report.extracted:,} articles extracted at {rate:.1f} articles/s)"
    )
    print(f"  ingest finished after      {marks.finished:7.1f} s (final reindex included)")
    print(f"  peak memory                {memory.peak:7.0f} MB PSS of all its processes")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000, help="generated articles [20000]")
    parser.add_argument(
        "--real", type=int, default=0, help="real articles to ingest with extraction [none]"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-ingest-"))
    try:
        print("ingest without extraction (read + parse + store)")
        print(
            f"{'input':<28} {'records':>8} {'art/s':>10} {'first s':>8} {'rerun s':>8} {'ratio':>7}"
        )
        if CORPUS.exists():
            # The article exports, not the hand-annotated gold set beside them.
            exports = sorted(CORPUS.glob("articles-*.jsonl.gz"))
            measure("allsides jsonl.gz", exports, work / "allsides")
        else:
            print("allsides: ../shared/corpus/allsides absent, skipped")
        text = write_articles(work / "text", args.count, seed=7)
        measure(f"generated text x{args.count}", [text], work / "text-home")
        jsonl = write_articles(work / "jsonl", args.count, seed=8, fmt="jsonl")
        measure(f"generated jsonl x{args.count}", [jsonl], work / "jsonl-home")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"peak RSS {peak:.0f} MB")
        if args.real and CORPUS.exists():
            measure_searchable(args.real, work)
        elif args.real:
            print("full ingest: ../shared/corpus/allsides absent, skipped")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
