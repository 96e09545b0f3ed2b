"""Serving the archive: waitress servers (build_server) in pre-forked worker processes (serve).

serve() binds the socket once, then forks `workers` processes (prefork.py); each runs a
waitress server with `threads` threads on that socket and opens its own searcher over the
index, read-only, so searches run on every core while each process serialises its own.
build_server() makes one guarded waitress server in this process: what each worker runs,
and what tests serve on a real socket.
"""

from __future__ import annotations

import logging
import socket
from typing import Any, NamedTuple

from flask import Flask

from archive.config import DEFAULT_WORKERS, Config
from archive.web.http_only import speak_only_http
from archive.web.prefork import (
    RETRY_AFTER,
    Admission,
    Guards,
    PortInUse,
    bind,
    guard,
    port_error,
    serve_forked,
)

log = logging.getLogger(__name__)
__all__ = ["RETRY_AFTER", "PortInUse", "Server", "build_server", "serve", "url_host"]


def url_host(host: str) -> str:
    """Return a bound address as a URL's host: a wildcard as this machine's name, an IPv6
    address in brackets."""
    if host in ("", "0.0.0.0", "::"):
        return socket.getfqdn()
    return f"[{host}]" if ":" in host else host


class Server(NamedTuple):
    """A bound waitress server and the app it serves (whose searcher its owner closes)."""

    app: Flask
    waitress: Any  # waitress.server.BaseWSGIServer: run(), close(), effective_port


def build_server(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 4,
    url_prefix: str = "",
    trusted_proxy: str | None = None,
    base_url: str | None = None,
    sockets: list[socket.socket] | None = None,
    guards: Guards | None = None,
) -> Server:
    """Return a waitress server of the archive, bound and ready to run (port 0: any free one),
    or serving sockets already bound (serve's workers); guarded as prefork.py says.

    Absolute links (feeds, exports) go under base_url when given; else under the trusted
    proxy's forwarded address when there is a proxy; else under the address bound here.
    """
    from waitress.server import create_server

    from archive.web import create_app

    app = create_app(
        {
            "ARCHIVE_HOME": str(config.home),
            "ARCHIVE_TIMEZONE": config.display_timezone,  # pages show times in it
            "ARCHIVE_BASE_URL": base_url,
            "ARCHIVE_SEARCH_TIMEOUT": config.search_timeout,
        }
    )
    guards = guards or Guards()
    where: dict[str, Any] = {"sockets": sockets} if sockets else {"host": host, "port": port}
    if sockets:
        port = sockets[0].getsockname()[1]
    options: dict[str, Any] = {
        **where,
        **guards.adjustments(),
        "threads": threads,
        "ident": "newsarchive",
        "url_prefix": url_prefix,
    }
    if trusted_proxy:
        # Believe X-Forwarded-* only from the proxy, so links and feeds use the public URL.
        options.update(
            trusted_proxy=trusted_proxy,
            clear_untrusted_proxy_headers=True,
            trusted_proxy_headers="x-forwarded-for x-forwarded-host "
            "x-forwarded-proto x-forwarded-port",
        )
    admission = Admission(app.wsgi_app, guards.queue_per_thread * threads)
    app.wsgi_app = admission  # type: ignore[method-assign]
    try:
        server = create_server(app, **options)
    except OSError as exc:
        raise port_error(exc, host, port) from exc
    guard(server, admission)
    speak_only_http(server)  # bare-LF or TLS bytes: a 400 at once (http_only.py)
    if trusted_proxy:
        app.config["ARCHIVE_TRUST_FORWARDED"] = True
    else:
        # A name bound on several sockets (localhost: IPv4 and IPv6) has no single
        # effective port; the port asked for is then the one bound.
        bound = getattr(server, "effective_port", port)
        app.config["ARCHIVE_SERVED_AT"] = f"http://{url_host(host)}:{bound}"
    return Server(app, server)


def serve(
    config: Config,
    host: str = "127.0.0.1",
    port: int = 5000,
    *,
    threads: int = 4,
    workers: int = DEFAULT_WORKERS,
    url_prefix: str = "",
    trusted_proxy: str | None = None,
    base_url: str | None = None,
) -> None:
    """Serve the archive until interrupted: `workers` processes of waitress with `threads`
    threads each on one socket (server.py); PortInUse when the port is taken."""
    sockets = bind(host, port)
    logging.basicConfig(level=logging.INFO)
    where = f"http://{url_host(host)}:{port}{url_prefix}/"
    log.info("serving %s on %s with %d worker(s)", config.home, where, workers)

    def run_worker() -> None:
        build_server(
            config,
            host,
            port,
            threads=threads,
            url_prefix=url_prefix,
            trusted_proxy=trusted_proxy,
            base_url=base_url,
            sockets=sockets,
        ).waitress.run()

    serve_forked(sockets, workers, run_worker)
