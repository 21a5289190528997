"""The REST channel, compatible with Rasa's `rest` connector.

`POST /webhooks/rest/webhook` with `{"sender", "message", "message_id"?, "metadata"?}`
answers with the replies; messages that arise outside a request wait in the sender's
outbox, fetched (and acknowledged) with `GET /webhooks/rest/outbox/{sender}`.
"""

from __future__ import annotations

from typing import Any

from aiohttp import web

from bot.http_errors import error_response, json_object
from bot.inbound import MAX_TEXT_LENGTH, Inbound
from bot.lifecycle import LOCALES, Locale
from bot.services import SERVICES

CHANNEL = "rest"
MAX_ID_LENGTH = 256

routes = web.RouteTableDef()


@routes.post("/webhooks/rest/webhook")
async def webhook(request: web.Request) -> web.Response:
    """Run one turn and answer with its replies."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    inbound = _inbound(body)
    if isinstance(inbound, web.Response):
        return inbound
    replies = await request.app[SERVICES].engine.handle(inbound)
    return web.json_response(
        [{"recipient_id": inbound.external_id, **r.to_dict()} for r in replies]
    )


@routes.get("/webhooks/rest/outbox/{sender}")
async def outbox(request: web.Request) -> web.Response:
    """Messages waiting for `sender`, oldest first; each is returned once."""
    services = request.app[SERVICES]
    sender = request.match_info["sender"]
    user_id = await services.users.find_id(CHANNEL, sender)
    replies = [] if user_id is None else await services.outbox.drain(user_id)
    return web.json_response([{"recipient_id": sender, **r.to_dict()} for r in replies])


def _inbound(body: dict[str, Any]) -> Inbound | web.Response:
    sender = body.get("sender")
    if not isinstance(sender, str) or not sender.strip():
        return error_response(422, "sender must be a non-empty string", "sender")
    if len(sender) > MAX_ID_LENGTH:
        return error_response(422, f"sender is longer than {MAX_ID_LENGTH} characters", "sender")
    message = body.get("message")
    if not isinstance(message, str):
        return error_response(422, "message must be a string", "message")
    if not message.strip():
        return error_response(422, "message must not be empty", "message")
    if len(message) > MAX_TEXT_LENGTH:
        return error_response(
            422, f"message is {len(message)} characters; the limit is {MAX_TEXT_LENGTH}", "message"
        )
    message_id = body.get("message_id")
    if message_id is not None and (
        not isinstance(message_id, str | int) or isinstance(message_id, bool) or not str(message_id)
    ):
        return error_response(
            422, "message_id must be a non-empty string or an integer", "message_id"
        )
    if message_id is not None and len(str(message_id)) > MAX_ID_LENGTH:
        return error_response(
            422, f"message_id is longer than {MAX_ID_LENGTH} characters", "message_id"
        )
    metadata = body.get("metadata", {})
    if metadata is None:
        metadata = {}
    if not isinstance(metadata, dict):
        return error_response(422, "metadata must be a JSON object", "metadata")
    locale = metadata.get("locale")
    if locale is not None and locale not in LOCALES:
        return error_response(
            422, f"metadata.locale must be one of {', '.join(LOCALES)}", "metadata.locale"
        )
    profile = metadata.get("profile", {})
    if not isinstance(profile, dict) or not all(_plain(v) for v in profile.values()):
        return error_response(
            422,
            "metadata.profile must be an object of plain values or lists of strings (tags)",
            "metadata.profile",
        )
    ref = metadata.get("ref")
    if ref is not None and not isinstance(ref, str):
        return error_response(422, "metadata.ref must be a string", "metadata.ref")
    return Inbound(
        channel=CHANNEL,
        external_id=sender,
        text=message.strip(),
        message_id=None if message_id is None else str(message_id),
        locale=_locale(locale),
        profile=profile,
        referral=ref,
    )


def _plain(value: object) -> bool:
    if isinstance(value, list):
        return all(isinstance(item, str) for item in value)
    return isinstance(value, str | int | float | bool)


def _locale(value: object) -> Locale | None:
    return "vi" if value == "vi" else "en" if value == "en" else None
