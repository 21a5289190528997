"""The support inbox's list: views, search, live rows; claiming, assigning, tickets."""

from __future__ import annotations

import asyncio
import contextlib
import time
from typing import Any, Protocol, runtime_checkable

from aiohttp import web

from bot.console.accounts import Role
from bot.console.inbox_labels import inbox_words, stage_labels
from bot.console.pages import lang, render, requires
from bot.console.sessions import Session
from bot.console.streams import KEEP_ALIVE_SECONDS, event, open_stream, send, still_valid
from bot.errors import InputError, NotFound
from bot.inbound import MAX_TEXT_LENGTH
from bot.inbox.listing import VIEWS, View
from bot.inbox.notify import tell_customer
from bot.inbox.tickets import STATUSES
from bot.user import User
from bot.web.errors import OUTAGE
from bot.web.forms import read_form
from bot.web.keys import ACCOUNTS, CHANNELS, HANDOFFS, INBOX, REDIS, TRANSCRIPT, USERS
from bot.web.paths import USER, existing_user

routes = web.RouteTableDef()


@runtime_checkable
class Announces(Protocol):
    """A support relay staff read (the Telegram support group): told who owns a customer."""

    async def post(self, user: User, text: str) -> None:
        """Write `text` where staff follow the customer."""
        ...


REFRESH_SECONDS = 1.0  # how often an open list checks for changes
MAX_QUERY = 100
STAFF_ROLES = (Role.ADMIN, Role.SUPPORT)


def _view(request: web.Request) -> View:
    view = request.query.get("view", "all")
    return view if view in VIEWS else "all"


def _query(request: web.Request) -> str:
    return request.query.get("q", "")[:MAX_QUERY]


@routes.get("/console/inbox")
@requires(*STAFF_ROLES)
async def inbox(request: web.Request, session: Session) -> web.StreamResponse:
    """The conversations of a view (mine, unassigned, all, closed, tickets), live."""
    view, query = _view(request), _query(request)
    rows = await request.app[INBOX].rows(view, session.name, query)
    data = {
        "rows": rows,
        "arrivals": await request.app[INBOX].arrivals(),
        "now": request.app[INBOX].clock(),  # the clock the waiting times are on
        "sla_seconds": request.app[HANDOFFS].sla_minutes * 60,
        "view": view,
        "q": query,
        "me": session.name,
        "csrf": session.csrf,
        "lang": lang(request),
        "words": inbox_words(lang(request)),
        "stages": stage_labels(lang(request)),
        "teammates": await teammates(request),
    }
    return render(
        request, "inbox.html", session=session, data=data, view=view, q=query, views=VIEWS,
        w=inbox_words(lang(request)),
    )  # fmt: skip


async def teammates(request: web.Request) -> list[str]:
    """The accounts a conversation can be assigned to (support and admin)."""
    return [name for name, role in await request.app[ACCOUNTS].roster() if role in STAFF_ROLES]


@routes.get("/console/inbox/stream")
@requires(*STAFF_ROLES)
async def stream(request: web.Request, session: Session) -> web.StreamResponse:
    """The view's rows, and the open handoffs and tickets, as server-sent events on change."""
    view, query = _view(request), _query(request)
    response = await open_stream(request)
    with contextlib.suppress(*OUTAGE):  # Redis away: the stream ends, the page reconnects
        await _rows_stream(request, session, response, view, query)
    return response


async def _rows_stream(
    request: web.Request, session: Session, response: web.StreamResponse, view: View, query: str
) -> None:
    shown, quiet_since = None, time.monotonic()
    while await still_valid(request, session):
        inbox = request.app[INBOX]
        update = {"rows": await inbox.rows(view, session.name, query)}
        update["arrivals"] = await inbox.arrivals()  # whatever the view: notifications need them
        if update != shown:
            if not await send(request, response, event({**update, "now": inbox.clock()})):
                return
            shown, quiet_since = update, time.monotonic()
        elif time.monotonic() - quiet_since > KEEP_ALIVE_SECONDS:
            if not await send(request, response, ": keep-alive\n\n"):
                return
            quiet_since = time.monotonic()
        await asyncio.sleep(REFRESH_SECONDS)
    await send(request, response, "event: ended\ndata: session\n\n")


async def _announce(request: web.Request, user_id: str, text: str) -> None:
    """The support group shows the same owner as the console."""
    user = await request.app[USERS].load(user_id)
    for relay in request.app[HANDOFFS].relays:
        if user is not None and isinstance(relay, Announces):
            await relay.post(user, text)


def back(request: web.Request, user_id: str) -> web.HTTPFound:
    """Where an action on a customer returns: their conversation when asked, else the inbox."""
    if request.query.get("back") == "conversation":
        return web.HTTPFound(f"/console/inbox/{user_id}?lang={lang(request)}")
    return web.HTTPFound(f"/console/inbox?lang={lang(request)}&view={_view(request)}")


@routes.post(f"/console/inbox/{USER}/claim")
@requires(*STAFF_ROLES)
async def claim(request: web.Request, session: Session) -> web.StreamResponse:
    """The staff member owns the conversation."""
    user_id = await existing_user(request, request.app[USERS])
    await request.app[INBOX].assignments.assign(user_id, session.name)
    await request.app[ACCOUNTS].audit(session.name, f"claimed {user_id}")
    await _announce(request, user_id, f"Claimed by {session.name} in the console.")
    raise back(request, user_id)


@routes.post(f"/console/inbox/{USER}/assign")
@requires(*STAFF_ROLES)
async def assign(request: web.Request, session: Session) -> web.StreamResponse:
    """A teammate owns the conversation (an empty choice unassigns it)."""
    user_id = await existing_user(request, request.app[USERS])
    staff = str((await read_form(request)).get("staff", "")).strip()
    assignments = request.app[INBOX].assignments
    if not staff:
        await assignments.unassign(user_id)
        await request.app[ACCOUNTS].audit(session.name, f"unassigned {user_id}")
        await _announce(request, user_id, f"Unassigned by {session.name} in the console.")
        raise back(request, user_id)
    if staff not in await teammates(request):
        raise InputError("staff", f"{staff[:40]!r} is not a support account")
    await assignments.assign(user_id, staff)
    await request.app[ACCOUNTS].audit(session.name, f"assigned {user_id} to {staff}")
    await _announce(request, user_id, f"Assigned to {staff} by {session.name} in the console.")
    raise back(request, user_id)


@routes.post("/console/tickets/{ticket_id:[0-9a-f]{10}}/status")
@requires(*STAFF_ROLES)
async def ticket_status(request: web.Request, session: Session) -> web.StreamResponse:
    """Move a ticket to open, pending or solved; solving may send the customer a message."""
    form = await read_form(request)
    status = str(form.get("status", ""))
    if status not in STATUSES:
        raise InputError("status", f"status is one of {', '.join(STATUSES)}")
    inbox = request.app[INBOX]
    ticket = await inbox.tickets.get(request.match_info["ticket_id"])
    if ticket is None:
        raise NotFound("no such ticket")
    await inbox.tickets.set_status(ticket["id"], status, session.name, time.time())
    text = str(form.get("text", "")).strip()
    if text:
        await _notify(request, ticket, text, session.name)
    await request.app[ACCOUNTS].audit(session.name, f"ticket {ticket['id']} {status}")
    raise web.HTTPFound(f"/console/inbox?lang={lang(request)}&view=tickets")


async def _notify(request: web.Request, ticket: dict[str, Any], text: str, who: str) -> None:
    app = request.app
    user = await app[USERS].load(ticket["user_id"])
    if user is None:
        return
    text = text[:MAX_TEXT_LENGTH]
    await tell_customer(
        app[REDIS], app[TRANSCRIPT], app[CHANNELS], user, text, staff=who, ticket=ticket["id"]
    )
