"""What lies in an index directory, and the Whoosh internals the bulk builder relies on.

Real indexes only: the builder's own segments and packs, Whoosh's own writer and clean-up.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import whoosh
from fixtures import ROOT, make_archive, many_articles, store_articles
from whoosh import index as windex
from whoosh.filedb.filestore import FileStorage

from archive.errors import ArchiveError
from archive.index import builder
from archive.index import whoosh_internals as internals
from archive.index.integrity import MANIFEST
from archive.index.maintenance import open_live, reindex, update_index
from archive.index.packfile import SUFFIX, pack_path
from archive.index.schema import INDEX_NAME
from archive.search import Criteria, Searcher

TOC_NAME = re.compile(rf"_{INDEX_NAME}_(\d+)\.toc")
SEGMENT_FILE = re.compile(rf"({INDEX_NAME}_[0-9a-z]+)\..+")


def _segment_ids(directory: Path) -> set[str]:
    ix = windex.open_dir(str(directory), indexname=INDEX_NAME)
    with ix.reader() as reader:
        return {
            r.segment().segment_id() for r, _ in reader.leaf_readers() if r.segment() is not None
        }


def _small_segments(monkeypatch: pytest.MonkeyPatch, size: int) -> None:
    # Many small segments from few articles: the planner reads these when a build starts.
    monkeypatch.setattr(builder, "MAX_SEGMENT", size)
    monkeypatch.setattr(builder, "MIN_PER_WORKER", size)


# -- the version check --------------------------------------------------------------


def test_version_check_names_both_versions() -> None:
    internals.check_version(whoosh.versionstring())  # the installed one is the pinned one
    with pytest.raises(ArchiveError) as err:
        internals.check_version("2.7.6")
    assert "2.7.6" in str(err.value) and internals.WRITTEN_FOR in str(err.value)
    assert f"whoosh-reloaded=={internals.WRITTEN_FOR}" in str(err.value)


def test_another_whoosh_version_stops_the_import_of_the_builder() -> None:
    script = "import whoosh\nwhoosh.__version__ = (2, 8, 0)\nimport archive.index.builder\n"
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("archive.errors.ArchiveError")
    assert "Whoosh 2.8.0 is installed" in last and internals.WRITTEN_FOR in last


def test_reindex_under_another_whoosh_version_says_what_to_install(tmp_path: Path) -> None:
    config, store = make_archive(tmp_path, many_articles(3), index=False)
    store.close()
    script = (
        "import sys, whoosh\nwhoosh.__version__ = (2, 8, 0)\n"
        "from archive.cli import main\n"
        "sys.argv = ['newsarchive', 'reindex', '--home', sys.argv[1]]\nmain()\n"
    )
    command = [sys.executable, "-c", script, str(config.home)]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert f"pip install whoosh-reloaded=={internals.WRITTEN_FOR}" in done.stderr
    assert open_live(config) is None  # nothing was built


# -- what a bulk build leaves ---------------------------------------------------------


def test_reindex_leaves_one_toc_and_each_segments_files_and_nothing_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config, store = make_archive(tmp_path, many_articles(50), index=False)
    _small_segments(monkeypatch, 20)
    stats = reindex(config, store, workers=2)  # worker processes, as in production
    assert (stats.segments, stats.workers) == (3, 2)
    live = config.index_path.resolve()
    segments = _segment_ids(live)
    assert len(segments) == 3
    names = sorted(p.name for p in live.iterdir())
    assert all((live / name).is_file() for name in names)  # no temporary directory
    tocs = [name for name in names if TOC_NAME.fullmatch(name)]
    assert tocs == [f"_{INDEX_NAME}_0.toc"]  # the first generation of a new directory
    assert MANIFEST in names  # the record of sizes and checksums (index/integrity.py)
    others = [name for name in names if name not in tocs and name != MANIFEST]
    owners = {name: SEGMENT_FILE.fullmatch(name) for name in others}
    assert all(owners.values()), f"files of no segment: {others}"
    by_segment: dict[str, set[str]] = {segment: set() for segment in segments}
    for name, match in owners.items():
        assert match is not None
        by_segment[match.group(1)].add(name[len(match.group(1)) :])
    for segment, suffixes in by_segment.items():
        assert {SUFFIX, ".trm", ".pst", "._stored.col"} <= suffixes, segment


def test_reindex_of_an_empty_store_leaves_only_a_toc(tmp_path: Path) -> None:
    config, store = make_archive(tmp_path, [], index=False)
    reindex(config, store)
    names = sorted(p.name for p in config.index_path.resolve().iterdir())
    assert names == [f"_{INDEX_NAME}_0.toc", MANIFEST]


def test_a_build_writes_the_generation_after_the_directorys_own(tmp_path: Path) -> None:
    config, store = make_archive(tmp_path, many_articles(5))
    live = config.index_path.resolve()  # update_index made it: generation 1 (create_in's is 0)
    assert internals.latest_generation(FileStorage(str(live)), INDEX_NAME) == 1
    builder.build(live, store)
    names = sorted(p.name for p in live.iterdir())
    # Whoosh's clean-up removed the old TOC and segment; the write lock file may stay.
    assert [n for n in names if TOC_NAME.fullmatch(n)] == [f"_{INDEX_NAME}_2.toc"]
    assert len(_segment_ids(live)) == 1
    assert {
        SEGMENT_FILE.fullmatch(n).group(1) for n in names if SEGMENT_FILE.fullmatch(n)
    } == _segment_ids(live)


# -- packs are files of their segment --------------------------------------------------


def test_pack_is_named_as_a_file_of_its_segment(tmp_path: Path) -> None:
    config, store = make_archive(tmp_path, many_articles(5), index=False)
    reindex(config, store)
    live = config.index_path.resolve()
    ix = windex.open_dir(str(live), indexname=INDEX_NAME)
    with ix.reader() as reader:
        segment = reader.segment()
        path = pack_path(live, segment)
        assert path.name == f"{INDEX_NAME}_{segment.segid}{SUFFIX}"
        assert path.is_file()
        # The clean-up of a commit that no longer lists the segment takes the pack too.
        windex.clean_files(FileStorage(str(live)), INDEX_NAME, 5, [])
        assert not path.exists()


def test_an_update_never_merges_packed_segments_however_small(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    articles = many_articles(41)
    config, store = make_archive(tmp_path, articles[:40], index=False)
    _small_segments(monkeypatch, 8)
    reindex(config, store, workers=1)
    live = config.index_path.resolve()
    packs = sorted(live.glob(f"*{SUFFIX}"))
    assert len(packs) == 5
    # Five small segments: Whoosh's own MERGE_SMALL would fold them into the update's
    # segment through its slow path, and lose their packs (maintenance.keep_packed_segments).
    store_articles(config, store, articles[40:], index=True)
    assert len(_segment_ids(live)) == 6
    assert sorted(live.glob(f"*{SUFFIX}")) == packs
    with Searcher(config) as searcher:
        assert searcher.search(Criteria(q="common")).total == 41


# -- readers follow Whoosh's generations ------------------------------------------------


def test_searcher_sees_a_new_generation_even_when_the_directory_time_stands_still(
    tmp_path: Path,
) -> None:
    articles = many_articles(6)
    config, store = make_archive(tmp_path, articles[:4])
    live = config.index_path.resolve()
    with Searcher(config) as searcher:
        assert searcher.search(Criteria()).total == 4
        state = searcher._current()
        assert searcher._current() is state  # nothing changed: nothing reopened
        before = os.stat(live)
        update_index(config, store, [])  # no articles: no commit, no new generation
        assert searcher._current() is state
        store.write_batch([(a, "h") for a in articles[4:]], [], "test")
        update_index(config, store, [a.id for a in articles[4:]])
        # A coarse file system clock can leave the directory's time where it was.
        os.utime(live, ns=(before.st_atime_ns, before.st_mtime_ns))
        assert searcher.search(Criteria()).total == 6
        assert searcher._current().key.generation > state.key.generation


# -- Whoosh's private names stay in one module --------------------------------------------


def test_only_whoosh_internals_uses_whoosh_private_names() -> None:
    # Names no module of ours would choose for itself (a block's _ids could be anyone's).
    private = re.compile(
        r"\._(postwriter|blocklimit|write_block|segments|latest_generation"
        r"|maxweight|minlength|maxlength)\b"
    )
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "archive").rglob("*.py"))
        if path.name != "whoosh_internals.py"
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if private.search(line)
    ]
    assert offenders == []
