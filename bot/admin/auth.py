"""Bearer-token check for every `/api/` route."""

from __future__ import annotations

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.errors import Unauthorized
from bot.web.credentials import same_secret
from bot.web.keys import ADMIN_TOKEN


@web.middleware
async def require_admin_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 on `/api/` unless `Authorization: Bearer <ADMIN_TOKEN>` is given."""
    if request.path.startswith("/api/"):
        expected = f"Bearer {request.app[ADMIN_TOKEN]}"
        given = request.headers.get("Authorization", "")
        if not same_secret(given, expected):
            raise Unauthorized("missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)")
    return await handler(request)
