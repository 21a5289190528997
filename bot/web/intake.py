"""How a request body is let in: unencoded, within the route's size, within the time limit.

Every body is read here, before a handler runs, so no handler can be kept waiting by a
slow client or fed more than its route allows:

- a body whose Content-Type names a charset other than UTF-8 is refused with 415;
- a compressed body (`Content-Encoding: gzip`, `deflate`, ...) is refused with 415
  without being decompressed (the server itself never decompresses: `auto_decompress`
  is off in `bot/web/server.py`);
- a body over the route's limit is refused with 413 (from `Content-Length` at once, or
  as soon as the read passes the limit); the policy editor's form has a larger limit
  than the public routes;
- a body still arriving after `HTTP_BODY_TIMEOUT_SECONDS` is refused with 408.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.config import Settings
from bot.errors import RequestTimeout, TooLarge, UnsupportedMedia
from bot.web.bodies import check_charset

# Routes whose forms carry every policy file at once.
LARGE_FORM_PREFIXES = ("/console/studio",)
EVENTS_PATH = "/api/events"  # batches of up to 1,000 product events
_IDENTITY = ("", "identity")


@dataclass(frozen=True, slots=True)
class BodyLimits:
    """The body limits of the settings."""

    max_bytes: int
    large_form_bytes: int
    timeout_seconds: float
    events_bytes: int = 1024 * 1024

    @classmethod
    def of(cls, settings: Settings) -> BodyLimits:
        """The limits `settings` set."""
        return cls(
            settings.http_body_max_bytes,
            settings.console_form_max_bytes,
            settings.http_body_timeout_seconds,
            settings.events_max_bytes,
        )

    def for_path(self, path: str) -> int:
        """The largest body a request to `path` may have."""
        if path == EVENTS_PATH:
            return self.events_bytes
        return self.large_form_bytes if path.startswith(LARGE_FORM_PREFIXES) else self.max_bytes


BODY_LIMITS = web.AppKey("body_limits", BodyLimits)


@web.middleware
async def intake(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Read the body within the limits of the module's documentation, then run the handler."""
    if not request.body_exists:
        return await handler(request)
    encoding = request.headers.get("Content-Encoding", "").strip().lower()
    if encoding not in _IDENTITY:
        raise UnsupportedMedia(f"compressed bodies ({encoding}) are not accepted; send it plain")
    check_charset(request)
    limits = request.app[BODY_LIMITS]
    limit = limits.for_path(request.path)
    if request.content_length is not None and request.content_length > limit:
        raise TooLarge(f"the body is over {limit} bytes")
    request = request.clone(client_max_size=limit + 1)
    try:
        async with asyncio.timeout(limits.timeout_seconds):
            await request.read()
    except TimeoutError:
        raise RequestTimeout(
            f"the body did not arrive within {limits.timeout_seconds:g} seconds"
        ) from None
    except web.HTTPRequestEntityTooLarge:
        raise TooLarge(f"the body is over {limit} bytes") from None
    return await handler(request)
