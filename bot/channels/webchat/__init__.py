"""The web chat: `/chat` (a page) and `/chat/widget.js` (one script tag on any site).

The widget talks to the REST channel (`POST /webhooks/rest/webhook`, and the outbox for
staff replies and proactive messages); cross-origin calls from shops' sites are allowed
for the REST channel only, for the origins in `WEB_CHAT_ORIGINS`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from importlib.resources import files

from aiohttp import web

from bot.services import SERVICES

routes = web.RouteTableDef()

_WIDGET = files(__package__).joinpath("widget.js").read_text(encoding="utf-8")
_PAGE = """<!doctype html>
<html lang="{locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SaleMate</title></head>
<body><script src="/chat/widget.js" data-full-page data-locale="{locale}"></script></body></html>
"""
REST_PREFIX = "/webhooks/rest/"


@routes.get("/chat")
async def page(request: web.Request) -> web.Response:
    """A full-page chat; `?lang=en` picks the language, `?ref=<code>` a referral."""
    locale = "en" if request.query.get("lang") == "en" else "vi"
    return web.Response(text=_PAGE.format(locale=locale), content_type="text/html")


@routes.get("/chat/widget.js")
async def widget(request: web.Request) -> web.Response:
    """The embeddable script."""
    return web.Response(
        text=_WIDGET,
        content_type="application/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )


Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]


@web.middleware
async def cross_origin(request: web.Request, handler: Handler) -> web.StreamResponse:
    """CORS for the REST channel, so the widget works on a shop's own site."""
    if not request.path.startswith(REST_PREFIX):
        return await handler(request)
    origin = request.headers.get("Origin")
    allowed = [o.strip() for o in request.app[SERVICES].settings.web_chat_origins.split(",")]
    allow = "*" if "*" in allowed else origin if origin in allowed else None
    if request.method == "OPTIONS":
        response: web.StreamResponse = web.Response(status=204 if allow else 403)
    else:
        response = await handler(request)
    if allow is not None:
        response.headers["Access-Control-Allow-Origin"] = allow
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type"
        response.headers["Vary"] = "Origin"
    return response
