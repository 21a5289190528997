"""What a webhook answers when an update could not be stored: 503 with Retry-After.

Telegram, Zalo and Meta deliver an update again after a 5xx; the message ids make the
second delivery safe once the first was stored after all.
"""

from __future__ import annotations

from aiohttp import web

from bot.web.errors import error_response

RETRY_AFTER_SECONDS = 5


def not_stored() -> web.Response:
    """`{"error": {...}}` 503 with `Retry-After`: the platform should deliver it again."""
    response = error_response(503, "the update could not be stored; deliver it again later")
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
