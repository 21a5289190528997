"""The one error path of the HTTP API: `InputError` in, a JSON 4xx out."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from bot.errors import InputError


def error_response(status: int, message: str, field: str | None = None) -> web.Response:
    """`{"error": {"message": ..., "field": ...}}` with `status`."""
    error: dict[str, Any] = {"message": message}
    if field is not None:
        error["field"] = field
    return web.json_response({"error": error}, status=status)


@web.middleware
async def input_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Answer an `InputError` raised by a handler (or an inner middleware) as JSON."""
    try:
        return await handler(request)
    except InputError as exc:
        return error_response(exc.status, exc.message, exc.field)
