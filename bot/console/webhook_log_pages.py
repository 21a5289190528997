"""An endpoint's delivery log in the console, and replaying one delivery.

Times are local (`TIME_ZONE`), statuses in words; a replay queues the same event (same
body and event id, so the receiver can deduplicate) behind the endpoint's queue.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.webhook_labels import EVENT_MEANINGS, STATUSES, meaning, webhook_words
from bot.console.webhook_pages import ENDPOINT
from bot.web.keys import ACCOUNTS, SESSIONS, TIME_ZONE, WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS
from bot.webhooks.queue import Delivery

routes = web.RouteTableDef()
DELIVERY = "{delivery_id:wd_[0-9a-f]{20}}"
SHOWN = 100


def local_time(timestamp: float, zone: str) -> str:
    """`2026-11-23 10:30:05`: retries come seconds apart, so the log shows seconds."""
    return datetime.fromtimestamp(timestamp, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M:%S")


def delivery_row(delivery: Delivery, zone: str, language: str) -> dict[str, Any]:
    """One delivery as the log shows it."""
    last_try = delivery.history[-1]["at"] if delivery.history else None
    error = delivery.last_error
    return {
        "id": delivery.id,
        "created": local_time(delivery.created, zone),
        "type": delivery.type,
        "meaning": meaning(EVENT_MEANINGS.get(delivery.type, (delivery.type,) * 2), language),
        "status": delivery.status,
        "label": meaning(STATUSES[delivery.status], language),
        "attempts": delivery.attempts,
        "error": error,
        "last_try": "" if last_try is None else local_time(float(last_try), zone),
        "next_try": "" if delivery.next_at is None else local_time(delivery.next_at, zone),
        "replay_of": delivery.replay_of,
    }


@routes.get(f"/console/webhooks/{ENDPOINT}")
@requires(Role.ADMIN)
async def delivery_log(request: web.Request, session: Session) -> web.StreamResponse:
    """The endpoint's latest deliveries, newest first, each with a Replay button."""
    language, zone = lang(request), request.app[TIME_ZONE]
    endpoint = await request.app[WEBHOOK_ENDPOINTS].get(request.match_info["endpoint_id"])
    if endpoint is None:
        raise web.HTTPNotFound(text=webhook_words(language)["gone"])
    found = await request.app[WEBHOOK_DELIVERIES].log(endpoint.id, SHOWN)
    return render(
        request,
        "webhook_log.html",
        session=session,
        w=webhook_words(language),
        endpoint=endpoint,
        rows=[delivery_row(d, zone, language) for d in found],
        flash=await request.app[SESSIONS].take_flash(session),
    )


@routes.post(f"/console/webhooks/deliveries/{DELIVERY}/replay")
@requires(Role.ADMIN)
async def replay(request: web.Request, session: Session) -> web.StreamResponse:
    """Queue a delivery's event again and go back to its endpoint's log."""
    words = webhook_words(lang(request))
    again = await request.app[WEBHOOK_DELIVERIES].replay(request.match_info["delivery_id"])
    if again is None:
        raise web.HTTPNotFound(text=words["delivery_gone"])
    await request.app[ACCOUNTS].audit(
        session.name, f"webhook {again.endpoint}: delivery {again.replay_of} replayed"
    )
    await request.app[SESSIONS].flash(session, {"kind": "ok", "text": words["replayed"]})
    raise web.HTTPFound(f"/console/webhooks/{again.endpoint}?lang={lang(request)}")
