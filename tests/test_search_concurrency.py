"""Searches keep answering while a reindex runs; a killed reindex leaves the old index serving."""

import os
import signal
import subprocess
import sys
import threading

from fixtures import ROOT, make_archive, many_articles

from archive.index import maintenance as indexer
from archive.index.maintenance import check, reindex, update_index
from archive.search import Criteria, Searcher


def test_searches_never_fail_or_come_back_empty_during_reindex(tmp_path):
    articles = many_articles(4000)
    config, store = make_archive(tmp_path, articles, index=False)
    reindex(config, store)
    searcher = Searcher(config)
    errors, totals, stop = [], [], threading.Event()

    def search_loop():
        while not stop.is_set():
            try:
                results = searcher.search(Criteria(q="common", per_page=5))
                totals.append((results.total, len(results.hits)))
            except Exception as exc:  # any error at all fails the test below
                errors.append(repr(exc))

    thread = threading.Thread(target=search_loop)
    thread.start()
    try:
        for _ in range(3):
            reindex(config, store, workers=2)
    finally:
        stop.set()
        thread.join()
    searcher.close()
    assert errors == []
    assert len(totals) > 3
    assert set(totals) == {(4000, 5)}


def test_killed_reindex_leaves_the_old_index_answering(tmp_path):
    articles = many_articles(6000)
    config, store = make_archive(tmp_path, articles, index=False)
    reindex(config, store)
    live_before = os.readlink(config.index_path)
    script = (
        "import sys\n"
        "from archive.index import builder as bulk\n"
        "from archive.config import Config\n"
        "from archive.index.maintenance import reindex\n"
        "from archive.store import Store\n"
        "bulk.MAX_SEGMENT = 500\n"  # many small segments, so there is a half-way
        "from pathlib import Path\nconfig = Config(Path(sys.argv[1]))\n"
        "reindex(config, Store(config.store_path), workers=2,\n"
        "        progress=lambda n: print(n, flush=True))\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(config.home)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        first = int(proc.stdout.readline())
        assert 0 < first < 6000  # part of the articles are written, the rest are not
    finally:
        os.killpg(proc.pid, signal.SIGKILL)  # the reindex and its workers, as a crash would
        proc.wait()
        proc.stdout.close()
    assert os.readlink(config.index_path) == live_before
    searcher = Searcher(config)
    assert searcher.search(Criteria(q="common")).total == 6000
    assert check(config, store).ok
    # The lock died with the process: writers work at once, and the next reindex tidies up.
    assert update_index(config, store, [articles[0].id]) == 1
    reindex(config, store)
    assert len(list(config.home.glob(indexer.DIR_PREFIX + "*"))) == 2
    assert searcher.search(Criteria(q="common")).total == 6000
    searcher.close()
