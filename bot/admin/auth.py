"""Bearer-token check for every `/api/` route."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.errors import Unauthorized
from bot.web.credentials import same_secret
from bot.web.intake import EVENTS_PATH
from bot.web.keys import ADMIN_TOKEN, EVENTS_KEY


@web.middleware
async def require_admin_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 on `/api/` unless `Authorization: Bearer <ADMIN_TOKEN>` is given.

    `POST /api/events` also takes `EVENTS_KEY`, which opens nothing else.
    """
    if request.path.startswith("/api/"):
        given = request.headers.get("Authorization", "")
        if not same_secret(given, f"Bearer {request.app[ADMIN_TOKEN]}") and not _events_key(
            request, given
        ):
            raise Unauthorized("missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)")
    return await handler(request)


def _events_key(request: web.Request, given: str) -> bool:
    """Whether this is a product event sent with the write-only events key."""
    key = request.app[EVENTS_KEY]
    if key is None or request.method != "POST" or request.path != EVENTS_PATH:
        return False
    return same_secret(given, f"Bearer {key}")
