"""JSON error responses shared by every HTTP endpoint."""

from __future__ import annotations

import json
from typing import Any

from aiohttp import web


def error_response(status: int, message: str, field: str | None = None) -> web.Response:
    """`{"error": {"message": ..., "field": ...}}` with `status`."""
    error: dict[str, Any] = {"message": message}
    if field is not None:
        error["field"] = field
    return web.json_response({"error": error}, status=status)


async def json_object(request: web.Request) -> dict[str, Any] | web.Response:
    """The request body as a JSON object, or a 400 response saying what is wrong."""
    try:
        body = await request.json(loads=json.loads)
    except (ValueError, UnicodeDecodeError):
        return error_response(400, "the body is not valid JSON")
    if not isinstance(body, dict):
        return error_response(400, "the body must be a JSON object")
    return body
