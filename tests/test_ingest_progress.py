"""The ingest progress callback accounts for every record read, whatever became of it.

The command line's progress bar is sized by count_records() and advanced by the calls
of `progress`; each record read (added, updated, unchanged, a duplicate within the run
or rejected) must advance it exactly once, so the bar ends at its total.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from archive.config import Config
from archive.ingest import IngestReport, ingest_paths
from archive.readers import count_records


class Tally:
    """A progress callback that sums what it is told."""

    def __init__(self) -> None:
        self.total = 0
        self.calls = 0

    def __call__(self, count: int) -> None:
        self.total += count
        self.calls += 1


def record(number: int, body: str = "text") -> str:
    return (
        json.dumps(
            {
                "title": f"Story {number}",
                "body": f"{body} {number}",
                "url": f"https://progress.test/{number}",
            }
        )
        + "\n"
    )


def ingest(home: Path, paths: list[Path], extract: bool) -> tuple[IngestReport, Tally]:
    tally = Tally()
    report = ingest_paths(
        Config(home=home), paths, workers=1, progress=tally, index=False, run_extraction=extract
    )
    return report, tally


@pytest.mark.parametrize("extract", [False, True], ids=["no-extract", "extract"])
def test_duplicates_without_unchanged_records_advance_the_bar(tmp_path, extract):
    # A fresh store: nothing is unchanged, so only duplicates are dropped before extraction.
    path = tmp_path / "in.jsonl"
    path.write_text(record(1) + record(2) + record(1) + record(3) + record(2))
    report, tally = ingest(tmp_path / "home", [path], extract)
    assert (report.read, report.added, report.duplicates, report.unchanged) == (5, 3, 2, 0)
    assert tally.total == report.read == count_records([path])


def test_unchanged_records_and_duplicates_advance_the_bar(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(record(1) + record(2))
    ingest(tmp_path / "home", [path], extract=False)
    # The file changed, so it is read again: one record unchanged, one edited, one new and
    # three repeats of them.
    path.write_text(
        record(1) + record(2, "edited") + record(3) + record(2, "edited") + record(3) + record(1)
    )
    report, tally = ingest(tmp_path / "home", [path], extract=False)
    assert (report.read, report.unchanged, report.updated, report.added, report.duplicates) == (
        6,
        1,
        1,
        1,
        3,
    )
    assert tally.total == report.read


def test_a_file_read_before_advances_the_bar_by_its_records(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(record(1) + record(2) + record(1))
    ingest(tmp_path / "home", [path], extract=False)
    report, tally = ingest(tmp_path / "home", [path], extract=False)
    assert (report.read, report.unchanged) == (3, 3)
    assert tally.total == report.read


def test_rejected_records_and_paths_advance_the_bar(tmp_path):
    path = tmp_path / "in.jsonl"
    path.write_text(record(1) + "{not json\n" + record(1) + record(2))
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    missing = tmp_path / "gone.jsonl"
    paths = [path, empty, missing]
    report, tally = ingest(tmp_path / "home", paths, extract=False)
    assert (report.read, report.added, report.duplicates, len(report.rejected)) == (6, 2, 1, 3)
    assert tally.total == report.read == count_records(paths)
