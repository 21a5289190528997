"""`/api/broadcasts`: marketers' broadcasts to a segment, and their progress."""

from __future__ import annotations

from typing import TypeVar

from aiohttp import web
from pydantic import BaseModel, ValidationError

from actions.messaging import ReplyArgs
from bot.http_errors import error_response, json_object
from bot.policies.validator import check_file
from bot.scheduler.segment import Segment
from bot.services import SERVICES

routes = web.RouteTableDef()
M = TypeVar("M", bound=BaseModel)


@routes.post("/api/broadcasts")
async def create(request: web.Request) -> web.Response:
    """`{"segment": {...}, "message": {"text": {vi, en}}, "dry_run": bool, "author": str}`.

    A dry run answers with the audience size; otherwise the broadcast is queued (202)
    and the bots' schedulers send it within the guardrails.
    """
    body = await json_object(request)
    if isinstance(body, web.Response):
        return body
    segment = _validated(Segment, body.get("segment", {}), "segment")
    if isinstance(segment, web.Response):
        return segment
    message = _validated(ReplyArgs, body.get("message"), "message")
    if isinstance(message, web.Response):
        return message
    problems = check_file(message, None)
    if problems:
        where, what = problems[0]
        return error_response(422, what, ".".join(["message", *map(str, where)]))
    services = request.app[SERVICES]
    if body.get("dry_run") is True:
        audience = await services.broadcasts.audience(segment)
        return web.json_response({"dry_run": True, "audience": len(audience)})
    author = body.get("author")
    if not isinstance(author, str) or not author.strip():
        return error_response(422, "author must name who sends the broadcast", "author")
    progress = await services.broadcasts.create(segment, message, author=author.strip())
    return web.json_response(progress.to_api(), status=202)


@routes.get("/api/broadcasts/{broadcast_id}")
async def progress(request: web.Request) -> web.Response:
    """How far a broadcast got: audience, sent, dropped, pending."""
    broadcast_id = request.match_info["broadcast_id"]
    found = await request.app[SERVICES].broadcasts.progress(broadcast_id)
    if found is None:
        return error_response(404, f"no broadcast {broadcast_id!r}")
    return web.json_response(found.to_api())


def _validated(schema: type[M], value: object, field: str) -> M | web.Response:
    try:
        return schema.model_validate(value)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join([field, *map(str, error["loc"])])
        return error_response(422, error["msg"], where)
