"""The support inbox's conversation view: transcript, lifecycle card, live updates."""

from __future__ import annotations

import json
import time

from aiohttp import web

from bot.console.accounts import Role
from bot.console.sessions import Session
from bot.console.views import render, requires
from bot.lifecycle import Stage, UnknownStage
from bot.services import SERVICES

routes = web.RouteTableDef()
SHOWN = 50  # transcript entries on the page; newer ones arrive as server-sent events


@routes.get("/console/inbox/{user_id}")
@requires(Role.ADMIN, Role.SUPPORT)
async def conversation(request: web.Request, session: Session) -> web.StreamResponse:
    """One customer: their card, the transcript, reply / close / move stage."""
    services = request.app[SERVICES]
    user_id = request.match_info["user_id"]
    user = await services.users.load(user_id)
    if user is None:
        raise web.HTTPNotFound(text="no such customer")
    messages = await services.transcript.read(user_id, count=SHOWN)
    handoff = user.state.get("handoff")
    return render(
        request,
        "conversation.html",
        session=session,
        user=user,
        history=await services.users.stage_history(user_id),
        profile=json.dumps(user.profile, ensure_ascii=False, indent=1),
        state=json.dumps(user.state, ensure_ascii=False, indent=1),
        handoff=handoff,
        waiting=time.time() - handoff["started"] if handoff else 0,
        messages=messages,
        last_id=messages[-1]["id"] if messages else "0-0",
        stages=[s.value for s in Stage],
    )


@routes.get("/console/inbox/{user_id}/events")
@requires(Role.ADMIN, Role.SUPPORT)
async def events(request: web.Request, session: Session) -> web.StreamResponse:
    """New transcript entries as server-sent events, until the page goes away."""
    services = request.app[SERVICES]
    user_id = request.match_info["user_id"]
    last = request.query.get("after", "$")
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    while True:
        for entry in await services.transcript.after(user_id, last):
            last = entry["id"]
            data = {k: entry.get(k) for k in ("id", "dir", "text", "author", "at")}
            await response.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
        await response.write(b": keep-alive\n\n")


@routes.post("/console/inbox/{user_id}/stage")
@requires(Role.ADMIN, Role.SUPPORT)
async def move(request: web.Request, session: Session) -> web.StreamResponse:
    """Move the customer's stage by hand (recorded as `manual:<name>`)."""
    services = request.app[SERVICES]
    user_id = request.match_info["user_id"]
    form = await request.post()
    try:
        stage = Stage.parse(str(form.get("stage", "")))
    except UnknownStage as exc:
        raise web.HTTPUnprocessableEntity(text=str(exc)) from exc
    await services.engine.move_stage(user_id, stage, f"manual:{session.name}")
    await services.accounts.audit(session.name, f"moved {user_id} to {stage.value}")
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={request.query.get('lang', 'vi')}")
