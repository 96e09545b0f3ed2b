"""Tests for the ingest pipeline: accounting, idempotence, bad input, crash safety."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import textwrap
from pathlib import Path

import pytest
from fixtures import ALLSIDES, ArchiveCliRunner, paused_script

from archive.config import Config
from archive.generate import write_articles
from archive.ingest import BATCH_SIZE, ingest_paths
from archive.store import Store


def count(config: Config) -> int:
    """Return the number of articles in the archive's store."""
    with Store(config.store_path) as store:
        return store.count()


def test_ingest_then_reingest_adds_nothing(tmp_path):
    samples = write_articles(tmp_path / "in", 30, seed=1)
    config = Config(home=tmp_path / "home")
    first = ingest_paths(config, [samples], workers=1)
    assert (first.read, first.added, first.rejected) == (30, 30, [])
    again = ingest_paths(config, [samples], workers=1)
    assert (again.read, again.added, again.updated, again.unchanged) == (30, 0, 0, 30)
    assert count(config) == 30


def test_changed_article_is_updated_not_duplicated(tmp_path):
    path = tmp_path / "a.jsonl"
    config = Config(home=tmp_path / "home")
    path.write_text(json.dumps({"title": "T", "body": "old", "url": "http://x.test/1"}) + "\n")
    ingest_paths(config, [path], workers=1)
    path.write_text(json.dumps({"title": "T", "body": "new", "url": "http://x.test/1"}) + "\n")
    report = ingest_paths(config, [path], workers=1)
    assert (report.added, report.updated) == (0, 1)
    with Store(config.store_path) as store:
        assert store.count() == 1
        assert next(store.iter_articles()).body == "new"


def test_duplicates_within_a_run_are_counted(tmp_path):
    line = json.dumps({"title": "T", "body": "b", "url": "http://x.test/same"})
    (tmp_path / "a.jsonl").write_text(line + "\n" + line + "\n")
    report = ingest_paths(Config(home=tmp_path / "home"), [tmp_path / "a.jsonl"], workers=1)
    assert (report.read, report.added, report.duplicates) == (2, 1, 1)


def test_bad_inputs_are_reported_and_spoil_nothing(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    write_articles(inputs / "good", 5, seed=2)
    (inputs / "empty.txt").write_bytes(b"")
    (inputs / "binary.bin").write_bytes(bytes(range(256)) * 4)
    (inputs / "bad-utf8.jsonl").write_bytes(
        b'{"title": "ok", "body": "fine", "url": "u1"}\n{"title": "\xff"}\n'
    )
    (inputs / "huge.txt").write_bytes(b"z" * (20 * 1024 * 1024))
    (inputs / "mixed.jsonl").write_text('{"title": "t2", "body": "b", "url": "u2"}\n{oops\n')
    unreadable = inputs / "unreadable.txt"
    if os.geteuid() == 0:  # root reads any mode: a dangling link is unreadable for everyone
        unreadable.symlink_to(tmp_path / "gone.txt")
    else:
        unreadable.write_text("x")
        unreadable.chmod(0)
    config = Config(home=tmp_path / "home")
    report = ingest_paths(config, [inputs], workers=1)
    reasons = {Path(r.source.split(":")[0]).name: r.reason for r in report.rejected}
    assert set(reasons) == {
        "empty.txt",
        "binary.bin",
        "bad-utf8.jsonl",
        "huge.txt",
        "mixed.jsonl",
        "unreadable.txt",
    }
    assert report.added == 7  # 5 generated + one good line in each JSONL file
    assert report.read == report.added + len(report.rejected)
    with Store(config.store_path) as store:
        assert store.count() == 7
        assert store.stats()["rejected"] == 6
    assert "UTF-8" in reasons["bad-utf8.jsonl"] and "binary" in reasons["binary.bin"]


def test_cli_exit_status_and_summary(runner: ArchiveCliRunner, tmp_path: Path) -> None:
    home = tmp_path / "home"
    samples = write_articles(tmp_path / "in", 3, seed=3)
    result = runner.run("ingest", "--home", home, samples)
    assert result.exit_code == 0, result.output
    assert "added 3" in result.output
    (samples / "bad.jsonl").write_text("{nope\n")
    result = runner.run("ingest", "--home", home, samples)
    assert result.exit_code == 1
    assert "bad.jsonl:1" in result.output and "unchanged 3" in result.output


# Ingest without extraction (cheap) and stop, alive, once `stop_after` records went by:
# the progress callback prints the count and waits on stdin until the test kills it.
INGEST_UNTIL_KILLED = textwrap.dedent("""
    import sys
    from pathlib import Path

    from archive.config import Config
    from archive.ingest import ingest_paths

    home, source, stop_after = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    seen = 0

    def progress(count):
        global seen
        seen += count
        if seen >= stop_after:
            print(seen, flush=True)
            sys.stdin.read()

    ingest_paths(Config(home), [source], workers=1, run_extraction=False, progress=progress)
    print("finished", flush=True)
""")


@pytest.mark.slow
@pytest.mark.timeout(120)  # a few seconds normally; the default 300 s would hide a hang
def test_kill_during_ingest_then_rerun_is_consistent(
    runner: ArchiveCliRunner, tmp_path: Path
) -> None:
    total = 3 * BATCH_SIZE
    source = write_articles(tmp_path / "in", total, seed=4, fmt="jsonl")
    home = tmp_path / "home"
    # Progress passes each record just before it joins a batch: past one batch, the first
    # batch is committed and the next one is being gathered when the kill comes.
    with paused_script(INGEST_UNTIL_KILLED, str(home), str(source), str(BATCH_SIZE + 1)) as process:
        with Store.open_readonly(Config(home).store_path) as reader:  # beside the live ingest
            stored = reader.count()
        os.kill(process.pid, signal.SIGKILL)
    assert process.returncode == -signal.SIGKILL
    assert 0 < stored < total
    with Store(Config(home).store_path) as store:
        assert store.count() == stored  # nothing was written after the count was taken

    rerun = runner.run("ingest", "--home", home, "--workers", "1", "--no-extract", "--json", source)
    assert rerun.exit_code == 0, rerun.output
    report = json.loads(rerun.output)
    # The killed run never marked its file as read: the rerun reads it all again.
    assert (report["read"], report["added"], report["unchanged"]) == (total, total - stored, stored)
    with sqlite3.connect(Config(home).store_path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    with Store(Config(home).store_path) as store:
        assert store.count() == total and store.unindexed_ids() == []
    check = runner.run("check", "--home", home)
    assert check.exit_code == 0 and "agree" in check.output


@pytest.mark.corpus
@pytest.mark.skipif(not ALLSIDES.exists(), reason="../shared/corpus/allsides is absent")
def test_allsides_every_record_accounted_for(tmp_path: Path) -> None:
    # The article exports only: the folder also holds the hand-annotated gold set.
    exports = sorted(ALLSIDES.glob("articles-*.jsonl.gz"))
    report = ingest_paths(
        Config(home=tmp_path / "home"), exports, index=False, run_extraction=False
    )
    assert report.read == 10_000
    assert report.read == report.added + report.duplicates + len(report.rejected)
    with Store(Config(home=tmp_path / "home").store_path) as store:
        stats = store.stats()
    assert stats["articles"] == report.added
    assert stats["undated"] >= 1121  # the empty dates, never invented
    assert stats["first_date"] >= "1800" and stats["last_date"] <= "2027"


def test_unchanged_file_is_skipped_but_same_size_edit_is_read(tmp_path):
    path = tmp_path / "a.jsonl"
    config = Config(home=tmp_path / "home")
    path.write_text(json.dumps({"title": "T", "body": "old", "url": "http://x.test/1"}) + "\n")
    ingest_paths(config, [path], workers=1)
    assert ingest_paths(config, [path], workers=1).unchanged == 1
    stat = path.stat()
    path.write_text(json.dumps({"title": "T", "body": "new", "url": "http://x.test/1"}) + "\n")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime
    report = ingest_paths(config, [path], workers=1)
    assert report.updated == 1


def test_file_with_rejections_is_read_again(tmp_path):
    path = tmp_path / "a.jsonl"
    config = Config(home=tmp_path / "home")
    path.write_text(json.dumps({"title": "T", "body": "b", "url": "u"}) + "\n{bad\n")
    ingest_paths(config, [path], workers=1)
    report = ingest_paths(config, [path], workers=1)
    assert (report.unchanged, len(report.rejected)) == (1, 1)


def test_first_ingest_builds_a_packed_index_and_small_updates_extend_it(tmp_path):
    from archive.index.maintenance import check, live_dir
    from archive.index.packfile import SUFFIX

    config = Config(home=tmp_path / "home")
    ingest_paths(config, [write_articles(tmp_path / "a", 20, seed=21)], workers=1)
    first = live_dir(config)
    assert list(first.glob(f"*{SUFFIX}")), "the first ingest should use the bulk builder"
    ingest_paths(config, [write_articles(tmp_path / "b", 3, seed=22)], workers=1)
    assert live_dir(config) == first  # a small ingest updates the live index in place
    with Store(config.store_path) as store:
        report = check(config, store)
        assert report.ok and report.index_count == 23 and store.unindexed_ids() == []
