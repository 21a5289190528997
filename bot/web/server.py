"""Serving the web app within the server's limits (`HTTP_*` settings).

- a new connection must send its request headers within `HTTP_HEADER_TIMEOUT_SECONDS`
  (a client dribbling headers byte by byte, "slowloris", is cut off);
- an idle connection, or one that starts another request and does not finish its
  headers, is closed `HTTP_KEEPALIVE_SECONDS` after its last answer (aiohttp's
  `keepalive_timeout`, which also bounds a connection that never sends anything);
- at most `HTTP_CONNECTIONS_PER_CLIENT` open connections per client address; one more
  is answered 429 and closed (behind a proxy every client has the proxy's address:
  raise it or set 0 there, and let the proxy cap clients);
- request lines and header fields of at most 8190 bytes (aiohttp's limits, explicit);
- bodies are never decompressed (`auto_decompress` off; `bot/web/intake.py` refuses
  compressed ones) and are read within `HTTP_BODY_TIMEOUT_SECONDS` (also there).
"""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from dataclasses import dataclass
from typing import Any, cast

from aiohttp import web
from aiohttp.web_protocol import RequestHandler

from bot.config import Settings

MAX_LINE_SIZE = 8190
MAX_FIELD_SIZE = 8190
SHUTDOWN_SECONDS = 5  # requests in flight at Ctrl-C get this long to finish
_BUSY = json.dumps({"error": {"message": "too many connections from your address"}}).encode()
_TOO_MANY = (
    b"HTTP/1.1 429 Too Many Requests\r\nContent-Type: application/json\r\nRetry-After: 5\r\n"
    b"Connection: close\r\nContent-Length: " + str(len(_BUSY)).encode() + b"\r\n\r\n" + _BUSY
)


@dataclass(frozen=True, slots=True)
class ServerLimits:
    """The connection limits of the settings."""

    header_seconds: float
    keepalive_seconds: float
    connections_per_client: int  # 0: no cap

    @classmethod
    def of(cls, settings: Settings) -> ServerLimits:
        """The limits `settings` set."""
        return cls(
            settings.http_header_timeout_seconds,
            settings.http_keepalive_seconds,
            settings.http_connections_per_client,
        )

    def runner_options(self) -> dict[str, Any]:
        """The server options of aiohttp for these limits (`web.AppRunner(app, **options)`)."""
        return {
            "keepalive_timeout": self.keepalive_seconds,
            "max_line_size": MAX_LINE_SIZE,
            "max_field_size": MAX_FIELD_SIZE,
            "auto_decompress": False,
            "shutdown_timeout": SHUTDOWN_SECONDS,
        }


class Listener:
    """The listening socket of an `AppRunner`, with the per-client cap and header deadline."""

    def __init__(self, runner: web.AppRunner, limits: ServerLimits) -> None:
        self._runner = runner
        self._limits = limits
        self._open: Counter[str] = Counter()
        self._server: asyncio.Server | None = None

    async def start(self, host: str, port: int) -> int:
        """Listen on `host:port` (0: any free port); the port listened on."""
        handlers = self._runner.server
        assert handlers is not None, "call runner.setup() first"
        loop = asyncio.get_running_loop()
        self._server = await loop.create_server(
            lambda: _Guarded(handlers(), self), host, port, reuse_address=True
        )
        port_listened: int = self._server.sockets[0].getsockname()[1]
        return port_listened

    async def stop(self) -> None:
        """Stop accepting; the runner's cleanup closes the open connections."""
        if self._server is not None:
            self._server.close()

    def admit(self, address: str) -> bool:
        """Count a new connection from `address`, unless that would pass the cap."""
        cap = self._limits.connections_per_client
        if cap and self._open[address] >= cap:
            return False
        self._open[address] += 1
        return True

    def release(self, address: str) -> None:
        """A connection from `address` closed."""
        self._open[address] -= 1
        if self._open[address] <= 0:
            del self._open[address]

    @property
    def header_seconds(self) -> float:
        """How long a new connection has for its request headers."""
        return self._limits.header_seconds


class _Guarded(asyncio.Protocol):
    """aiohttp's protocol for one connection, behind the cap and the header deadline."""

    def __init__(self, inner: RequestHandler, listener: Listener) -> None:
        self._inner = inner
        self._listener = listener
        self._address = ""
        self._admitted = False
        self._deadline: asyncio.TimerHandle | None = None
        self._tail = b""
        self._transport: asyncio.Transport | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        peer = transport.get_extra_info("peername")
        self._address = str(peer[0]) if peer else ""
        # A stream transport, though uvloop's do not subclass asyncio.Transport.
        stream = cast(asyncio.Transport, transport)
        if not self._listener.admit(self._address):
            stream.write(_TOO_MANY)
            stream.close()
            return
        self._admitted = True
        self._transport = stream
        loop = asyncio.get_running_loop()
        self._deadline = loop.call_later(self._listener.header_seconds, self._headers_late)
        self._inner.connection_made(stream)

    def _headers_late(self) -> None:
        self._deadline = None
        if self._transport is not None:
            self._transport.abort()

    def data_received(self, data: bytes) -> None:
        if not self._admitted:
            return
        if self._deadline is not None:
            # The end of the first request's headers may be split between two reads.
            if b"\r\n\r\n" in self._tail + data:
                self._deadline.cancel()
                self._deadline = None
            else:
                self._tail = data[-3:]
        self._inner.data_received(data)

    def eof_received(self) -> bool | None:
        if self._admitted:
            self._inner.eof_received()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        if not self._admitted:
            return
        if self._deadline is not None:
            self._deadline.cancel()
        self._listener.release(self._address)
        self._inner.connection_lost(exc)

    def pause_writing(self) -> None:
        self._inner.pause_writing()

    def resume_writing(self) -> None:
        self._inner.resume_writing()
