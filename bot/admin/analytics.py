"""`/api/analytics` (the dashboard's figures) and CSV exports of customers and events."""

from __future__ import annotations

from aiohttp import web

from bot.analytics.dashboard import channel_filter, date_range, figures
from bot.analytics.exports import customers_csv, events_csv
from bot.errors import InputError
from bot.web.downloads import csv_file
from bot.web.keys import RECORDS

routes = web.RouteTableDef()


@routes.get("/api/analytics")
async def analytics(request: web.Request) -> web.Response:
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, `to` included; default: the last 30 days).

    `&channel=zalo` narrows the figures to the customers on one channel.
    """
    try:
        start, end = date_range(request.query)
    except ValueError as exc:
        raise InputError("from/to", str(exc)) from exc
    try:
        channel = channel_filter(request.query)
    except ValueError as exc:
        raise InputError("channel", str(exc)) from exc
    report = await figures(request.app[RECORDS], start, end, channel=channel)
    return web.json_response(report)


@routes.get("/api/export/customers.csv")
async def export_customers(request: web.Request) -> web.Response:
    """One row per customer: identity, stage, language, dates, trial, NPS, referral, opt-out."""
    return csv_file(await customers_csv(request.app[RECORDS]), "customers.csv")


@routes.get("/api/export/events.csv")
async def export_events(request: web.Request) -> web.Response:
    """Every stage move and event of every customer, with its time and data (JSON)."""
    return csv_file(await events_csv(request.app[RECORDS]), "events.csv")
