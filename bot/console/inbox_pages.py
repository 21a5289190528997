"""The support inbox: open handoffs, a conversation with its card, reply, close, move stage."""

from __future__ import annotations

import contextlib
import json
import re
import time

from aiohttp import web

from bot.console.accounts import Role
from bot.console.pages import lang, render, requires
from bot.console.sessions import COOKIE, Session
from bot.errors import Conflict, InputError
from bot.handoff import HandoffClosed
from bot.inbound import MAX_TEXT_LENGTH
from bot.lifecycle import Stage, UnknownStage
from bot.web.errors import OUTAGE
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, ENGINE, HANDOFFS, SESSIONS, TRANSCRIPT, USERS
from bot.web.paths import USER, existing_user

routes = web.RouteTableDef()
SHOWN = 50  # transcript entries on the page; newer ones arrive as server-sent events
RECHECK_SECONDS = 0.5  # an open event stream checks its session at least this often
KEEP_ALIVE_SECONDS = 15
_ENTRY_ID = re.compile(r"\$|[0-9]{1,20}(-[0-9]{1,20})?")


@routes.get("/console/inbox")
@requires(Role.ADMIN, Role.SUPPORT)
async def inbox(request: web.Request, session: Session) -> web.StreamResponse:
    """The open handoffs, longest waiting first."""
    handoffs = await request.app[HANDOFFS].open_handoffs()
    return render(request, "inbox.html", session=session, handoffs=handoffs)


@routes.get(f"/console/inbox/{USER}")
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


@routes.get(f"/console/inbox/{USER}/events")
@requires(Role.ADMIN, Role.SUPPORT)
async def events(request: web.Request, session: Session) -> web.StreamResponse:
    """New transcript entries as server-sent events, while the session stays valid.

    The session is checked again before every message and at least every
    `RECHECK_SECONDS`: a removed account, a reset password or a new role ends the
    stream within about a second. A Redis outage ends it too; the page reconnects.
    """
    last = request.query.get("after", "$")
    if not _ENTRY_ID.fullmatch(last):
        raise InputError("after", "after must be a transcript entry id like 1700000000000-0")
    response = web.StreamResponse(
        headers={"Content-Type": "text/event-stream", "Cache-Control": "no-cache"}
    )
    await response.prepare(request)
    with contextlib.suppress(*OUTAGE):
        await _stream(request, session, response, last)
    return response


async def _stream(
    request: web.Request, session: Session, response: web.StreamResponse, last: str
) -> None:
    transcript, sessions = request.app[TRANSCRIPT], request.app[SESSIONS]
    user_id, cookie = request.match_info["user_id"], request.cookies.get(COOKIE)
    quiet_since = time.monotonic()
    while not _gone(request) and await sessions.find(cookie) == session:
        wait_ms = int(RECHECK_SECONDS * 1000)
        for entry in await transcript.after(user_id, last, wait_ms=wait_ms):
            if await sessions.find(cookie) != session:
                break
            last = entry["id"]
            data = {k: entry.get(k) for k in ("id", "dir", "text", "author", "at")}
            await response.write(f"data: {json.dumps(data, ensure_ascii=False)}\n\n".encode())
            quiet_since = time.monotonic()
        if time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            await response.write(b": keep-alive\n\n")
            quiet_since = time.monotonic()
    await response.write(b"event: ended\ndata: session\n\n")


def _gone(request: web.Request) -> bool:
    """Whether the page that opened the stream went away."""
    return request.transport is None or request.transport.is_closing()


@routes.post(f"/console/inbox/{USER}/reply")
@requires(Role.ADMIN, Role.SUPPORT)
async def reply(request: web.Request, session: Session) -> web.StreamResponse:
    """A staff reply from the inbox, sent on the customer's channel."""
    form = await read_form(request)
    text = str(form.get("text", "")).strip()
    if len(text) > MAX_TEXT_LENGTH:
        raise InputError("text", f"a reply has at most {MAX_TEXT_LENGTH} characters")
    user_id = await existing_user(request, request.app[USERS])
    if text:
        try:
            await request.app[HANDOFFS].staff_reply(user_id, text, author=f"staff:{session.name}")
        except HandoffClosed as exc:
            raise Conflict(str(exc)) from exc
        await request.app[ACCOUNTS].audit(session.name, f"replied to {user_id}")
    if request.query.get("back") == "conversation":
        raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}")
    raise web.HTTPFound(f"/console/inbox?lang={lang(request)}")


@routes.post(f"/console/inbox/{USER}/close")
@requires(Role.ADMIN, Role.SUPPORT)
async def close(request: web.Request, session: Session) -> web.StreamResponse:
    """Hand the customer back to the bot."""
    user_id = await existing_user(request, request.app[USERS])
    try:
        await request.app[HANDOFFS].close(user_id, by=f"staff:{session.name}")
    except HandoffClosed as exc:
        raise Conflict(str(exc)) from exc
    await request.app[ACCOUNTS].audit(session.name, f"closed the handoff of {user_id}")
    raise web.HTTPFound(f"/console/inbox?lang={lang(request)}")


@routes.post(f"/console/inbox/{USER}/stage")
@requires(Role.ADMIN, Role.SUPPORT)
async def move(request: web.Request, session: Session) -> web.StreamResponse:
    """Move the customer's stage by hand (recorded as `manual:<name>`)."""
    user_id = await existing_user(request, request.app[USERS])
    form = await read_form(request)
    try:
        stage = Stage.parse(str(form.get("stage", "")))
    except UnknownStage as exc:
        raise InputError("stage", str(exc)) from exc
    await request.app[ENGINE].move_stage(user_id, stage, f"manual:{session.name}")
    await request.app[ACCOUNTS].audit(session.name, f"moved {user_id} to {stage.value}")
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}")
