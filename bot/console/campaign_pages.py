"""The campaigns page: a broadcast built in forms, its live audience, and its progress.

Marketers and admins build a segment, write the message in both languages, and send it
now or at a local time (`TIME_ZONE`). The bots' schedulers send it within the guardrails,
exactly one copy per customer (`bot/scheduler/broadcasts.py`); the page follows progress.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from bot.console.accounts import Role
from bot.console.campaign_form import LOCAL_TIME, MAX_BUTTONS, read_campaign, read_segment
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.studio.names import INTENTS, STAGES, pick
from bot.scheduler.broadcasts import Progress
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, BROADCASTS, TIME_ZONE
from bot.web.keys import INTENTS as KNOWN_INTENTS

routes = web.RouteTableDef()
SHOWN = 20
CAMPAIGN_ROLES = (Role.ADMIN, Role.MARKETER)

# Why the scheduler dropped a recipient (`bot/scheduler/guardrails.py`, `loop.py`).
DROP_REASONS = {
    "opted out": ("đã tắt tin nhắn chủ động", "opted out"),
    "in a human handoff": ("đang nói chuyện với nhân viên", "talking to staff"),
    "no channel to reach them": ("không có kênh liên lạc", "no channel to reach them"),
    "already received it": ("đã nhận rồi", "already received it"),
    "no such customer": ("không còn khách này", "customer gone"),
}


def local_time(timestamp: float, zone: str) -> str:
    """`2026-11-23 10:30` in the console's time zone."""
    return datetime.fromtimestamp(timestamp, ZoneInfo(zone)).strftime("%Y-%m-%d %H:%M")


def row(progress: Progress, zone: str, language: str) -> dict[str, Any]:
    """One campaign as the page (and its live updates) show it."""
    due = progress.created if progress.due is None else progress.due
    text = (
        progress.message.text.source("en" if language == "en" else "vi") if progress.message else ""
    )
    return {
        "id": progress.id,
        "created": local_time(progress.created, zone),
        "due": local_time(due, zone),
        "author": progress.author,
        "text": text,
        "audience": progress.audience,
        "sent": progress.sent,
        "dropped": progress.dropped,
        "pending": progress.audience - progress.finished,
        "reasons": [
            f"{pick(DROP_REASONS[r], language) if r in DROP_REASONS else r}: {n}"
            for r, n in progress.reasons
        ],
    }


@routes.get("/console/campaigns")
@requires(*CAMPAIGN_ROLES)
async def campaigns(request: web.Request, session: Session) -> web.StreamResponse:
    """The campaign builder and the latest campaigns with their results."""
    language, zone = lang(request), request.app[TIME_ZONE]
    broadcasts = request.app[BROADCASTS]
    intents = [i for i in INTENTS if i in request.app[KNOWN_INTENTS]]
    return render(
        request,
        "campaigns.html",
        session=session,
        stages={stage: pick(pair, language) for stage, pair in STAGES.items()},
        payloads={f"/{i}": pick(INTENTS[i], language) for i in intents},
        buttons=range(MAX_BUTTONS),
        zone=zone,
        now_local=datetime.fromtimestamp(broadcasts.now(), ZoneInfo(zone)).strftime(LOCAL_TIME),
        rows=[row(p, zone, language) for p in await broadcasts.recent(SHOWN)],
    )


@routes.post("/console/campaigns/audience")
@requires(*CAMPAIGN_ROLES)
async def audience(request: web.Request, session: Session) -> web.StreamResponse:
    """How many customers the segment in the form holds right now."""
    problems: dict[str, str] = {}
    segment = read_segment(await read_form(request), lang(request), problems)
    if problems:
        return web.json_response({"problems": problems}, status=422)
    found = await request.app[BROADCASTS].audience(segment)
    return web.json_response({"audience": len(found)})


@routes.post("/console/campaigns")
@requires(*CAMPAIGN_ROLES)
async def send(request: web.Request, session: Session) -> web.StreamResponse:
    """Queue the campaign (now or at its local time); 422 with the problems by field."""
    broadcasts, zone = request.app[BROADCASTS], request.app[TIME_ZONE]
    form = read_campaign(await read_form(request), zone, broadcasts.now(), lang(request))
    if form.problems or form.message is None:
        return web.json_response({"problems": form.problems}, status=422)
    progress = await broadcasts.create(form.segment, form.message, author=session.name, at=form.due)
    when = "now" if form.due is None else local_time(form.due, zone)
    await request.app[ACCOUNTS].audit(
        session.name, f"campaign {progress.id} to {progress.audience} customers, {when}"
    )
    return web.json_response(row(progress, zone, lang(request)), status=201)


@routes.get("/console/campaigns/progress")
@requires(*CAMPAIGN_ROLES)
async def progress(request: web.Request, session: Session) -> web.StreamResponse:
    """The latest campaigns' figures, for the page to update itself."""
    zone, language = request.app[TIME_ZONE], lang(request)
    found = await request.app[BROADCASTS].recent(SHOWN)
    return web.json_response([row(p, zone, language) for p in found])
