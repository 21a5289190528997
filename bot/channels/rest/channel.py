"""The REST channel, compatible with Rasa's `rest` connector, and the web chat on top.

`POST /webhooks/rest/webhook` with `{"sender", "message", "message_id"?, "metadata"?}`
answers with the replies; messages that arise outside a request wait in the sender's
outbox, fetched (and acknowledged) with `GET /webhooks/rest/outbox/{sender}`. The web
chat starts with `POST /webhooks/rest/session`; who may act for a sender is `access.py`'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from aiohttp import web

from bot import fast_json
from bot.channels.base import ChannelLimits, TurnHandler
from bot.channels.rest import webchat
from bot.channels.rest.access import ChatAccess
from bot.channels.rest.message import RestMessage
from bot.customer_state import HANDOFF
from bot.effects import Reply
from bot.ids import ID_SEGMENT
from bot.store.outbox import Outbox
from bot.store.reachability import Reachability
from bot.store.users import Users
from bot.user import User
from bot.web.bodies import parse_body
from bot.web.paths import path_id

CHANNEL = "rest"
# The client shows what it gets: no platform limit to keep.
LIMITS = ChannelLimits(
    text_length=None,
    buttons_per_message=None,
    button_title_length=None,
    payload_bytes=None,
    seconds_between_messages=None,
)


class RestChannel:
    """Turns over HTTP; proactive messages wait in the customer's outbox."""

    name = CHANNEL
    limits = LIMITS

    def __init__(
        self,
        *,
        turns: TurnHandler,
        users: Users,
        outbox: Outbox,
        reachability: Reachability,
        origins: Sequence[str],
        access: ChatAccess,
    ) -> None:
        self._turns = turns
        self._users = users
        self._outbox = outbox
        self._reachability = reachability
        self._origins = list(origins)
        self._access = access

    def register_routes(self, app: web.Application) -> None:
        """The webhook, the outbox, the web chat page and script, and CORS for shops' sites."""
        app.router.add_post("/webhooks/rest/webhook", self.webhook)
        app.router.add_post("/webhooks/rest/session", self.session)
        app.router.add_get("/webhooks/rest/outbox/{sender:" + ID_SEGMENT + "}", self.outbox)
        app.router.add_get("/webhooks/rest/status/{sender:" + ID_SEGMENT + "}", self.status)
        webchat.register_routes(app, self._origins)

    async def start(self) -> None:
        """Nothing runs in the background: clients call in."""

    async def stop(self) -> None:
        """Nothing to stop."""

    async def deliver(
        self, user_id: str, external_id: str, replies: Sequence[Reply], *, staff: bool = False
    ) -> None:
        """Queue `replies` for `GET /webhooks/rest/outbox/{sender}`."""
        await self._outbox.push(user_id, list(replies), [])

    async def unreachable(self, user: User, external_id: str, now: float) -> str | None:
        """Only when marked: the outbox keeps messages until the client asks."""
        return await self._reachability.unreachable(user.id, CHANNEL)

    async def health(self) -> dict[str, Any]:
        """Always serving: clients call in."""
        return {"state": "up"}

    async def webhook(self, request: web.Request) -> web.Response:
        """Run one turn and answer with its replies."""
        inbound = (await parse_body(request, RestMessage)).inbound(CHANNEL)
        self._access.check(request, inbound.external_id)
        replies = await self._turns.handle(inbound)
        return web.json_response(
            [{"recipient_id": inbound.external_id, **r.to_dict()} for r in replies],
            dumps=fast_json.dumps,
        )

    async def outbox(self, request: web.Request) -> web.Response:
        """Messages waiting for `sender`, oldest first; each is returned once."""
        sender = path_id(request.match_info["sender"])
        self._access.check(request, sender)
        user_id = await self._users.find_id(CHANNEL, sender)
        replies = [] if user_id is None else await self._outbox.drain(user_id)
        return web.json_response([{"recipient_id": sender, **r.to_dict()} for r in replies])

    async def status(self, request: web.Request) -> web.Response:
        """Whether a person has been asked for (`handoff`) and has answered (`answered`)."""
        sender = path_id(request.match_info["sender"])
        self._access.check(request, sender)
        user = await self._users.find(CHANNEL, sender)
        handoff = None if user is None else user.state.get(HANDOFF)
        answered = handoff is not None and handoff.get("first_response") is not None
        return web.json_response({"handoff": bool(handoff), "answered": answered})

    async def session(self, request: web.Request) -> web.Response:
        """A new web chat sender and its session token (one per browser)."""
        sender, token = self._access.new_session()
        return web.json_response({"sender": sender, "token": token})
