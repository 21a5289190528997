"""`/api/users/{channel}/{external_id}`: a customer's stage, history and transcript."""

from __future__ import annotations

import time
from typing import Annotated

from aiohttp import web
from pydantic import AfterValidator, BaseModel, Field, StrictStr

from bot.errors import InputError, NotFound
from bot.lifecycle import Stage
from bot.user import User
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import ENGINE, TRANSCRIPT, USERS

routes = web.RouteTableDef()

MAX_REASON_LENGTH = 200


class StageMove(BaseModel):
    """`{"stage": "...", "reason": "..."}`: a move by hand, recorded as `manual:<reason>`."""

    stage: Annotated[StrictStr, AfterValidator(Stage.parse)]
    reason: Annotated[NonBlank, Field(max_length=MAX_REASON_LENGTH)] = "staff"


async def _find(request: web.Request) -> User:
    channel, external_id = request.match_info["channel"], request.match_info["external_id"]
    user = await request.app[USERS].find(channel, external_id)
    if user is None:
        raise NotFound(f"no customer {external_id!r} on channel {channel!r}")
    return user


@routes.get("/api/users/{channel}/{external_id}")
async def get_user(request: web.Request) -> web.Response:
    """The customer's stage, time in stage, history, locale, profile and state.

    `state` holds the trial, onboarding, survey, referral and opt-out state.
    """
    user = await _find(request)
    history = await request.app[USERS].stage_history(user.id)
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
    move = await parse_body(request, StageMove)
    user = await _find(request)
    moved = await request.app[ENGINE].move_stage(
        user.id, Stage(move.stage), f"manual:{move.reason}"
    )
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
        raise InputError("limit", "limit must be a positive integer")
    user = await _find(request)
    entries = await request.app[TRANSCRIPT].read(user.id, count=int(limit) if limit else None)
    return web.json_response({"user_id": user.id, "messages": entries})
