"""Answer at once what is not an HTTP/1.x request, instead of waiting for its end.

waitress reads a request until the blank line (CR LF CR LF) that ends its header. A
client whose lines end in a bare LF, or one speaking TLS to the plain-HTTP port, never
sends that line, so the connection would sit until the client gave up. Here the parser
looks at the bytes as they come: a bare LF anywhere in the header, or a first byte that
cannot start a request line (TLS records start 0x16, SSLv2 hellos 0x80), is a 400 sent
at once, and waitress closes the connection after an error.
"""

from __future__ import annotations

import re
from typing import Any

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser
from waitress.utilities import BadRequest

_BARE_LF = re.compile(rb"(?<!\r)\n")
# A request line starts with a method: letters (leading blank lines are allowed).
_REQUEST_START = re.compile(rb"[\r\n]*[A-Za-z]")


def not_http(head: bytes) -> str | None:
    """Say why the start of a request's header is no HTTP/1.x, or None while it may be."""
    stripped = head.lstrip(b"\r\n")
    if stripped and not _REQUEST_START.match(stripped):
        return "this is not an HTTP request (a TLS handshake? this server speaks plain HTTP)"
    if _BARE_LF.search(head):
        return "header lines must end with CR LF, not a bare LF"
    return None


class StrictRequestParser(HTTPRequestParser):
    """waitress's parser, refusing a request at the first byte that shows it is not HTTP."""

    def received(self, data: bytes) -> int:
        if self.body_rcv is None and not self.completed:
            reason = not_http(self.header_plus + data)
            if reason is not None:
                # As waitress does for a header too large: a minimal request carrying an error.
                self.parse_header(b"GET / HTTP/1.0\r\n")
                self.error = BadRequest(reason)
                self.completed = True
                return len(data)
        consumed: int = super().received(data)
        return consumed


class StrictChannel(HTTPChannel):
    """A waitress connection that parses with StrictRequestParser."""

    parser_class = StrictRequestParser


def speak_only_http(server: Any) -> None:
    """Make a created waitress server (one socket's or several) refuse non-HTTP at once."""
    servers = [server] if hasattr(server, "channel_class") else list(server.map.values())
    for each in servers:
        if hasattr(each, "channel_class"):
            each.channel_class = StrictChannel
