"""`POST /api/events`: product events, one or a batch; and a customer's events and timeline."""

from __future__ import annotations

import asyncio
import json
import time
from typing import Any

from aiohttp import web

from bot.customers.events import EARLIEST, EventBatch, ProductEvent
from bot.customers.intake import Taken
from bot.errors import InputError, NotFound
from bot.web.bodies import json_object, validated
from bot.web.intake import EVENTS_PATH
from bot.web.keys import EVENT_INTAKE, REDIS, TRANSCRIPT, USERS
from bot.web.paths import IDENTITY, identity

routes = web.RouteTableDef()

FUTURE_SLACK_SECONDS = 24 * 3600  # clocks of the product's servers may run a little fast
CONCURRENT = 32  # events of a batch in flight at once
MAX_LIMIT = 10_000


@routes.post(EVENTS_PATH)
async def post_events(request: web.Request) -> web.Response:
    """One event (202, or 200 for a repeat) or `{"events": [...]}` (200 with each outcome).

    A malformed event refuses the whole request (nothing is stored); an event naming a
    customer nobody knows is a 404 alone, and `unknown_customer` in a batch.
    """
    body = await json_object(request)
    now = time.time()
    intake = request.app[EVENT_INTAKE]
    if "events" not in body:
        event = validated(ProductEvent, body)
        _check_time(event, now, "at")
        taken = await intake.take(event)
        if taken.outcome == "unknown_customer":
            raise NotFound("no customer is known by this id or channel identity")
        status = 202 if taken.outcome == "accepted" else 200
        return web.json_response(_result(taken), status=status)
    batch = validated(EventBatch, body)
    for index, event in enumerate(batch.events):
        _check_time(event, now, f"events.{index}.at")
    gate = asyncio.Semaphore(CONCURRENT)

    async def take(event: ProductEvent) -> Taken:
        async with gate:
            return await intake.take(event)

    results = await asyncio.gather(*(take(event) for event in batch.events))
    counts = {"accepted": 0, "duplicate": 0, "unknown_customer": 0}
    for taken in results:
        counts[taken.outcome] += 1
    return web.json_response({**counts, "results": [_result(t) for t in results]})


def _check_time(event: ProductEvent, now: float, field: str) -> None:
    at = event.time(now)
    if not EARLIEST <= at <= now + FUTURE_SLACK_SECONDS:
        raise InputError(field, "at must be after 2000-01-01 and not more than a day ahead")


def _result(taken: Taken) -> dict[str, Any]:
    return {"event_id": taken.event_id, "status": taken.outcome, "customer_id": taken.user_id}


@routes.get(f"/api/users/{IDENTITY}/events")
async def get_events(request: web.Request) -> web.Response:
    """The customer's events, oldest first: product events and what the bot recorded."""
    user_id = await _user_id(request)
    return web.json_response({"user_id": user_id, "events": await _events(request, user_id)})


@routes.get(f"/api/users/{IDENTITY}/timeline")
async def get_timeline(request: web.Request) -> web.Response:
    """Messages and events in one list by time: what a CRM's activity feed shows."""
    user_id = await _user_id(request)
    messages = await request.app[TRANSCRIPT].read(user_id)
    items = [{"type": "message", **m} for m in messages]
    items += [{"type": "event", **e} for e in await _events(request, user_id)]
    items.sort(key=lambda item: float(item["at"]))
    return web.json_response({"user_id": user_id, "timeline": items})


async def _user_id(request: web.Request) -> str:
    channel, external_id = identity(request)
    user_id = await request.app[USERS].find_id(channel, external_id)
    if user_id is None or await request.app[USERS].load(user_id) is None:
        raise NotFound(f"no customer {external_id!r} on channel {channel!r}")
    return user_id


async def _events(request: web.Request, user_id: str) -> list[dict[str, Any]]:
    keys = request.app[EVENT_INTAKE].keys
    rows = await request.app[REDIS].xrange(keys.events(user_id), count=MAX_LIMIT)
    return [
        {"id": row_id, "kind": f["kind"], "at": float(f["at"]), "data": json.loads(f["data"])}
        for row_id, f in rows
    ]
