"""The web chat: `/chat` (a page) and `/chat/widget.js` (one script tag on any site).

The widget talks to the REST channel (`POST /webhooks/rest/webhook`, and the outbox for
staff replies and proactive messages) with the session token it got from
`POST /webhooks/rest/session`; cross-origin calls from shops' sites are allowed for the
REST channel only, for the origins in `WEB_CHAT_ORIGINS` (default: the bot's own).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import partial
from importlib.resources import files

from aiohttp import web

from bot.locale import page_locale

_WIDGET = files(__package__).joinpath("widget.js").read_text(encoding="utf-8")
_PAGE = """<!doctype html>
<html lang="{locale}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>SaleMate</title></head>
<body><script src="/chat/widget.js" data-full-page data-locale="{locale}"></script></body></html>
"""
REST_PREFIX = "/webhooks/rest/"


def register_routes(app: web.Application, origins: Sequence[str]) -> None:
    """The page, the script, and CORS on the REST channel's routes for `origins`."""
    allowed = [o.strip() for o in origins]
    app.router.add_get("/chat", page)
    app.router.add_get("/chat/widget.js", widget)
    app.router.add_route("OPTIONS", REST_PREFIX + "{tail:.*}", partial(preflight, allowed))
    app.on_response_prepare.append(partial(cross_origin_headers, allowed))


async def page(request: web.Request) -> web.Response:
    """A full-page chat; `?lang=en` picks the language, `?ref=<code>` a referral."""
    locale = page_locale(request.query.get("lang"))
    return web.Response(text=_PAGE.format(locale=locale), content_type="text/html")


async def widget(request: web.Request) -> web.Response:
    """The embeddable script."""
    return web.Response(
        text=_WIDGET,
        content_type="application/javascript",
        headers={"Cache-Control": "public, max-age=300"},
    )


def _allow(allowed: list[str], request: web.Request) -> str | None:
    origin = request.headers.get("Origin")
    return "*" if "*" in allowed else origin if origin in allowed else None


async def preflight(allowed: list[str], request: web.Request) -> web.Response:
    """A browser asks whether a shop's page may call the REST channel."""
    return web.Response(status=204 if _allow(allowed, request) else 403)


async def cross_origin_headers(
    allowed: list[str], request: web.Request, response: web.StreamResponse
) -> None:
    """CORS headers on every REST channel response (errors too), so the widget reads them."""
    if not request.path.startswith(REST_PREFIX):
        return
    allow = _allow(allowed, request)
    if allow is not None:
        response.headers["Access-Control-Allow-Origin"] = allow
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Authorization"
        response.headers["Vary"] = "Origin"
