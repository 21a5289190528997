"""`/api/users/{channel}/{external_id}`: a customer's stage, history and transcript."""

from __future__ import annotations

import time

from aiohttp import web

from bot.http_errors import error_response, json_object
from bot.lifecycle import Stage, UnknownStage
from bot.services import SERVICES, Services
from bot.user import User

routes = web.RouteTableDef()

MAX_REASON_LENGTH = 200


async def _find(request: web.Request) -> tuple[Services, User] | web.Response:
    services = request.app[SERVICES]
    channel, external_id = request.match_info["channel"], request.match_info["external_id"]
    user = await services.users.find(channel, external_id)
    if user is None:
        return error_response(404, f"no customer {external_id!r} on channel {channel!r}")
    return services, user


@routes.get("/api/users/{channel}/{external_id}")
async def get_user(request: web.Request) -> web.Response:
    """The customer's stage, time in stage, history, locale, profile and state.

    `state` holds the trial, onboarding, survey, referral and opt-out state.
    """
    found = await _find(request)
    if isinstance(found, web.Response):
        return found
    services, user = found
    history = await services.users.stage_history(user.id)
    return web.json_response(
        {
            "user_id": user.id,
            "stage": user.stage.value,
            "stage_entered_at": user.stage_entered_at,
            "time_in_stage_seconds": round(max(0.0, time.time() - user.stage_entered_at), 3),
            "stage_history": [t.to_api() for t in history],
            "locale": user.locale,
            "profile": user.profile,
            "state": user.state,
            "identities": user.identities,
            "created": user.created,
        }
    )


@routes.put("/api/users/{channel}/{external_id}/stage")
async def put_stage(request: web.Request) -> web.Response:
    """Move the customer by hand: `{"stage": "...", "reason": "..."}`."""
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    stage_name = body.get("stage")
    if not isinstance(stage_name, str):
        return error_response(422, "stage must be a string", "stage")
    try:
        stage = Stage.parse(stage_name)
    except UnknownStage as exc:
        return error_response(422, str(exc), "stage")
    reason = body.get("reason", "staff")
    if not isinstance(reason, str) or not reason.strip() or len(reason) > MAX_REASON_LENGTH:
        return error_response(
            422,
            f"reason must be a non-empty string of at most {MAX_REASON_LENGTH} characters",
            "reason",
        )
    found = await _find(request)
    if isinstance(found, web.Response):
        return found
    services, user = found
    moved = await services.engine.move_stage(user.id, stage, f"manual:{reason.strip()}")
    return web.json_response(
        {
            "user_id": moved.id,
            "stage": moved.stage.value,
            "stage_entered_at": moved.stage_entered_at,
        }
    )


@routes.get("/api/users/{channel}/{external_id}/transcript")
async def get_transcript(request: web.Request) -> web.Response:
    """Every message of the customer, oldest first (`?limit=N` for the latest N)."""
    limit = request.query.get("limit")
    if limit is not None and (not limit.isdigit() or int(limit) < 1):
        return error_response(422, "limit must be a positive integer", "limit")
    found = await _find(request)
    if isinstance(found, web.Response):
        return found
    services, user = found
    entries = await services.transcript.read(user.id, count=int(limit) if limit else None)
    return web.json_response({"user_id": user.id, "messages": entries})
