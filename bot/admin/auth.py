"""Bearer-token check for every `/api/` route."""

from __future__ import annotations

import secrets

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.http_errors import error_response
from bot.services import SERVICES


@web.middleware
async def require_admin_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer 401 on `/api/` unless `Authorization: Bearer <ADMIN_TOKEN>` is given."""
    if request.path.startswith("/api/"):
        expected = f"Bearer {request.app[SERVICES].admin_token}"
        given = request.headers.get("Authorization", "")
        if not secrets.compare_digest(given.encode(), expected.encode()):
            return error_response(
                401, "missing or wrong admin token (Authorization: Bearer <ADMIN_TOKEN>)"
            )
    return await handler(request)
