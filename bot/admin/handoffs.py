"""`/api/handoffs`: support staff of other helpdesks take over conversations."""

from __future__ import annotations

from aiohttp import web

from bot.handoff import HandoffClosed
from bot.http_errors import error_response, json_object
from bot.inbound import MAX_TEXT_LENGTH
from bot.services import SERVICES

routes = web.RouteTableDef()


@routes.get("/api/handoffs")
async def open_handoffs(request: web.Request) -> web.Response:
    """The open handoffs, longest waiting first, with their waiting time."""
    return web.json_response({"handoffs": await request.app[SERVICES].handoffs.open_handoffs()})


@routes.post("/api/handoffs/{user_id}/messages")
async def staff_message(request: web.Request) -> web.Response:
    """`{"text", "author"}`: a staff reply, sent on the customer's channel."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    text, author = body.get("text"), body.get("author")
    if not isinstance(text, str) or not text.strip():
        return error_response(422, "text must be a non-empty string", "text")
    if len(text) > MAX_TEXT_LENGTH:
        return error_response(422, f"text is longer than {MAX_TEXT_LENGTH} characters", "text")
    if not isinstance(author, str) or not author.strip():
        return error_response(422, "author must name the staff member", "author")
    try:
        await request.app[SERVICES].handoffs.staff_reply(
            request.match_info["user_id"], text.strip(), author=f"staff:{author.strip()}"
        )
    except HandoffClosed as exc:
        return error_response(409, str(exc))
    return web.json_response({"sent": True})


@routes.post("/api/handoffs/{user_id}/close")
async def close(request: web.Request) -> web.Response:
    """End the handoff: the bot takes over again and asks the customer for a CSAT score."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    by = body.get("by", "api")
    if not isinstance(by, str) or not by.strip():
        return error_response(422, "by must name who closes the handoff", "by")
    try:
        record = await request.app[SERVICES].handoffs.close(
            request.match_info["user_id"], by=f"staff:{by.strip()}"
        )
    except HandoffClosed as exc:
        return error_response(409, str(exc))
    return web.json_response(record)


@routes.post("/api/users/{channel}/{external_id}/handoff")
async def start(request: web.Request) -> web.Response:
    """`{"by", "reason"?}`: staff take over a customer's conversation."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    by, reason = body.get("by"), body.get("reason", "staff")
    if not isinstance(by, str) or not by.strip():
        return error_response(422, "by must name the staff member", "by")
    if not isinstance(reason, str) or not reason.strip():
        return error_response(422, "reason must be a non-empty string", "reason")
    services = request.app[SERVICES]
    channel, external_id = request.match_info["channel"], request.match_info["external_id"]
    user_id = await services.users.find_id(channel, external_id)
    if user_id is None:
        return error_response(404, f"no customer {external_id!r} on channel {channel!r}")
    try:
        handoff = await services.handoffs.start(
            user_id, by=f"staff:{by.strip()}", reason=reason.strip()
        )
    except HandoffClosed as exc:
        return error_response(404, str(exc))
    return web.json_response({"user_id": user_id, **handoff})
