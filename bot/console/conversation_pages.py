"""One conversation in the inbox: transcript, customer card, reply, close, stage, unmerge."""

from __future__ import annotations

import contextlib
import re
import time
from typing import Any

from aiohttp import web

from bot.admin.linking import undo_merge
from bot.console.accounts import Role
from bot.console.inbox_labels import inbox_words, reason_label, stage_labels
from bot.console.inbox_pages import STAFF_ROLES, back, teammates
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.streams import KEEP_ALIVE_SECONDS, event, open_stream, send, still_valid
from bot.errors import Conflict, InputError
from bot.handoff import HandoffClosed
from bot.inbound import MAX_TEXT_LENGTH
from bot.inbox.canned import NAME
from bot.inbox.card import customer_card
from bot.inbox.sla import READ_BACK, overdue, waiting_since
from bot.lifecycle import Stage, UnknownStage
from bot.linking.unmerge import merges_of
from bot.web.errors import OUTAGE
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, ENGINE, HANDOFFS, INBOX, LINKING, TRANSCRIPT, USERS
from bot.web.paths import USER, existing_user

routes = web.RouteTableDef()
SHOWN = 50  # transcript entries on the page; newer ones arrive as server-sent events
RECHECK_SECONDS = 0.5  # an open event stream checks its session at least this often
MAX_NOTE = 500
_ENTRY_ID = re.compile(r"\$|[0-9]{1,20}(-[0-9]{1,20})?")
_USER_ID = re.compile(r"[0-9a-f]{32}")
_FIELDS = ("id", "dir", "text", "author", "at", "buttons")


@routes.get(f"/console/inbox/{USER}")
@requires(*STAFF_ROLES)
async def conversation(request: web.Request, session: Session) -> web.StreamResponse:
    """One customer: their card, the transcript, reply / close / move stage."""
    app, user_id = request.app, request.match_info["user_id"]
    user = await app[USERS].load(user_id)
    if user is None:
        raise web.HTTPNotFound(text="no such customer")
    inbox = app[INBOX]
    messages = await app[TRANSCRIPT].read(user_id, count=SHOWN)
    handoff = user.state.get("handoff")
    words = inbox_words(lang(request))
    card = customer_card(
        user,
        await app[USERS].stage_history(user_id),
        await app[HANDOFFS].history(user_id),
        await inbox.tickets.of_customer(user_id),
    )
    data = {
        "messages": [{k: m.get(k) for k in _FIELDS} for m in messages],
        "user_id": user_id,
        "words": words,
        "handoff": handoff,
        "sla_seconds": app[HANDOFFS].sla_minutes * 60,
        "now": inbox.clock(),  # the clock the handoff and the owner's SLA are on
        "canned": await inbox.canned.all(),
        "fill": {
            "first_name": str(user.profile.get("first_name") or ""),
            "name": card["name"],
            "agent": session.name,
        },
    }
    owner = await inbox.assignments.owner(user_id)
    open_and_owned = owner is not None and handoff is not None
    data["owner_wait"] = await _owner_wait(request, user_id, messages) if open_and_owned else None
    return render(
        request, "conversation.html", session=session, user=user, card=card, data=data,
        handoff=handoff, reason=reason_label(words, handoff["reason"]) if handoff else "",
        owner=owner, teammates=await teammates(request), stage_names=stage_labels(lang(request)),
        notes=await inbox.notes.of(user_id),
        last_id=messages[-1]["id"] if messages else "0-0", stages=[s.value for s in Stage],
        w=words, merges=await _undoable(app, user_id),
    )  # fmt: skip


async def _undoable(app: web.Application, user_id: str) -> list[dict[str, Any]]:
    """The merges into the customer staff can still undo, each with its last day."""
    merger = app[LINKING].merger
    return [{**r.to_api(), "until": r.at + merger.retention}
            for r in await merges_of(merger, user_id)]  # fmt: skip


@routes.post(f"/console/inbox/{USER}/unmerge")
@requires(*STAFF_ROLES)
async def unmerge(request: web.Request, session: Session) -> web.StreamResponse:
    """Undo a merge into the customer (as `POST /api/customers/{id}/unmerge` does)."""
    user_id = await existing_user(request, request.app[USERS])
    identity = str((await read_form(request)).get("identity", "")).strip()
    if not identity:
        raise InputError("identity", "which identity to give its own record back")
    await undo_merge(request.app, user_id, identity, session.name)
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}#card")


async def _owner_wait(
    request: web.Request, user_id: str, messages: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The owner's SLA clock of an open, owned conversation, as the inbox list has it."""
    inbox = request.app[INBOX]
    assigned_at = (await inbox.assignments.since([user_id])).get(user_id)
    if assigned_at is None:
        return None
    since = waiting_since(messages[-READ_BACK:], assigned_at)
    sla_seconds = request.app[HANDOFFS].sla_minutes * 60
    return {"since": since, "overdue": overdue(since, inbox.clock(), sla_seconds)}


@routes.get(f"/console/inbox/{USER}/events")
@requires(*STAFF_ROLES)
async def events(request: web.Request, session: Session) -> web.StreamResponse:
    """New transcript entries as server-sent events, while the session stays valid.

    The session is checked again before every message and at least every
    `RECHECK_SECONDS`: a removed account, a reset password or a new role ends the
    stream within about a second. A Redis outage ends it too; the page reconnects.
    Leaving the page just ends the stream.
    """
    last = request.query.get("after", "$")
    if not _ENTRY_ID.fullmatch(last):
        raise InputError("after", "after must be a transcript entry id like 1700000000000-0")
    response = await open_stream(request)
    with contextlib.suppress(*OUTAGE):
        await _stream(request, session, response, last)
    return response


async def _stream(
    request: web.Request, session: Session, response: web.StreamResponse, last: str
) -> None:
    transcript, user_id = request.app[TRANSCRIPT], request.match_info["user_id"]
    quiet_since = time.monotonic()
    while await still_valid(request, session):
        wait_ms = int(RECHECK_SECONDS * 1000)
        for entry in await transcript.after(user_id, last, wait_ms=wait_ms):
            if not await still_valid(request, session):
                break
            last = entry["id"]
            if not await send(request, response, event({k: entry.get(k) for k in _FIELDS})):
                return
            quiet_since = time.monotonic()
        if time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            if not await send(request, response, ": keep-alive\n\n"):
                return
            quiet_since = time.monotonic()
    await send(request, response, "event: ended\ndata: session\n\n")


@routes.post(f"/console/inbox/{USER}/reply")
@requires(*STAFF_ROLES)
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
    if request.headers.get("Accept") == "application/json":
        return web.json_response({"sent": bool(text)})
    raise back(request, user_id)


@routes.post(f"/console/inbox/{USER}/close")
@requires(*STAFF_ROLES)
async def close(request: web.Request, session: Session) -> web.StreamResponse:
    """Hand the customer back to the bot, with an optional resolution note."""
    user_id = await existing_user(request, request.app[USERS])
    note = str((await read_form(request)).get("note", "")).strip()[:MAX_NOTE]
    try:
        await request.app[HANDOFFS].close(user_id, by=f"staff:{session.name}")
    except HandoffClosed as exc:
        raise Conflict(str(exc)) from exc
    if note:
        await request.app[INBOX].closed.resolve(user_id, note)
    await request.app[ACCOUNTS].audit(session.name, f"closed the handoff of {user_id}")
    raise web.HTTPFound(f"/console/inbox?lang={lang(request)}")


@routes.post(f"/console/inbox/{USER}/stage")
@requires(Role.ADMIN, Role.SUPPORT)
async def move(request: web.Request, session: Session) -> web.StreamResponse:
    """Move the customer's stage by hand (recorded as `manual:<name>`, with the reason given)."""
    user_id = await existing_user(request, request.app[USERS])
    form = await read_form(request)
    try:
        stage = Stage.parse(str(form.get("stage", "")))
    except UnknownStage as exc:
        raise InputError("stage", str(exc)) from exc
    why = str(form.get("why", "")).strip()[:MAX_NOTE]
    reason = f"manual:{session.name}" + (f" ({why})" if why else "")
    await request.app[ENGINE].move_stage(user_id, stage, reason)
    await request.app[ACCOUNTS].audit(session.name, f"moved {user_id} to {stage.value}")
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}")


@routes.post(f"/console/inbox/{USER}/note")
@requires(*STAFF_ROLES)
async def note(request: web.Request, session: Session) -> web.StreamResponse:
    """An internal note on the customer, for staff only."""
    user_id = await existing_user(request, request.app[USERS])
    text = str((await read_form(request)).get("text", "")).strip()[:MAX_TEXT_LENGTH]
    if text:
        await request.app[INBOX].notes.add(user_id, text, by=session.name, at=time.time())
        await request.app[ACCOUNTS].audit(session.name, f"added a note on {user_id}")
    raise web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}#notes")


@routes.post("/console/canned")
@requires(*STAFF_ROLES)
async def save_canned(request: web.Request, session: Session) -> web.StreamResponse:
    """Save a canned reply for the team (an empty text removes it)."""
    form = await read_form(request)
    name = str(form.get("name", "")).strip().lower()
    if not NAME.fullmatch(name):
        raise InputError("name", "a short name: letters, digits, - or _ (at most 32)")
    text = str(form.get("text", "")).strip()[:MAX_TEXT_LENGTH]
    canned = request.app[INBOX].canned
    await (canned.save(name, text) if text else canned.remove(name))
    await request.app[ACCOUNTS].audit(session.name, f"canned reply /{name} saved")
    back = str(form.get("back", ""))
    target = f"/console/inbox/{back}" if _USER_ID.fullmatch(back) else "/console/inbox"
    raise web.HTTPFound(f"{target}?lang={lang(request)}")
