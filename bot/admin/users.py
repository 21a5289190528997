"""`/api/users/{channel}/{external_id}`: a customer's stage, history and transcript."""

from __future__ import annotations

import time
from typing import Annotated

from aiohttp import web
from pydantic import AfterValidator, BaseModel, Field, StrictStr

from bot.customer_state import flags_of
from bot.errors import InputError, NotFound
from bot.lifecycle import Stage
from bot.user import User
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import ENGINE, TRANSCRIPT, USERS
from bot.web.paths import IDENTITY, identity

routes = web.RouteTableDef()

MAX_REASON_LENGTH = 200
MAX_TRANSCRIPT_LIMIT = 10_000


class StageMove(BaseModel):
    """`{"stage": "...", "reason": "..."}`: a move by hand, recorded as `manual:<reason>`."""

    stage: Annotated[StrictStr, AfterValidator(Stage.parse)]
    reason: Annotated[NonBlank, Field(max_length=MAX_REASON_LENGTH)] = "staff"


async def _find(request: web.Request) -> User:
    channel, external_id = identity(request)
    user = await request.app[USERS].find(channel, external_id)
    if user is None:
        raise NotFound(f"no customer {external_id!r} on channel {channel!r}")
    return user


@routes.get(f"/api/users/{IDENTITY}")
async def get_user(request: web.Request) -> web.Response:
    """The customer's stage, time in stage, history, locale, profile and state.

    `state` holds the trial, onboarding, survey, referral and opt-out state; `flags` the
    marks policies set for the team (e.g. `churn_risk`), with when and in which stage.
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
            "flags": flags_of(user.state),
            "identities": user.identities,
            "created": user.created,
        }
    )


@routes.put(f"/api/users/{IDENTITY}/stage")
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


@routes.get(f"/api/users/{IDENTITY}/transcript")
async def get_transcript(request: web.Request) -> web.Response:
    """Every message of the customer, oldest first (`?limit=N` for the latest N)."""
    limit = _limit(request.query.get("limit"))
    user = await _find(request)
    entries = await request.app[TRANSCRIPT].read(user.id, count=limit)
    return web.json_response({"user_id": user.id, "messages": entries})


def _limit(value: str | None) -> int | None:
    """`?limit=`: a whole number of ASCII digits from 1 to `MAX_TRANSCRIPT_LIMIT`."""
    if value is None:
        return None
    if not (value.isascii() and value.isdigit() and len(value) <= 9) or not (
        1 <= int(value) <= MAX_TRANSCRIPT_LIMIT
    ):
        raise InputError("limit", f"limit must be a whole number from 1 to {MAX_TRANSCRIPT_LIMIT}")
    return int(value)
