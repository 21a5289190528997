"""Server-sent events for console pages: written only while the page listens.

A page that goes away closes its connection; writing to it then is no error worth a
traceback, so `send` says whether the page still listens instead of raising.
"""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web

from bot.console.sessions import COOKIE, Session
from bot.web.keys import SESSIONS

KEEP_ALIVE_SECONDS = 15


def gone(request: web.Request) -> bool:
    """Whether the page that opened the stream went away."""
    return request.transport is None or request.transport.is_closing()


async def open_stream(request: web.Request) -> web.StreamResponse:
    """The response of an event stream, its headers sent."""
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    return response


async def send(request: web.Request, response: web.StreamResponse, chunk: str) -> bool:
    """Write `chunk`; False (and nothing raised) when the page has gone."""
    if gone(request):
        return False
    try:
        await response.write(chunk.encode())
    except ConnectionResetError:
        return False
    return True


def event(data: Any, name: str | None = None) -> str:
    """One event carrying `data` as JSON."""
    head = f"event: {name}\n" if name else ""
    return f"{head}data: {json.dumps(data, ensure_ascii=False)}\n\n"


async def still_valid(request: web.Request, session: Session) -> bool:
    """Whether the session that opened the stream is still the same (not ended, not changed)."""
    return await request.app[SESSIONS].find(request.cookies.get(COOKIE)) == session
