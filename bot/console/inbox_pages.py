"""The support inbox: open handoffs, a conversation with its card, reply, close, move stage."""

from __future__ import annotations

import json
import time

from aiohttp import web

from bot.console.accounts import Role
from bot.console.pages import render, requires
from bot.console.sessions import Session
from bot.handoff import HandoffClosed
from bot.lifecycle import Stage, UnknownStage
from bot.web.keys import ACCOUNTS, ENGINE, HANDOFFS, TRANSCRIPT, USERS

routes = web.RouteTableDef()
SHOWN = 50  # transcript entries on the page; newer ones arrive as server-sent events


@routes.get("/console/inbox")
@requires(Role.ADMIN, Role.SUPPORT)
async def inbox(request: web.Request, session: Session) -> web.StreamResponse:
    """The open handoffs, longest waiting first."""
    handoffs = await request.app[HANDOFFS].open_handoffs()
    return render(request, "inbox.html", session=session, handoffs=handoffs)


@routes.get("/console/inbox/{user_id}")
@requires(Role.ADMIN, Role.SUPPORT)
async def conversation(request: web.Request, session: Session) -> web.StreamResponse:
    """One customer: their card, the transcript, reply / close / move stage."""
    users = request.app[USERS]
    user_id = request.match_info["user_id"]
    user = await users.load(user_id)
    if user is None:
        raise web.HTTPNotFound(text="no such customer")
    messages = await request.app[TRANSCRIPT].read(user_id, count=SHOWN)
    handoff = user.state.get("handoff")
    return render(
        request,
        "conversation.html",
        session=session,
        user=user,
        history=await users.stage_history(user_id),
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
    transcript = request.app[TRANSCRIPT]
    user_id = request.match_info["user_id"]
    last = request.query.get("after", "$")
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    while True:
        for entry in await transcript.after(user_id, last):
            last = entry["id"]
            data = {k: entry.get(k) for k in ("id", "dir", "text", "author", "at")}
            await response.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
        await response.write(b": keep-alive\n\n")


@routes.post("/console/inbox/{user_id}/reply")
@requires(Role.ADMIN, Role.SUPPORT)
async def reply(request: web.Request, session: Session) -> web.StreamResponse:
    """A staff reply from the inbox, sent on the customer's channel."""
    form = await request.post()
    text = str(form.get("text", "")).strip()
    user_id = request.match_info["user_id"]
    if text:
        try:
            await request.app[HANDOFFS].staff_reply(user_id, text, author=f"staff:{session.name}")
        except HandoffClosed as exc:
            raise web.HTTPConflict(text=str(exc)) from exc
        await request.app[ACCOUNTS].audit(session.name, f"replied to {user_id}")
    lang = request.query.get("lang", "vi")
    if request.query.get("back") == "conversation":
        raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang}")
    raise web.HTTPFound(f"/console/inbox?lang={lang}")


@routes.post("/console/inbox/{user_id}/close")
@requires(Role.ADMIN, Role.SUPPORT)
async def close(request: web.Request, session: Session) -> web.StreamResponse:
    """Hand the customer back to the bot."""
    user_id = request.match_info["user_id"]
    try:
        await request.app[HANDOFFS].close(user_id, by=f"staff:{session.name}")
    except HandoffClosed as exc:
        raise web.HTTPConflict(text=str(exc)) from exc
    await request.app[ACCOUNTS].audit(session.name, f"closed the handoff of {user_id}")
    raise web.HTTPFound(f"/console/inbox?lang={request.query.get('lang', 'vi')}")


@routes.post("/console/inbox/{user_id}/stage")
@requires(Role.ADMIN, Role.SUPPORT)
async def move(request: web.Request, session: Session) -> web.StreamResponse:
    """Move the customer's stage by hand (recorded as `manual:<name>`)."""
    user_id = request.match_info["user_id"]
    form = await request.post()
    try:
        stage = Stage.parse(str(form.get("stage", "")))
    except UnknownStage as exc:
        raise web.HTTPUnprocessableEntity(text=str(exc)) from exc
    await request.app[ENGINE].move_stage(user_id, stage, f"manual:{session.name}")
    await request.app[ACCOUNTS].audit(session.name, f"moved {user_id} to {stage.value}")
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={request.query.get('lang', 'vi')}")
