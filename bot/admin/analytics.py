"""`/api/analytics` (the dashboard's figures) and CSV exports of customers and events."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from aiohttp import web

from bot.analytics.records import CustomerRecord, customer_records
from bot.analytics.report import report
from bot.http_errors import error_response
from bot.services import SERVICES, Services

routes = web.RouteTableDef()
DEFAULT_DAYS = 30


@routes.get("/api/analytics")
async def analytics(request: web.Request) -> web.Response:
    """`?from=YYYY-MM-DD&to=YYYY-MM-DD` (UTC days, `to` included; default: the last 30 days)."""
    try:
        start, end = date_range(request)
    except ValueError as exc:
        return error_response(422, str(exc), "from/to")
    return web.json_response(await figures(request.app[SERVICES], start, end))


def date_range(request: web.Request) -> tuple[date, date]:
    """The days `?from=` and `?to=` name (both included), by default the last 30 days.

    Raises:
        ValueError: a day is not like 2026-11-23, or `to` is before `from`.

    """
    today = datetime.now(UTC).date()
    start = _day(request.query.get("from")) or today - timedelta(days=DEFAULT_DAYS)
    end = _day(request.query.get("to")) or today
    if end < start:
        raise ValueError("`to` must not be before `from`")
    return start, end


async def figures(services: Services, start: date, end: date) -> dict[str, Any]:
    """The analytics report for the UTC days `start` to `end`, both included."""
    since = datetime(start.year, start.month, start.day, tzinfo=UTC)
    until = datetime(end.year, end.month, end.day, tzinfo=UTC) + timedelta(days=1)
    records = [r async for r in _records(services)]
    return report(records, since.timestamp(), until.timestamp())


@routes.get("/api/export/customers.csv")
async def customers_csv(request: web.Request) -> web.Response:
    """One row per customer: identity, stage, language, dates, trial, NPS, referral, opt-out."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "user_id",
            "identities",
            "stage",
            "locale",
            "created",
            "stage_entered_at",
            "last_seen",
            "trial_code",
            "trial_expires",
            "nps",
            "referral_code",
            "referred_by",
            "opted_out",
        ]
    )
    async for record in _records(request.app[SERVICES]):
        user, state = record.user, record.user.state
        trial = state.get("trial") or {}
        writer.writerow(
            [
                user.id,
                " ".join(user.identities),
                user.stage.value,
                user.locale,
                _iso(user.created),
                _iso(user.stage_entered_at),
                _iso(state.get("last_seen")),
                trial.get("code", ""),
                _iso(trial.get("expires")),
                (state.get("nps") or {}).get("score", ""),
                state.get("referral_code", ""),
                state.get("referred_by", ""),
                bool(state.get("opted_out")),
            ]
        )
    return _csv(out, "customers.csv")


@routes.get("/api/export/events.csv")
async def events_csv(request: web.Request) -> web.Response:
    """Every stage move and event of every customer, with its time and data (JSON)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["user_id", "at", "kind", "data"])
    async for record in _records(request.app[SERVICES]):
        for move in record.history:
            data = {"from": move.from_stage, "to": move.to_stage, "reason": move.reason}
            writer.writerow([record.user.id, _iso(move.at), "stage", json.dumps(data)])
        for event in record.events:
            writer.writerow(
                [
                    record.user.id,
                    _iso(event.at),
                    event.kind,
                    json.dumps(event.data, ensure_ascii=False),
                ]
            )
    return _csv(out, "events.csv")


def _records(services: Services) -> AsyncIterator[CustomerRecord]:
    return customer_records(services.redis, services.keys, services.users)


def _day(value: str | None) -> date | None:
    if not value:
        return None
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError:
        raise ValueError(f"{value!r} is not a date like 2026-11-23") from None


def _iso(at: object) -> str:
    if not isinstance(at, int | float):
        return ""
    return datetime.fromtimestamp(at, UTC).isoformat(timespec="seconds")


def _csv(out: io.StringIO, name: str) -> web.Response:
    return web.Response(
        text=out.getvalue(),
        content_type="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
