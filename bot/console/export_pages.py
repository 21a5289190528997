"""The console's CSV downloads: every customer, every stage move and event."""

from __future__ import annotations

from aiohttp import web

from bot.analytics.exports import customers_csv, events_csv
from bot.console.accounts import Role
from bot.console.pages import requires
from bot.console.sessions import Session
from bot.web.downloads import csv_file
from bot.web.keys import RECORDS

routes = web.RouteTableDef()


@routes.get("/console/export/customers.csv")
@requires(Role.ADMIN, Role.MARKETER)
async def export_customers(request: web.Request, session: Session) -> web.StreamResponse:
    """The customers CSV, for a logged-in marketer."""
    return csv_file(await customers_csv(request.app[RECORDS]), "customers.csv")


@routes.get("/console/export/events.csv")
@requires(Role.ADMIN, Role.MARKETER)
async def export_events(request: web.Request, session: Session) -> web.StreamResponse:
    """The events CSV, for a logged-in marketer."""
    return csv_file(await events_csv(request.app[RECORDS]), "events.csv")
