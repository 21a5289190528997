"""`/api/customers/{user_id}`: export everything held about a customer, or erase them."""

from __future__ import annotations

from aiohttp import web
from pydantic import BaseModel, ConfigDict

from bot.errors import NotFound
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import ACCOUNTS, PRIVACY
from bot.web.paths import USER

routes = web.RouteTableDef()


class Erasure(BaseModel):
    """`{"by": "<who asks>"}`: recorded in the audit log."""

    model_config = ConfigDict(extra="forbid")

    by: NonBlank


@routes.get(f"/api/customers/{USER}/export")
async def export(request: web.Request) -> web.Response:
    """Every record, message, event and handoff of the customer, as one JSON document."""
    user_id = request.match_info["user_id"]
    found = await request.app[PRIVACY].export(user_id)
    if found is None:
        raise NotFound(f"no customer {user_id}")
    await request.app[ACCOUNTS].audit("api", f"customer {user_id} exported")
    return web.json_response(found)


@routes.delete(f"/api/customers/{USER}")
async def erase(request: web.Request) -> web.Response:
    """Erase the customer's personal data; anonymous counts stay. Audited."""
    body = await parse_body(request, Erasure)
    user_id = request.match_info["user_id"]
    if not await request.app[PRIVACY].erase(user_id):
        raise NotFound(f"no customer {user_id}")
    await request.app[ACCOUNTS].audit(body.by, f"customer {user_id} erased")
    return web.json_response({"erased": user_id})
