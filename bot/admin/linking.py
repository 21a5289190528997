"""`/api/customers/{user_id}/...`: verified contacts, merges and their undoing, by staff."""

from __future__ import annotations

from typing import Annotated

from aiohttp import web
from pydantic import AfterValidator, BaseModel, ConfigDict, StrictStr, model_validator

from bot.customers.events import normal_email, normal_phone
from bot.errors import Conflict, NotFound
from bot.linking.record import NoSuchMerge, NothingToMerge
from bot.linking.unmerge import merges_of, unmerge
from bot.web.bodies import parse_body
from bot.web.fields import NonBlank
from bot.web.keys import ACCOUNTS, LINKING
from bot.web.paths import USER

routes = web.RouteTableDef()


class VerifiedContact(BaseModel):
    """`{"email": ...}` or `{"phone": ...}` a person confirmed, and `by` whom (audited)."""

    model_config = ConfigDict(extra="forbid")

    email: Annotated[StrictStr, AfterValidator(normal_email)] | None = None
    phone: Annotated[StrictStr, AfterValidator(normal_phone)] | None = None
    by: NonBlank

    @model_validator(mode="after")
    def _one(self) -> VerifiedContact:
        if (self.email is None) == (self.phone is None):
            raise ValueError("give one of: email, phone")
        return self


class Unmerge(BaseModel):
    """`{"identity": "telegram:123", "by": ...}`: the identity to give its own record back."""

    model_config = ConfigDict(extra="forbid")

    identity: NonBlank
    by: NonBlank


@routes.post(f"/api/customers/{USER}/verified-contact")
async def verified_contact(request: web.Request) -> web.Response:
    """The customer's email or phone is verified: customers sharing it become one."""
    body = await parse_body(request, VerifiedContact)
    user_id = request.match_info["user_id"]
    kind, value = ("email", body.email) if body.email is not None else ("phone", body.phone)
    assert value is not None
    try:
        found = await request.app[LINKING].contacts.verify(user_id, kind, value, by=body.by)  # type: ignore[arg-type]
    except NothingToMerge as exc:
        raise Conflict(str(exc)) from exc
    what = f"customer {user_id}: {kind} verified"
    if found.absorbed is not None:
        what += f", customer {found.absorbed} merged into {found.customer}"
    await request.app[ACCOUNTS].audit(body.by, what)
    return web.json_response({"customer": found.customer, "merged": found.absorbed})


@routes.get(f"/api/customers/{USER}/merges")
async def merges(request: web.Request) -> web.Response:
    """The merges into the customer that can still be undone."""
    records = await merges_of(request.app[LINKING].merger, request.match_info["user_id"])
    return web.json_response({"merges": [r.to_api() for r in records]})


@routes.post(f"/api/customers/{USER}/unmerge")
async def unmerge_identity(request: web.Request) -> web.Response:
    """Undo the merge that brought `identity` into the customer (within the retention)."""
    body = await parse_body(request, Unmerge)
    restored = await undo_merge(request.app, request.match_info["user_id"], body.identity, body.by)
    return web.json_response({"restored": restored, "identity": body.identity})


async def undo_merge(app: web.Application, user_id: str, identity: str, by: str) -> str:
    """Unmerge `identity` from the customer, audited as `by`; the API's and the console's.

    Raises:
        NotFound: no merge of `identity` into the customer can be undone.

    """
    try:
        restored = await unmerge(app[LINKING].merger, user_id, identity, by=by)
    except NoSuchMerge as exc:
        raise NotFound(str(exc)) from exc
    await app[ACCOUNTS].audit(by, f"customer {restored} ({identity}) unmerged from {user_id}")
    return restored
