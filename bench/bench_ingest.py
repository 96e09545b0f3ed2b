"""Measure read+parse+store throughput (no entity extraction) and the cost of a re-ingest."""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from archive.config import Config
from archive.generate import write_articles
from archive.ingest import ingest_paths

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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20_000, help="generated articles [20000]")
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
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
