"""Faults of the archive's files diagnosed, never a traceback or a 500 (issue 10, 12-14):
a read-only home, a full disk, truncated or corrupted index files, a corrupt store, a
reindex killed with -9. Each case runs on real files: a real SQLite store, a real index.
"""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from fixtures import make_archive, many_articles

from archive.config import Config
from archive.errors import ArchiveReadOnly, DiskFull
from archive.models import content_hash
from archive.store import Store

# -- helpers ----------------------------------------------------------------------------


def copy_home(source: Config, target: Path) -> Config:
    """Copy an archive home (symlink included), so a test may damage its copy."""
    shutil.copytree(source.home, target, symlinks=True)
    return Config(target)


def some_article(config: Config) -> tuple[str, str]:
    """Return the id of a stored article and a word of its title, to show and search."""
    with Store.open_readonly(config.store_path) as store:
        found = store.get(store.ordered_ids()[0])
    assert found is not None
    word = max(found.title.split(), key=len).strip(".,:;!?\"'")
    return found.id, word


@contextmanager
def read_only(home: Path) -> Iterator[None]:
    """Make home read-only for this process: modes as a user, a read-only bind mount as
    root (who ignores modes); skip when root may not mount."""
    if os.geteuid() != 0:
        subprocess.run(["chmod", "-R", "a-w", str(home)], check=True)
        try:
            yield
        finally:
            subprocess.run(["chmod", "-R", "u+w", str(home)], check=True)
        return
    bound = subprocess.run(["mount", "--bind", str(home), str(home)], capture_output=True)
    if bound.returncode != 0:
        pytest.skip(f"root, and no bind mount here: {bound.stderr.decode().strip()}")
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(home)], check=True)
        yield
    finally:
        subprocess.run(["umount", "--lazy", str(home)], check=True)  # open files or not


def no_traceback(output: str) -> None:
    assert "Traceback" not in output, output


# -- a read-only home -------------------------------------------------------------------


def test_a_read_only_home_answers_reads_and_says_why_it_refuses_writes(
    runner, small_archive, tmp_path, make_app
):
    home = copy_home(small_archive, tmp_path / "home")
    article_id, word = some_article(home)
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "a.txt").write_text("A title\n\nSome body text about a river.\n")
    with read_only(home.home):
        assert not os.access(home.home, os.W_OK)
        for command in (["stats"], ["search", word], ["show", article_id], ["check"]):
            result = runner.run(*command, "--home", home.home)
            no_traceback(result.output)
            assert result.exit_code == 0, (command, result.output)
        assert article_id in runner.run("search", word, "--home", home.home, "--json").output
        for command in (["reindex"], ["ingest", inputs]):
            result = runner.run(*command, "--home", home.home)
            no_traceback(result.output)
            assert result.exit_code == 1, (command, result.output)
            assert f"the archive at {home.home} is read-only" in result.output
        client = make_app(home.home).test_client()
        for url in ("/", f"/?q={word}", f"/articles/{article_id}", f"/api/search?q={word}"):
            assert client.get(url).status_code == 200, url
        exported = client.get(f"/export.jsonl?q={word}")
        assert exported.status_code == 200
        assert article_id in exported.get_data(as_text=True)


def test_a_store_opened_read_only_refuses_writes_as_read_only_whoever_runs(tmp_path):
    # Independent of file modes (root ignores them): a mode=ro connection.
    config, store = make_archive(tmp_path, many_articles(3), index=False)
    store.close()
    with Store.open_readonly(config.store_path) as reader:
        with pytest.raises(ArchiveReadOnly, match="is read-only"):
            reader.write_batch([], [("x.txt", "a rejection")], "test")
        assert reader.count() == 3


def test_searches_need_no_lock_while_a_writer_holds_both(runner, small_archive, tmp_path):
    from archive.index.maintenance import index_lock, open_live

    home = copy_home(small_archive, tmp_path / "home")
    article_id, word = some_article(home)
    ix = open_live(home)
    assert ix is not None
    writer = ix.writer()  # Whoosh's own write lock, as an update holds it
    try:
        with index_lock(home):  # and the archive's
            result = runner.run("search", word, "--home", home.home, "--json")
            assert result.exit_code == 0 and article_id in result.output
            assert runner.run("check", "--home", home.home).exit_code == 0
    finally:
        writer.cancel()
        ix.close()


# -- a full disk ------------------------------------------------------------------------


def test_a_full_disk_says_disk_full_and_keeps_what_was_committed(tmp_path):
    config, store = make_archive(tmp_path, many_articles(20), index=False)
    pages = store.db.execute("PRAGMA page_count").fetchone()[0]
    # SQLite's own limit on the file's size: SQLITE_FULL, as a full file system gives.
    store.db.execute(f"PRAGMA max_page_count = {pages + 1}")
    more = many_articles(300, seed=3)
    with pytest.raises(DiskFull) as raised:
        store.write_batch([(a, content_hash(a)) for a in more], [], "test")
    message = str(raised.value)
    assert message.startswith("disk full") and "database or disk is full" in message
    assert "cannot rollback" not in message
    assert store.count() == 20  # the batch is undone, what was committed is kept
    store.write_batch([], [], "test")  # the connection is still usable
    store.close()
    with Store.open_readonly(config.store_path) as reader:
        assert reader.count() == 20


def fill_up(folder: Path) -> None:
    """Write a file in folder until the file system holding it has no byte left."""
    with open(folder / "filler", "wb", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            assert error.errno == errno.ENOSPC


def test_ingest_on_a_full_file_system_says_disk_full_and_reads_go_on(runner, tmp_path):
    mount = tmp_path / "small"
    mount.mkdir()
    made = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"no tmpfs to fill here: {made.stderr.decode().strip()}")
    try:
        from archive.generate import write_articles

        write_articles(tmp_path / "first", 20, seed=1, fmt="jsonl")
        write_articles(tmp_path / "more", 4000, seed=2, fmt="jsonl")
        home = mount / "home"
        first = runner.run("ingest", "--no-extract", tmp_path / "first", "--home", home)
        assert first.exit_code == 0, first.output
        full = runner.run("ingest", "--no-extract", tmp_path / "more", "--home", home)
        no_traceback(full.output)
        assert full.exit_code == 1
        assert "disk full" in full.output
        fill_up(mount)  # to the last byte: reads need no space
        stats = runner.run("stats", "--json", "--home", home)
        assert stats.exit_code == 0, stats.output
        assert '"articles": 20' in stats.output or '"total": 20' in stats.output
        for command in (["search", "the"], ["check"]):
            result = runner.run(*command, "--home", home)
            no_traceback(result.output)
            assert result.exit_code == 0, (command, result.output)
    finally:
        subprocess.run(["umount", "--lazy", str(mount)], check=True)


# -- damaged index files ----------------------------------------------------------------

DAMAGEABLE = ["_MAIN_0.toc", ".trm", "._stored.col", ".pst", ".nar"]


@pytest.fixture
def packed_home(runner, small_archive, tmp_path) -> Config:
    """A copy of the small archive whose index a bulk reindex wrote (packs included)."""
    home = copy_home(small_archive, tmp_path / "home")
    assert runner.run("reindex", "--workers", "1", "--home", home.home).exit_code == 0
    return home


def index_file(config: Config, ending: str) -> Path:
    found = sorted(p for p in config.index_path.resolve().iterdir() if p.name.endswith(ending))
    assert found, ending
    return found[0]


def truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def scramble(path: Path) -> None:
    """Overwrite bytes in the middle of path with other bytes, keeping its size."""
    data = bytearray(path.read_bytes())
    middle = len(data) // 2
    for i in range(middle, min(middle + 64, len(data))):
        data[i] ^= 0x5A
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("ending", DAMAGEABLE)
def test_a_truncated_index_file_is_named_by_check_search_and_the_server(
    runner, packed_home, make_app, ending
):
    damaged = index_file(packed_home, ending)
    _, word = some_article(packed_home)
    truncate(damaged)
    checked = runner.run("check", "--home", packed_home.home)
    no_traceback(checked.output)
    assert checked.exit_code == 1
    assert damaged.name in checked.output and "newsarchive reindex" in checked.output
    searched = runner.run("search", word, "--home", packed_home.home)
    no_traceback(searched.output)
    assert searched.exit_code == 1
    assert "the index is damaged" in searched.output and damaged.name in searched.output
    client = make_app(packed_home.home).test_client()
    for url in (f"/?q={word}", f"/api/search?q={word}"):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "index is damaged" in response.get_data(as_text=True)
    runner.run("reindex", "--workers", "1", "--home", packed_home.home)
    assert runner.run("check", "--home", packed_home.home).exit_code == 0


@pytest.mark.parametrize("ending", DAMAGEABLE)
def test_corrupted_bytes_in_an_index_file_are_named_by_check(runner, packed_home, make_app, ending):
    damaged = index_file(packed_home, ending)
    _, word = some_article(packed_home)
    scramble(damaged)
    checked = runner.run("check", "--home", packed_home.home)
    no_traceback(checked.output)
    assert checked.exit_code == 1
    assert damaged.name in checked.output and "is corrupted" in checked.output
    # A search may not notice (the bytes may be ones it never reads), but it never
    # answers with a traceback or a 500: its error is diagnosed.
    searched = runner.run("search", word, "--home", packed_home.home)
    no_traceback(searched.output)
    assert searched.exit_code == 0 or "the index is damaged" in searched.output
    response = make_app(packed_home.home).test_client().get(f"/api/search?q={word}")
    assert response.status_code in (200, 503)


def test_each_commit_records_its_files_so_check_names_a_damaged_new_segment(runner, tmp_path):
    from fixtures import store_articles

    from archive.index.integrity import index_files

    config, store = make_archive(tmp_path, many_articles(30), index=False)
    assert runner.run("reindex", "--workers", "1", "--home", config.home).exit_code == 0
    before = {p.name for p in config.index_path.resolve().iterdir()}
    store_articles(config, store, many_articles(3, seed=40), index=True)  # an ingest's commit
    store.mark_indexed()
    store.close()
    assert runner.run("check", "--home", config.home).exit_code == 0
    live = config.index_path.resolve()
    added = [live / name for name in index_files(live) if name not in before]
    assert added, "the commit wrote a segment"
    truncate(added[0])
    checked = runner.run("check", "--home", config.home)
    assert checked.exit_code == 1 and added[0].name in checked.output


def test_an_index_without_a_record_still_checks_and_says_how_to_get_one(
    runner, small_archive, tmp_path
):
    from archive.index.integrity import MANIFEST

    home = copy_home(small_archive, tmp_path / "home")
    (home.index_path.resolve() / MANIFEST).unlink()  # as an index built before the record
    checked = runner.run("check", "--home", home.home)
    assert checked.exit_code == 0, checked.output
    assert "store and index agree" in checked.output and "reindex` adds one" in checked.output


# -- a corrupt store --------------------------------------------------------------------


def spoil_pages(path: Path) -> None:
    """Overwrite the middle third of an SQLite file's pages with a byte pattern."""
    data = bytearray(path.read_bytes())
    page = 4096
    count = len(data) // page
    for number in range(count // 3, 2 * count // 3):
        data[number * page : (number + 1) * page] = b"\xa5" * page
    path.write_bytes(bytes(data))


def test_a_corrupt_store_is_named_with_integrity_checks_answer(
    runner, small_archive, tmp_path, make_app
):
    home = copy_home(small_archive, tmp_path / "home")
    _, word = some_article(home)
    spoil_pages(home.store_path)
    for command in (["stats"], ["check"]):
        result = runner.run(*command, "--home", home.home)
        no_traceback(result.output)
        assert result.exit_code == 1
        assert f"the store at {home.store_path} is damaged" in result.output
        assert "PRAGMA integrity_check: *** in database main ***" in result.output
    client = make_app(home.home).test_client()
    for url in ("/", f"/export.csv?q={word}", "/export.jsonl", "/api/stats"):
        response = client.get(url)
        assert response.status_code in (404, 503), url  # an export never 200 then cut
        if response.status_code == 503:
            assert "is damaged" in response.get_data(as_text=True)
    assert client.get("/export.csv").status_code == 503


def test_a_file_that_is_no_database_is_named_as_a_damaged_store(
    runner, small_archive, tmp_path, make_app
):
    home = copy_home(small_archive, tmp_path / "home")
    home.store_path.write_bytes(b"not a database, whatever it was" * 200)
    result = runner.run("stats", "--home", home.home)
    no_traceback(result.output)
    assert result.exit_code == 1
    assert "is damaged (PRAGMA integrity_check: file is not a database)" in result.output
    response = make_app(home.home).test_client().get("/")
    assert response.status_code == 503
    assert "store is damaged" in response.get_data(as_text=True)


# -- a reindex killed with -9 -----------------------------------------------------------

REINDEX = """
import sys
from archive.index import builder
from archive.cli import main
builder.MAX_SEGMENT = builder.MIN_PER_WORKER = 1000  # two workers, a segment each
sys.argv = ["newsarchive", "reindex", "--workers", "2", "--home", sys.argv[1]]
main()
"""


def marked_processes(mark: str) -> list[int]:
    """Return the pids of live processes whose environment holds mark (a run's descendants)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:  # gone meanwhile, or not ours to read
            continue
        if mark.encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def wait_for(condition, what: str, seconds: float = 60.0):
    """Poll condition until it returns something true; fail after seconds."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.02)
    pytest.fail(f"waited {seconds} s for {what}")


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs Linux /proc")
def test_a_killed_reindex_takes_its_workers_along_and_the_next_keeps_the_last_good_index(
    runner, tmp_path
):
    import sys
    import uuid

    from archive.search import Criteria, Searcher

    # Segments big enough that a worker is still writing one when its parent is killed.
    home, store = make_archive(tmp_path, many_articles(2000), index=False)
    store.close()
    assert runner.run("reindex", "--workers", "1", "--home", home.home).exit_code == 0
    word = "common"  # in every article
    good = home.index_path.resolve()
    mark = f"NEWSARCHIVE_TEST_RUN={uuid.uuid4().hex}"
    env = dict(os.environ, NEWSARCHIVE_TEST_RUN=mark.split("=", 1)[1])
    run = subprocess.Popen([sys.executable, "-c", REINDEX, str(home.home)], env=env)
    try:

        def building() -> Path | None:
            # A worker is running and has written files into the new directory.
            workers = [pid for pid in marked_processes(mark) if pid != run.pid]
            fresh = [p for p in home.home.glob("whoosh-*") if p.resolve() != good]
            written = [p for p in fresh if p.is_dir() and any(p.iterdir())]
            return written[0] if workers and written else None

        abandoned = wait_for(building, "the reindex's workers to write")
        run.kill()
        run.wait()
        left = sorted(p.name for p in abandoned.iterdir())
        wait_for(lambda: not marked_processes(mark), "the workers to die with their parent", 20)
        # Dead with their parent, they wrote nothing more into the abandoned directory.
        assert sorted(p.name for p in abandoned.iterdir()) == left
        assert not any(name.endswith(".nar") for name in left)  # killed mid-segment
    finally:
        if run.poll() is None:
            run.kill()
            run.wait()
    assert home.index_path.resolve() == good  # the live index never moved
    with Searcher(home) as searcher:
        assert searcher.search(Criteria(q=word)).total > 0
    result = runner.run("reindex", "--workers", "1", "--home", home.home)
    assert result.exit_code == 0, result.output
    assert not abandoned.exists()  # the killed run's directory is no index to keep
    assert good.exists()  # the last good index is the one kept as previous
    live = home.index_path.resolve()
    assert live not in (good, abandoned)
    with Searcher(home) as searcher:
        assert searcher.search(Criteria(q=word)).total > 0
    assert runner.run("check", "--home", home.home).exit_code == 0


# -- bytes that are no HTTP request -----------------------------------------------------

TLS_HELLO = bytes.fromhex("16030100f8010000f40303") + bytes(32)  # a ClientHello's start


@pytest.mark.parametrize(
    "sent",
    [
        b"GET / HTTP/1.1\nHost: localhost\n\n",
        b"GET / HTTP/1.1\r\nHost: x\nAccept: */*\r\n",
        TLS_HELLO,
    ],
    ids=["bare-lf", "one-bare-lf", "tls"],
)
def test_bytes_that_are_no_http_request_get_a_400_at_once(small_archive, sent):
    import socket
    import threading

    from archive.web import build_server
    from archive.web.resources import close_searcher

    app, server = build_server(small_archive, "127.0.0.1", 0, threads=1)
    closing = threading.Event()

    def run() -> None:
        try:
            server.run()
        except OSError:  # its select() meeting the sockets close() just closed
            if not closing.is_set():
                raise

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=5) as client:
            client.sendall(sent)
            # The client waits no more: the answer comes (or the server closes) at once,
            # though the request never ends the way HTTP says it must.
            answer = client.recv(100)
        assert answer.startswith(b"HTTP/1.0 400 Bad Request"), answer
        with socket.create_connection(("127.0.0.1", server.effective_port), timeout=5) as client:
            client.sendall(b"GET /api/openapi.json HTTP/1.1\r\nHost: localhost\r\n\r\n")
            assert client.recv(100).startswith(b"HTTP/1.1 200 OK")  # still serving
    finally:
        closing.set()
        server.close()
        thread.join(timeout=10)
        close_searcher(app)
