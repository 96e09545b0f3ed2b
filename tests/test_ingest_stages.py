"""Ingest makes articles keyword-searchable first, then extracts people and outlets in
committed, indexed batches: the facets fill in as it goes, `--no-extract` leaves articles
awaiting extraction (stats and check say how many), the next ingest resumes them, and a
kill -9 during extraction loses none of the batches already committed.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from fixtures import ALLSIDES, ROOT, ArchiveCliRunner, paused_script

from archive.cli.progress import StageLines, minutes
from archive.config import Config
from archive.extract import EXTRACTOR_VERSION
from archive.generate import write_articles
from archive.stages import Stage
from archive.store import Store


def search(runner: ArchiveCliRunner, home: Path, *args: str) -> dict:
    result = runner.run("search", "--home", home, "--json", *args)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def stats(runner: ArchiveCliRunner, home: Path) -> dict:
    return json.loads(runner.run("stats", "--home", home, "--json").stdout)


def test_no_extract_is_searchable_and_the_next_ingest_extracts(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    samples = write_articles(tmp_path / "in", 6, seed=41)
    home = tmp_path / "home"
    first = runner.run("ingest", "--home", home, "--no-extract", "--json", samples)
    assert json.loads(first.stdout)["extracted"] == 0
    # Searchable by keyword before any extraction; no facet of people yet.
    found = search(runner, home, "fictional")
    assert found["total"] == 6 and found["facets"]["people"] == []
    before = stats(runner, home)
    assert (before["awaiting_extraction"], before["outdated_extraction"]) == (6, 0)
    assert "extraction: 6 awaiting" in runner.run("stats", "--home", home).stdout
    check = runner.run("check", "--home", home)
    assert check.exit_code == 0 and "extraction: 6 awaiting" in check.stdout

    # The same files again: nothing read is new, but the articles awaiting are extracted.
    again = json.loads(
        runner.run("ingest", "--home", home, "--workers", "1", "--json", samples).stdout
    )
    assert (again["unchanged"], again["added"], again["extracted"]) == (6, 0, 6)
    after = stats(runner, home)
    assert after["awaiting_extraction"] == 0
    assert "extraction: complete" in runner.run("stats", "--home", home).stdout
    assert "extraction" not in runner.run("check", "--home", home).stdout
    top = after["top_people"][0]
    assert search(runner, home, "--person", top["value"])["total"] == top["count"]
    # Nothing awaits now: a third ingest extracts nothing.
    third = json.loads(runner.run("ingest", "--home", home, "--json", samples).stdout)
    assert third["extracted"] == 0


def test_ingest_says_each_stage_on_stderr(runner: ArchiveCliRunner, tmp_path: Path) -> None:
    samples = write_articles(tmp_path / "in", 3, seed=42)
    home = tmp_path / "home"
    result = runner.run("ingest", "--home", home, "--workers", "1", samples)
    assert result.exit_code == 0, result.output
    # No terminal: each stage is announced, then a line per tenth of it passed.
    assert result.stderr.splitlines() == [
        "indexing 3 articles...",
        "indexing: 3/3",
        "extracting people and outlets of 3 articles...",
        "extracting people and outlets: 3/3",
    ]
    assert result.stdout == (
        f"read 3, added 3, updated 0, unchanged 0, duplicates 0, rejected 0 (archive: {home})\n"
    )
    # --json prints the summary alone.
    again = runner.run("ingest", "--home", home, "--json", samples)
    assert again.stderr == "" and json.loads(again.stdout)["unchanged"] == 3


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_live_line_shows_count_and_eta_and_ends_with_the_stage_time() -> None:
    out, clock = io.StringIO(), FakeClock()
    lines = StageLines(out, live=True, clock=clock)
    progress = lines.start(Stage.EXTRACTING, 10_000)
    clock.now += 56.75  # 2,300 done in 56.75 s: 7,700 more take 190 s
    progress(2_300)
    clock.now += 0.1  # too soon to draw again
    progress(32)
    clock.now += 200
    progress(7_668)
    lines.finish()
    assert out.getvalue().split("\r") == [
        "extracting people and outlets of 10,000 articles...\n",
        "extracting people and outlets: 2,300/10,000, ETA 3:10\x1b[K",
        "extracting people and outlets: 10,000/10,000\x1b[K",
        "extracting people and outlets: 10,000/10,000 in 4:17\x1b[K\n",
    ]


def test_plain_lines_come_at_each_tenth_with_eta() -> None:
    out, clock = io.StringIO(), FakeClock()
    lines = StageLines(out, live=False, clock=clock)
    progress = lines.start(Stage.INDEXING, 10_001)
    for _ in range(3):
        clock.now += 10
        progress(1_000)  # the first thousand is not yet a tenth of 10,001
    clock.now += 10
    progress(7_001)
    assert out.getvalue().splitlines() == [
        "indexing 10,001 articles...",
        "indexing: 2,000/10,001, ETA 1:20",
        "indexing: 3,000/10,001, ETA 1:10",
        "indexing: 10,001/10,001",
    ]
    assert (minutes(59.6), minutes(3_725)) == ("1:00", "1:02:05")


# Ingest with extraction committed in batches of 5 and stop, alive, at the extraction's
# second progress call (the model is given 10 articles at a time, and progress is told of
# them before they are yielded): by then the first 10 are committed and the next 10 are
# extracted but not stored. Prints the count and waits on stdin until the test kills it.
INGEST_UNTIL_KILLED = textwrap.dedent("""
    import sys
    from pathlib import Path

    from archive import enrichment, extract
    from archive.config import Config
    from archive.ingest import Stage, ingest_paths

    enrichment.EXTRACT_BATCH = 5
    extract.BATCH = 10
    home, source = Path(sys.argv[1]), sys.argv[2]
    calls = 0

    def progress(count):
        global calls
        calls += 1
        if calls == 2:
            print(count, flush=True)
            sys.stdin.read()

    def stages(stage, total):
        return progress if stage is Stage.EXTRACTING else None

    ingest_paths(Config(home), [source], workers=1, stages=stages)
    print("finished", flush=True)
""")


@pytest.mark.slow
@pytest.mark.timeout(240)
def test_kill_during_extraction_then_ingest_resumes(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    total = 40
    source = write_articles(tmp_path / "in", total, seed=43, fmt="jsonl")
    home = tmp_path / "home"
    with paused_script(INGEST_UNTIL_KILLED, str(home), str(source)) as process:
        # Watch the store and the index beside the live ingest.
        with Store.open_readonly(Config(home).store_path) as reader:
            awaiting = reader.extraction_backlog(EXTRACTOR_VERSION).awaiting
        every = search(runner, home, "fictional")
        people = search(runner, home)["facets"]["people"]
        os.kill(process.pid, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert awaiting == total - 10  # two batches of five were committed
    assert every["total"] == total  # every article was searchable by keyword
    assert people, "the batches extracted so far should be in the people facet"

    rerun = runner.run("ingest", "--home", home, "--workers", "1", "--json", source)
    assert rerun.exit_code == 0, rerun.output
    report = json.loads(rerun.stdout)
    # The file was read in full before extraction began: nothing new is read, and only
    # the articles still awaiting extraction are extracted.
    assert (report["read"], report["unchanged"], report["extracted"]) == (total, total, awaiting)
    with Store(Config(home).store_path) as store:
        assert store.extraction_backlog(EXTRACTOR_VERSION) == (0, 0)
        assert store.unindexed_ids() == []
    check = runner.run("check", "--home", home)
    assert check.exit_code == 0 and "agree" in check.stdout, check.output
    top = stats(runner, home)["top_people"][0]
    assert search(runner, home, "--person", top["value"])["total"] == top["count"]


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.skipif(not ALLSIDES.exists(), reason="../shared/corpus/allsides is absent")
def test_ingest_bench_prints_searchable_and_extraction_times() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "bench_ingest.py"), "--count", "20", "--real", "30"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    out = done.stdout
    assert "full ingest of 30 real AllSides articles" in out
    for label in ("keyword-searchable after", "extraction complete after", "peak memory"):
        assert label in out, label
    assert "30 articles extracted at" in out and "articles/s" in out
