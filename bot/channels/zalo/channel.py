"""The Zalo Official Account channel: `POST /webhooks/zalo`, turns, replies, follow-ups.

The webhook verifies the request (401 otherwise), stores it in the durable ingest and
answers 200 (Zalo wants an answer within 2 seconds, retries for 12 hours and then
disables the webhook: https://tinhoc88.com/zalo-api---php-xu-ly-su-kien-webhook.html;
the turn runs after). A replay of a
request already stored, same signature, is answered 200 and not stored again: it passed
the signature check, so it is Zalo's own retry of a request whose first answer it
missed, or a copy of one; a 401 would count against the webhook at Zalo for nothing.
When Redis cannot store the request, 503 with Retry-After: Zalo retries it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from aiohttp import web

from bot.channels.base import ChannelLimits
from bot.channels.shared.events import WebhookRefused, customer_of, decode
from bot.channels.shared.last_inbound import LastInbound
from bot.channels.shared.platform import PlatformEvents
from bot.channels.shared.status import ChannelStatus
from bot.channels.zalo import parse, rules
from bot.channels.zalo.oauth import ZaloAuthError
from bot.channels.zalo.sender import ZaloSender
from bot.channels.zalo.tokens import ZaloTokens
from bot.channels.zalo.webhook import ZaloWebhook
from bot.effects import Reply
from bot.ingest.answers import not_stored
from bot.ingest.queue import Entry, IngestUnavailable
from bot.ingest.workers import Ingest
from bot.store.reachability import Reachability
from bot.user import User
from bot.web.errors import error_response

log = logging.getLogger(__name__)

PATH = "/webhooks/zalo"
CHANNEL = rules.CHANNEL


@dataclass(slots=True)
class ZaloChannel:
    """The Official Account as a `Channel`."""

    webhook: ZaloWebhook
    sender: ZaloSender
    tokens: ZaloTokens
    events: PlatformEvents
    ingest: Ingest
    reachability: Reachability
    last_inbound: LastInbound
    status: ChannelStatus
    http: httpx.AsyncClient
    clock: Callable[[], float]

    def __post_init__(self) -> None:
        self.ingest.handle(CHANNEL, self.run)

    @property
    def name(self) -> str:
        """`zalo`: its customers' external ids are their Zalo user ids."""
        return CHANNEL

    @property
    def limits(self) -> ChannelLimits:
        """The OA API's limits on one customer-service message."""
        return rules.LIMITS

    def register_routes(self, app: web.Application) -> None:
        """`POST /webhooks/zalo`."""
        app.router.add_post(PATH, self.receive)

    async def start(self) -> None:
        """Consume the stored updates."""
        await self.ingest.start()

    async def stop(self) -> None:
        """Finish the updates being run; close the HTTP client."""
        await self.ingest.stop()
        await self.http.aclose()

    async def receive(self, request: web.Request) -> web.Response:
        """One webhook request: verified, stored, answered."""
        raw = await request.read()
        try:
            verified = self.webhook.verify(raw, request.headers)
        except WebhookRefused as refused:
            log.warning("zalo: webhook request refused (%s)", refused.reason)
            return error_response(401, refused.reason)
        await self.status.note("webhook_verified")
        if not verified.events:
            return web.json_response({"status": "ignored"})
        key = f"{CHANNEL}:{customer_of(verified.events[0])}"
        try:
            stored = await self.ingest.push(
                CHANNEL, key, raw.decode(), once=verified.signature, once_ttl=verified.ttl
            )
        except IngestUnavailable as exc:
            log.warning("zalo: event not stored (%s); 503", exc)
            return not_stored()
        if not stored:
            log.info("zalo: a replayed request answered without processing")
            return web.json_response({"status": "replayed"})
        return web.json_response({"status": "stored"})

    async def run(self, entry: Entry) -> None:
        """One stored request's events."""
        for event in parse.events_of(decode(entry.body.encode())):
            await self.events.run(event)

    async def deliver(
        self, user_id: str, external_id: str, replies: Sequence[Reply], *, staff: bool = False
    ) -> None:
        """A proactive message or a staff reply, only inside the 7-day window."""
        verdict = rules.window(await self.last_inbound.at(user_id, CHANNEL), self.clock())
        if not verdict.allowed:
            log.warning("zalo: message to user %s not sent: %s", user_id, verdict.reason)
            await self.status.problem(f"not sent: {verdict.reason}")
            return
        await self.events.settle(user_id, await self.sender.send(external_id, replies))

    async def unreachable(self, user: User, external_id: str, now: float) -> str | None:
        """Unfollowed or not found, or outside the 7-day window."""
        marked = await self.reachability.unreachable(user.id, CHANNEL)
        if marked is not None:
            return marked
        verdict = rules.window(await self.last_inbound.at(user.id, CHANNEL), now)
        return None if verdict.allowed else verdict.reason

    async def health(self) -> dict[str, Any]:
        """The token's state, whether Zalo's requests pass the signature check, the last error."""
        report: dict[str, Any] = dict(await self.status.read())
        try:
            expires_at = await self.tokens.expires_at()
        except ZaloAuthError as exc:
            report["token"] = f"missing: {exc}"
        else:
            report |= self._token_state(expires_at)
        report.setdefault("webhook_verified", "no signed request received yet")
        return report

    def _token_state(self, expires_at: float) -> dict[str, Any]:
        report: dict[str, Any] = {}
        if expires_at == 0:
            report["token"] = "seeded (age unknown: used until Zalo rejects it)"
        else:
            left = expires_at - self.clock()
            report["token"] = "valid" if left > 0 else "expired (renewed on the next send)"
            report["token_expires_in_seconds"] = round(left)
        return report
