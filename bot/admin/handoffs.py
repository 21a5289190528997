"""`/api/handoffs`: support staff of other helpdesks take over conversations."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import BaseModel, Field

from bot.errors import Conflict, NotFound
from bot.handoff import HandoffClosed
from bot.inbound import MAX_TEXT_LENGTH
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import HANDOFFS, USERS
from bot.web.paths import IDENTITY, USER, existing_user, identity

routes = web.RouteTableDef()


class StaffMessage(BaseModel):
    """`{"text", "author"}`: a staff reply."""

    text: Annotated[NonBlank, Field(max_length=MAX_TEXT_LENGTH)]
    author: NonBlank


class Closing(BaseModel):
    """`{"by"?}`: who hands the customer back to the bot."""

    by: NonBlank = "api"


class Takeover(BaseModel):
    """`{"by", "reason"?}`: who takes the conversation over, and why."""

    by: NonBlank
    reason: NonBlank = "staff"


@routes.get("/api/handoffs")
async def open_handoffs(request: web.Request) -> web.Response:
    """The open handoffs, longest waiting first, with their waiting time."""
    return web.json_response({"handoffs": await request.app[HANDOFFS].open_handoffs()})


@routes.post(f"/api/handoffs/{USER}/messages")
async def staff_message(request: web.Request) -> web.Response:
    """`{"text", "author"}`: a staff reply, sent on the customer's channel."""
    message = await parse_body(request, StaffMessage)
    user_id = await existing_user(request, request.app[USERS])
    try:
        await request.app[HANDOFFS].staff_reply(
            user_id, message.text, author=f"staff:{message.author}"
        )
    except HandoffClosed as exc:
        raise Conflict(str(exc)) from exc
    return web.json_response({"sent": True})


@routes.post(f"/api/handoffs/{USER}/close")
async def close(request: web.Request) -> web.Response:
    """End the handoff: the bot takes over again and asks the customer for a CSAT score."""
    closing = await parse_body(request, Closing)
    user_id = await existing_user(request, request.app[USERS])
    try:
        record = await request.app[HANDOFFS].close(user_id, by=f"staff:{closing.by}")
    except HandoffClosed as exc:
        raise Conflict(str(exc)) from exc
    return web.json_response(record)


@routes.post(f"/api/users/{IDENTITY}/handoff")
async def start(request: web.Request) -> web.Response:
    """`{"by", "reason"?}`: staff take over a customer's conversation."""
    takeover = await parse_body(request, Takeover)
    channel, external_id = identity(request)
    user_id = await request.app[USERS].find_id(channel, external_id)
    if user_id is None:
        raise NotFound(f"no customer {external_id!r} on channel {channel!r}")
    try:
        handoff = await request.app[HANDOFFS].start(
            user_id, by=f"staff:{takeover.by}", reason=takeover.reason
        )
    except HandoffClosed as exc:
        raise NotFound(str(exc)) from exc
    return web.json_response({"user_id": user_id, **handoff})
