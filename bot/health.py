"""`GET /healthz`: whether this replica can serve customers."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from redis.exceptions import RedisError

from bot.services import SERVICES

routes = web.RouteTableDef()


@routes.get("/healthz")
async def healthz(request: web.Request) -> web.Response:
    """200 while Redis answers, else 503; the NLU state is reported, not required.

    A dead Rasa does not fail the check: the bot still serves buttons and offers a human
    in degraded mode, and a load balancer must not take every replica out for it.
    """
    services = request.app[SERVICES]
    body: dict[str, Any] = {"policies": services.policies.current.revision}
    try:
        await services.redis.ping()
        body["redis"] = "up"
    except (RedisError, OSError) as exc:
        body["redis"] = f"down: {exc}"
    body["nlu"] = services.nlu.health() if services.nlu is not None else {"state": "disabled"}
    status = 200 if body["redis"] == "up" else 503
    body["status"] = "ok" if status == 200 else "unavailable"
    return web.json_response(body, status=status)
