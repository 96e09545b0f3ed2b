"""The server under hostile load (issue 10, findings 1 and 5): on real sockets, export
clients that never read hold no thread for good and never block a search, exports at once
are capped (503 + Retry-After), silent connections are dropped after the channel timeout,
an overloaded process answers 503 at once, `serve` runs worker processes and stops them,
and a port in use is one line and exit 1.

Waits here are liveness bounds (a socket timeout so a hang fails instead of blocking the
suite), never assertions on how fast something was.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from contextlib import contextmanager
from pathlib import Path

import pytest
from fixtures import build_archive
from waitress import wasyncore

from archive.config import Config
from archive.models import Article
from archive.web import build_server
from archive.web.prefork import Admission, Guards
from archive.web.resources import close_searcher

TIMEOUT = 30  # seconds before a client gives up: only a hang gets near it
FAST = Guards(channel_timeout=2, outbuf_high_watermark=16 * 1024)


@pytest.fixture(scope="module")
def big_archive(tmp_path_factory) -> Config:
    """An archive whose export (about 6 MB) fills any socket buffer a test client leaves."""
    words = ["river", "bridge", "harvest", "market", "storm", "court", "vote", "energy"]
    articles = [
        Article(
            title=f"Long report {i}",
            body=" ".join(words[(i + j) % len(words)] for j in range(3000)) + f" number{i}",
            url=f"https://long.test/{i}",
        )
        for i in range(300)
    ]
    return build_archive(tmp_path_factory.mktemp("big") / "home", articles)


@contextmanager
def served(config: Config, threads: int = 4, guards: Guards = FAST):
    """Run build_server's waitress on a free loopback port in a thread; yield the port."""
    app, server = build_server(config, "127.0.0.1", 0, threads=threads, guards=guards)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        yield int(server.effective_port)
    finally:
        # Closed from the server's own loop, so no select() ever sees a closed descriptor.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(server._map))
        thread.join(timeout=TIMEOUT)
        server.task_dispatcher.shutdown(timeout=TIMEOUT)
        close_searcher(app)


def get(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def never_reading(port: int, path: str) -> socket.socket:
    """Open a connection that asks for path and then reads nothing (a tiny receive buffer)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.connect(("127.0.0.1", port))
    sock.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    return sock


def status_of(sock: socket.socket) -> int:
    """Read the status line a server sent on sock."""
    sock.settimeout(TIMEOUT)
    return int(sock.recv(64).split(b" ", 2)[1])


def test_exports_that_are_never_read_do_not_block_a_search(big_archive):
    with served(big_archive, threads=4) as port:
        hogs = [never_reading(port, "/export.jsonl") for _ in range(4)]
        try:
            statuses = sorted(status_of(sock) for sock in hogs)
            # Two exports stream (and stall); the others are told to come back.
            assert statuses == [200, 200, 503, 503]
            status, _, body = get(port, "/api/search?q=harvest")
            assert status == 200 and json.loads(body)["total"] == 300
            status, _, _ = get(port, "/api/openapi.json")
            assert status == 200
        finally:
            for sock in hogs:
                sock.close()


def test_a_stalled_export_is_closed_and_its_slot_freed(big_archive):
    with served(big_archive, threads=3) as port:
        hogs = [never_reading(port, "/export.jsonl") for _ in range(2)]
        try:
            assert [status_of(sock) for sock in hogs] == [200, 200]
            status, headers, body = get(port, "/export.jsonl")
            assert status == 503 and headers["Retry-After"].isdigit()
            assert "try again" in json.loads(body)["error"]
            # After the channel timeout the stalled streams are closed: exports run again.
            deadline = time.monotonic() + TIMEOUT
            while time.monotonic() < deadline:
                status, _, body = get(port, "/export.jsonl?q=number7")
                if status == 200:
                    break
                time.sleep(0.5)
            assert status == 200 and body.count(b"\n") == 1
            for sock in hogs:  # the server hung up on them
                sock.settimeout(TIMEOUT)
                while sock.recv(1 << 16):
                    pass
        finally:
            for sock in hogs:
                sock.close()


def test_a_silent_connection_is_dropped_after_the_channel_timeout(big_archive):
    with served(big_archive) as port:
        slow = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT)
        try:
            slow.sendall(b"GET /api/search?q=storm HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no end
            assert slow.recv(1024) == b""  # closed by the server, not by our timeout
            assert get(port, "/api/search?q=storm")[0] == 200
        finally:
            slow.close()


def test_overload_answers_503_with_retry_after_at_once():
    def app(environ, start_response):
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"searched"]

    admission = Admission(app, max_queue=2)
    admission.queue = deque(["waiting", "waiting"])
    sent: list[tuple[str, list]] = []

    def start_response(status, headers):
        sent.append((status, headers))

    assert admission({"PATH_INFO": "/"}, start_response) == [b"searched"]
    admission.queue.append("one too many")
    body = b"".join(admission({"PATH_INFO": "/api/search"}, start_response))
    status, headers = sent[-1]
    assert status.startswith("503") and ("Retry-After", "5") in headers
    assert json.loads(body)["status"] == 503


def test_a_server_on_a_port_in_use_says_so_in_one_line(runner, small_archive):
    taken = socket.socket()
    taken.bind(("127.0.0.1", 0))
    taken.listen(1)
    try:
        port = taken.getsockname()[1]
        result = runner.run("serve", "--home", small_archive.home, "--port", port)
    finally:
        taken.close()
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert f"port {port} on 127.0.0.1 is already in use" in result.output
    assert "--port" in result.output


def children_of(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_serve_runs_worker_processes_and_stops_them(small_archive, tmp_path):
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    command = [sys.executable, "-m", "archive", "serve", "--home", str(small_archive.home)]
    log = (tmp_path / "serve.log").open("w")
    process = subprocess.Popen(
        [*command, "--port", str(port), "--workers", "2", "--threads", "2"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workers: list[int] = []
    try:
        for _ in range(300):  # readiness: give up after about 30 s
            try:
                status, _, _ = get(port, "/api/search?q=talks")
                break
            except OSError:
                time.sleep(0.1)
        assert status == 200
        workers = children_of(process.pid)
        assert len(workers) == 2
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=TIMEOUT) is not None
        log.close()
    for pid in workers:  # reaped by serve: no process is left behind
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_the_load_bench_prints_throughput_percentiles_and_targets(small_archive):
    script = Path(__file__).resolve().parents[1] / "bench" / "bench_load.py"
    done = subprocess.run(
        [sys.executable, str(script), "--home", str(small_archive.home), "--seconds", "1"]
        + ["--clients", "1,2", "--max-requests", "20", "--workers", "1"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert any(line.strip().startswith("2 clients + 32 slow:") for line in lines), lines
    runs = [line for line in lines if " clients" in line and " req/s," in line]
    assert len(runs) == 3 and all("errors none" in line for line in runs), done.stdout
    assert lines[-1].startswith("targets: at 32 clients")


def test_a_request_line_past_the_header_limit_is_refused(small_archive):
    guards = FAST._replace(max_request_headers=8 * 1024)
    with served(small_archive, guards=guards) as port:
        url = "/?" + "&".join(f"person=p{i}" for i in range(4000))  # 51 KB, as finding 3
        assert get(port, url)[0] == 431
        assert get(port, "/api/search?q=talks")[0] == 200
