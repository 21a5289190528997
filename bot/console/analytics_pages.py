"""The marketers' lifecycle dashboard over a range of days."""

from __future__ import annotations

from aiohttp import web

from bot.analytics.dashboard import channel_filter, date_range, figures
from bot.console.accounts import Role
from bot.console.pages import render, requires
from bot.console.sessions import Session
from bot.web.keys import RECORDS

routes = web.RouteTableDef()


@routes.get("/console/analytics")
@requires(Role.ADMIN, Role.MARKETER)
async def analytics(request: web.Request, session: Session) -> web.StreamResponse:
    """The lifecycle dashboard over a date range (default: the last 30 days)."""
    try:
        start, end = date_range(request.query)
        channel = channel_filter(request.query)
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    report = await figures(request.app[RECORDS], start, end, channel=channel)
    return render(request, "analytics.html", session=session, report=report, start=start, end=end)
