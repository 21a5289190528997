"""The Facebook Messenger channel: the webhook, turns with a typing indicator, the window.

`GET /webhooks/messenger` answers Meta's subscription check (403 without our verify
token); `POST` checks `X-Hub-Signature-256` (401), stores each event of the notification
in the durable ingest and answers 200 (503 with Retry-After when Redis cannot store
them: Meta delivers the notification again, and the message ids make that safe).
Proactive messages go only inside the 24-hour standard window; a staff reply in a
handoff may go up to 7 days after the customer's last message, with the HUMAN_AGENT tag.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import httpx
from aiohttp import web

from bot.channels.base import ChannelLimits
from bot.channels.messenger import parse, rules
from bot.channels.messenger.sender import MessengerSender, Purpose
from bot.channels.messenger.webhook import MessengerWebhook
from bot.channels.shared.events import WebhookRefused, customer_of, decode, well_formed
from bot.channels.shared.last_inbound import LastInbound
from bot.channels.shared.platform import PlatformEvents
from bot.channels.shared.status import ChannelStatus
from bot.effects import Reply
from bot.ingest.answers import not_stored
from bot.ingest.queue import Entry, IngestUnavailable
from bot.ingest.workers import Ingest
from bot.store.reachability import Reachability
from bot.user import User
from bot.web.errors import error_response

log = logging.getLogger(__name__)

PATH = "/webhooks/messenger"
CHANNEL = rules.CHANNEL


@dataclass(slots=True)
class MessengerChannel:
    """The Facebook page as a `Channel`."""

    webhook: MessengerWebhook
    sender: MessengerSender
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
        """`messenger`: its customers' external ids are page-scoped ids (PSIDs)."""
        return CHANNEL

    @property
    def limits(self) -> ChannelLimits:
        """The Send API's limits on one message."""
        return rules.LIMITS

    def register_routes(self, app: web.Application) -> None:
        """`GET` and `POST /webhooks/messenger`."""
        app.router.add_get(PATH, self.verify)
        app.router.add_post(PATH, self.receive)

    async def start(self) -> None:
        """Consume the stored updates."""
        await self.ingest.start()

    async def stop(self) -> None:
        """Finish the updates being run; close the HTTP client."""
        await self.ingest.stop()
        await self.http.aclose()

    async def verify(self, request: web.Request) -> web.Response:
        """Meta's subscription check: the challenge back, for our verify token only."""
        try:
            challenge = self.webhook.verify_subscription(request.query)
        except WebhookRefused as refused:
            return error_response(403, refused.reason)
        await self.status.note("webhook_verified", "subscription")
        return web.Response(text=challenge)

    async def receive(self, request: web.Request) -> web.Response:
        """One signed notification: each event stored, then 200."""
        raw = await request.read()
        try:
            items = self.webhook.handle_items(raw, request.headers)
            # Every event is checked before any is stored: an odd one refuses the whole.
            parsed = [(item, well_formed(parse.events_of, item)) for item in items]
        except WebhookRefused as refused:
            log.warning("messenger: webhook request refused (%s)", refused.reason)
            return error_response(401, refused.reason)
        await self.status.note("webhook_verified", "signed notification")
        try:
            for item, events in parsed:
                if events:
                    key = f"{CHANNEL}:{customer_of(events[0])}"
                    await self.ingest.push(CHANNEL, key, json.dumps(item, ensure_ascii=False))
        except IngestUnavailable as exc:
            log.warning("messenger: notification not stored (%s); 503", exc)
            return not_stored()
        return web.Response(text="EVENT_RECEIVED")

    async def run(self, entry: Entry) -> None:
        """One stored event."""
        for event in parse.events_of(decode(entry.body.encode())):
            await self.events.run(event)

    async def deliver(
        self, user_id: str, external_id: str, replies: Sequence[Reply], *, staff: bool = False
    ) -> None:
        """Inside 24 hours; a staff reply up to 7 days with the HUMAN_AGENT tag."""
        last = await self.last_inbound.at(user_id, CHANNEL)
        verdict = rules.window(last, self.clock(), staff_reply=staff)
        if not verdict.allowed:
            log.warning("messenger: message to user %s not sent: %s", user_id, verdict.reason)
            await self.status.problem(f"not sent: {verdict.reason}")
            return
        purpose = Purpose.HUMAN_AGENT if verdict.tag == rules.HUMAN_AGENT else Purpose.UPDATE
        result = await self.sender.send(external_id, replies, purpose=purpose)
        await self.events.settle(user_id, result)

    async def unreachable(self, user: User, external_id: str, now: float) -> str | None:
        """Blocked the page, or outside the 24-hour window (bot messages use no tag)."""
        marked = await self.reachability.unreachable(user.id, CHANNEL)
        if marked is not None:
            return marked
        verdict = rules.window(await self.last_inbound.at(user.id, CHANNEL), now)
        return None if verdict.allowed else verdict.reason

    async def health(self) -> dict[str, Any]:
        """Whether Meta's requests pass the checks, the page token's last verdict, errors."""
        report: dict[str, Any] = dict(await self.status.read())
        report.setdefault("webhook_verified", "no verified request received yet")
        report.setdefault("token", "not used yet")  # the Send API judges the page token
        return report
