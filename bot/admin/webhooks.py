"""`/api/webhooks`: the CRM endpoints, their delivery log, and replaying a delivery."""

from __future__ import annotations

import time
from typing import Annotated

from aiohttp import web
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StrictBool, StrictStr

from bot.errors import InputError, NotFound
from bot.web.bodies import parse_body
from bot.web.keys import WEBHOOK_DELIVERIES, WEBHOOK_ENDPOINTS
from bot.webhooks.endpoints import ALL, EVENT_TYPES, url_problem
from bot.webhooks.ping import send_test

routes = web.RouteTableDef()

ENDPOINT = "{endpoint_id:we_[0-9a-f]{16}}"
DELIVERY = "{delivery_id:wd_[0-9a-f]{20}}"
MAX_LOG = 1000


def _url(value: str) -> str:
    problem = url_problem(value)
    if problem is not None:
        raise ValueError(f"url: {problem}")
    return value.strip()


def _event_type(value: str) -> str:
    if value != ALL and value not in EVENT_TYPES:
        raise ValueError(f"unknown event type; one of {', '.join(EVENT_TYPES)} or *")
    return value


class NewEndpoint(BaseModel):
    """`{"url", "events": ["stage.changed", ...] | ["*"], "secret"?, "description"?}`."""

    model_config = ConfigDict(extra="forbid")

    url: Annotated[StrictStr, AfterValidator(_url)]
    events: list[Annotated[StrictStr, AfterValidator(_event_type)]] = Field(
        min_length=1, max_length=len(EVENT_TYPES) + 1
    )
    secret: StrictStr | None = Field(default=None, min_length=16, max_length=200)
    description: StrictStr = Field(default="", max_length=200)


@routes.post("/api/webhooks")
async def add_endpoint(request: web.Request) -> web.Response:
    """Add an endpoint (201); the answer is the one place its secret is shown."""
    body = await parse_body(request, NewEndpoint)
    endpoint = await request.app[WEBHOOK_ENDPOINTS].add(
        body.url, body.events, time.time(), secret=body.secret, description=body.description
    )
    return web.json_response(endpoint.to_api(with_secret=True), status=201)


@routes.get("/api/webhooks")
async def list_endpoints(request: web.Request) -> web.Response:
    """Every endpoint, secrets shortened."""
    endpoints = await request.app[WEBHOOK_ENDPOINTS].all()
    return web.json_response({"endpoints": [e.to_api() for e in endpoints]})


@routes.delete(f"/api/webhooks/{ENDPOINT}")
async def remove_endpoint(request: web.Request) -> web.Response:
    """Remove an endpoint; what is still queued for it fails as `endpoint removed`."""
    if not await request.app[WEBHOOK_ENDPOINTS].remove(request.match_info["endpoint_id"]):
        raise NotFound("no such endpoint")
    return web.json_response({"removed": request.match_info["endpoint_id"]})


@routes.get(f"/api/webhooks/{ENDPOINT}/deliveries")
async def delivery_log(request: web.Request) -> web.Response:
    """The endpoint's latest deliveries, newest first: status, attempts, last error."""
    endpoint_id = request.match_info["endpoint_id"]
    if await request.app[WEBHOOK_ENDPOINTS].get(endpoint_id) is None:
        raise NotFound("no such endpoint")
    limit = request.query.get("limit", "100")
    if not (limit.isascii() and limit.isdigit() and 1 <= int(limit[:5]) <= MAX_LOG):
        raise InputError("limit", f"limit must be a whole number from 1 to {MAX_LOG}")
    found = await request.app[WEBHOOK_DELIVERIES].log(endpoint_id, int(limit))
    return web.json_response({"deliveries": [d.to_api() for d in found]})


@routes.post(f"/api/webhooks/deliveries/{DELIVERY}/replay")
async def replay(request: web.Request) -> web.Response:
    """Send a delivery's event again (the same body and event id), behind the queue (202)."""
    again = await request.app[WEBHOOK_DELIVERIES].replay(request.match_info["delivery_id"])
    if again is None:
        raise NotFound("no such delivery (finished deliveries are kept 30 days)")
    return web.json_response(again.to_api(), status=202)


@routes.post(f"/api/webhooks/{ENDPOINT}/rotate")
async def rotate(request: web.Request) -> web.Response:
    """A new secret for the endpoint, shown in this answer only."""
    endpoint = await request.app[WEBHOOK_ENDPOINTS].rotate(request.match_info["endpoint_id"])
    if endpoint is None:
        raise NotFound("no such endpoint")
    return web.json_response(endpoint.to_api(with_secret=True))


class Switch(BaseModel):
    """`{"enabled": true | false}`."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool


@routes.patch(f"/api/webhooks/{ENDPOINT}")
async def switch(request: web.Request) -> web.Response:
    """Turn an endpoint on or off; off, it gets no new deliveries."""
    body = await parse_body(request, Switch)
    endpoint = await request.app[WEBHOOK_ENDPOINTS].enable(
        request.match_info["endpoint_id"], body.enabled
    )
    if endpoint is None:
        raise NotFound("no such endpoint")
    return web.json_response(endpoint.to_api())


@routes.post(f"/api/webhooks/{ENDPOINT}/test")
async def test_event(request: web.Request) -> web.Response:
    """Queue a signed `webhook.test` delivery to the endpoint (202)."""
    endpoint = await request.app[WEBHOOK_ENDPOINTS].get(request.match_info["endpoint_id"])
    if endpoint is None:
        raise NotFound("no such endpoint")
    queue = request.app[WEBHOOK_DELIVERIES]
    delivery = await send_test(queue, endpoint, queue.now(), "api")
    return web.json_response(delivery.to_api(), status=202)
