"""The marketers' lifecycle dashboard over a range of days, and each chart as CSV."""

from __future__ import annotations

from aiohttp import web

from bot.analytics.dashboard import channel_filter, date_range, figures
from bot.console import analytics_view as view
from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.web.downloads import csv_file
from bot.web.keys import RECORDS, TIME_ZONE

routes = web.RouteTableDef()


async def _report(request: web.Request) -> tuple[dict[str, object], str, str]:
    try:
        start, end = date_range(request.query)
        channel = channel_filter(request.query)
    except ValueError as exc:
        raise web.HTTPBadRequest(text=str(exc)) from exc
    report = await figures(request.app[RECORDS], start, end, channel=channel)
    return report, str(start), str(end)


@routes.get("/console/analytics")
@requires(Role.ADMIN, Role.MARKETER)
async def analytics(request: web.Request, session: Session) -> web.StreamResponse:
    """The lifecycle dashboard over a date range (default: the last 30 days)."""
    report, start, end = await _report(request)
    language = lang(request)
    return render(
        request,
        "analytics.html",
        session=session,
        report=report,
        start=start,
        end=end,
        tables=view.tables(report, language),
        over_time=view.over_time_lines(report, language),
        comments=view.comments(report, request.app[TIME_ZONE]),
        duration=lambda seconds: view.duration(seconds, language),
        percent=lambda ratio: view.percent(ratio, language),
        number=lambda value: view.number(value, language),
        zone=request.app[TIME_ZONE],
    )


@routes.get("/console/analytics/{chart}.csv")
@requires(Role.ADMIN, Role.MARKETER)
async def chart_csv(request: web.Request, session: Session) -> web.StreamResponse:
    """One chart's figures as CSV, over the same range as the page."""
    chart = request.match_info["chart"]
    if chart not in view.CHARTS:
        raise web.HTTPNotFound(text=f"no chart {chart!r}")
    report, start, end = await _report(request)
    rows = view.tables(report, lang(request))[chart]
    return csv_file(view.as_csv(rows), f"{chart}-{start}-{end}.csv")
