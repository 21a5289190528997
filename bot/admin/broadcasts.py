"""`/api/broadcasts`: marketers' broadcasts to a segment, and their progress."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, Field, StrictBool

from actions.messaging import ReplyArgs
from bot.errors import InputError, NotFound
from bot.policies.validator import check_file
from bot.scheduler.segment import Segment
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import BROADCASTS

routes = web.RouteTableDef()


class BroadcastRequest(BaseModel):
    """`{"segment": {...}, "message": {"text": {vi, en}}, "dry_run": bool, "author": str}`."""

    segment: Segment = Field(default_factory=Segment)
    message: ReplyArgs
    dry_run: StrictBool = False
    author: NonBlank | None = None  # required unless it is a dry run


@routes.post("/api/broadcasts")
async def create(request: web.Request) -> web.Response:
    """Count the audience (a dry run), or queue the broadcast (202).

    The bots' schedulers send it within the guardrails.
    """
    body = await parse_body(request, BroadcastRequest)
    problems = check_file(body.message, None)
    if problems:
        where, what = problems[0]
        raise InputError(".".join(["message", *map(str, where)]), what)
    broadcasts = request.app[BROADCASTS]
    if body.dry_run:
        audience = await broadcasts.audience(body.segment)
        return web.json_response({"dry_run": True, "audience": len(audience)})
    if body.author is None:
        raise InputError("author", "author must name who sends the broadcast")
    progress = await broadcasts.create(body.segment, body.message, author=body.author)
    return web.json_response(progress.to_api(), status=202)


@routes.get("/api/broadcasts/{broadcast_id:[0-9]{1,12}-[0-9a-f]{6}}")
async def progress(request: web.Request) -> web.Response:
    """How far a broadcast got: audience, sent, dropped, pending."""
    broadcast_id = request.match_info["broadcast_id"]
    found = await request.app[BROADCASTS].progress(broadcast_id)
    if found is None:
        raise NotFound(f"no broadcast {broadcast_id!r}")
    return web.json_response(found.to_api())
