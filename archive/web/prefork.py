"""Guards of a waitress server under load, and worker processes sharing one socket.

Each waitress server is guarded (README: Limits):
- channel_timeout: a connection idle that long is closed. Slow or silent clients never
  hold a thread (waitress reads a whole request before a thread sees it), only a slot.
- stalled readers: a response whose client stopped reading (output buffered past
  outbuf_high_watermark, nothing sent for channel_timeout seconds) is closed, which frees
  the thread that was waiting to write more of it (an export, say).
- overload: a request taken up while more than queue_per_thread x threads requests wait
  behind it in this process is answered 503 with Retry-After at once, so no request
  waits unboundedly.

serve_forked() runs a worker function in several forked processes on sockets bound once
by bind() (a port in use is one clear error: PortInUse); it restarts a worker that dies
and stops them all on SIGINT or SIGTERM; a worker whose parent is gone stops too.
"""

from __future__ import annotations

import contextlib
import errno
import json
import logging
import os
import signal
import socket
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, NamedTuple

from archive.errors import PortInUse

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

CHANNEL_TIMEOUT = 30  # seconds a connection may stay idle, or a response unread
OUTBUF_HIGH_WATERMARK = 1 << 20  # bytes buffered for one response before its thread waits
CONNECTION_LIMIT = 500  # open connections per worker process before it stops accepting
QUEUE_PER_THREAD = 16  # requests waiting per thread before newcomers get 503
MAX_REQUEST_HEADERS = 64 * 1024  # bytes of request line and headers (the URL) before 431
RETRY_AFTER = 5  # seconds an overloaded server asks clients to wait


class Guards(NamedTuple):
    """Waitress settings that bound what one client or a crowd can hold (README: Limits)."""

    channel_timeout: int = CHANNEL_TIMEOUT
    outbuf_high_watermark: int = OUTBUF_HIGH_WATERMARK
    connection_limit: int = CONNECTION_LIMIT
    queue_per_thread: int = QUEUE_PER_THREAD
    max_request_headers: int = MAX_REQUEST_HEADERS

    def adjustments(self) -> dict[str, Any]:
        """Return the waitress options these guards set."""
        return {
            "channel_timeout": self.channel_timeout,
            "outbuf_high_watermark": self.outbuf_high_watermark,
            "connection_limit": self.connection_limit,
            "max_request_header_size": self.max_request_headers,
            "cleanup_interval": max(1, min(30, self.channel_timeout // 2)),
        }


class Admission:
    """WSGI middleware: answer 503 at once when too many requests queue in this process."""

    def __init__(self, app: WSGIApp, max_queue: int) -> None:
        self.app = app
        self.max_queue = max_queue
        self.queue: Any = ()  # the waitress dispatcher's queue, set once the server exists

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Any:
        if len(self.queue) > self.max_queue:
            return _busy(environ, start_response)
        return self.app(environ, start_response)


def _busy(environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
    message = "The archive is busy: try again in a few seconds."
    if str(environ.get("PATH_INFO", "")).startswith("/api/"):
        body = json.dumps({"error": message, "status": 503}).encode()
        kind = "application/json"
    else:
        body = message.encode()
        kind = "text/plain; charset=utf-8"
    start_response(
        "503 Service Unavailable",
        [
            ("Content-Type", kind),
            ("Content-Length", str(len(body))),
            ("Retry-After", str(RETRY_AFTER)),
        ],
    )
    return [body]


def guard(server: Any, admission: Admission) -> None:
    """Hook the guards into a created waitress server (one socket's or several)."""
    admission.queue = server.task_dispatcher.queue
    for each in _socket_servers(server):
        _close_stalled_readers(each)


def _socket_servers(server: Any) -> list[Any]:
    if hasattr(server, "active_channels"):
        return [server]
    return [s for s in server.map.values() if hasattr(s, "active_channels")]


def _close_stalled_readers(server: Any) -> None:
    """Close, at each maintenance pass, connections whose client stopped reading a response:
    waitress keeps them while a request is active, and the thread writing it waits forever."""
    plain = server.maintenance

    def maintenance(now: float) -> None:
        plain(now)
        cutoff = now - server.adj.channel_timeout
        for channel in list(server.active_channels.values()):
            stalled = channel.total_outbufs_len >= server.adj.outbuf_high_watermark
            if channel.requests and stalled and channel.last_activity < cutoff:
                # The socket never turns writable, so waitress would never close it:
                # closing wakes the waiting thread with ClientDisconnected. Closed after
                # this select() round (maintenance runs while its fd lists are built).
                log.info("closing a connection that stopped reading its response")
                server.trigger.pull_trigger(channel.handle_close)

    server.maintenance = maintenance


def bind(host: str, port: int, backlog: int = 1024) -> list[socket.socket]:
    """Bind and listen on every address host names (localhost: IPv4 and IPv6)."""
    from waitress.adjustments import Adjustments

    sockets: list[socket.socket] = []
    try:
        listen: list[Any] = Adjustments(host=host, port=port).listen  # (family, ..., address)
        for family, _kind, _proto, address in listen:
            sock = socket.socket(family, socket.SOCK_STREAM)
            sockets.append(sock)
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            if family == socket.AF_INET6:
                sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
            sock.bind(address)
            sock.listen(backlog)
    except OSError as exc:
        for sock in sockets:
            sock.close()
        raise port_error(exc, host, port) from exc
    return sockets


def port_error(exc: OSError, host: str, port: int) -> Exception:
    """Return a clear error for a port in use; any other OSError as it is."""
    if exc.errno == errno.EADDRINUSE:
        return PortInUse(
            f"port {port} on {host} is already in use: stop the program serving there "
            "or choose another port with --port"
        )
    return exc


def serve_forked(
    sockets: list[socket.socket], workers: int, run_worker: Callable[[], None]
) -> None:
    """Run run_worker in `workers` forked processes sharing sockets until SIGINT/SIGTERM."""
    children: dict[int, int] = {}  # pid -> slot
    stopping = threading.Event()

    def start(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the worker
            _worker(os.getppid(), run_worker)
        children[pid] = slot

    def stop(_signum: int, _frame: object) -> None:
        stopping.set()
        for pid in list(children):
            _signal(pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    for slot in range(workers):
        start(slot)
    try:
        while children:
            pid, status = os.wait()
            ended = children.pop(pid) if pid in children else None
            if ended is not None and not stopping.is_set():
                log.warning("worker %s ended (status %s): starting another", pid, status)
                time.sleep(0.5)  # a worker failing at once must not spin
                start(ended)
    except ChildProcessError:
        pass
    finally:
        for sock in sockets:
            sock.close()


def _worker(parent: int, run_worker: Callable[[], None]) -> None:
    """Run one worker process: its server until a signal, or until its parent is gone."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent stops its workers itself

    def watch_parent() -> None:
        while os.getppid() == parent:
            time.sleep(1)
        os._exit(0)

    threading.Thread(target=watch_parent, daemon=True).start()
    code = 0
    try:
        run_worker()
    except BaseException:  # a worker must never return into the parent's code
        log.exception("worker failed")
        code = 1
    finally:
        os._exit(code)


def _signal(pid: int, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signum)
