"""What a webhook platform channel (Zalo OA, Messenger) does with its parsed events.

A `Message` is a turn of the engine (text and button payloads) or a note (a photo, a
sticker: the engine's non-text path), run once per message id; it opens the platform's
messaging window and clears an unreachable mark. `Followed` is a welcome by the policy
(the greeting turn), `Unfollowed` marks the customer unreachable, `Referred` is a
greeting turn carrying the referral code (attributed when the customer is new). Replies
go through the channel's sender; how sending ended (`SendResult`) is acted on here.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field

from redis.asyncio import Redis

from bot.channels.shared.events import Followed, Message, ParsedEvent, Referred, Unfollowed
from bot.channels.shared.last_inbound import LastInbound
from bot.channels.shared.notices import NOT_TEXT, polite
from bot.channels.shared.outcome import Outcome, SendResult
from bot.channels.shared.seen import answered_before
from bot.channels.shared.status import ChannelStatus
from bot.effects import Reply
from bot.engine import Engine
from bot.inbound import Inbound
from bot.ingest.workers import Ingest
from bot.metrics import Metrics
from bot.store.keys import Keys
from bot.store.reachability import Reachability
from bot.store.turns import Turns
from bot.store.users import Users

log = logging.getLogger(__name__)

GREETING = "/greet"  # what a follow or a referral link says: the policy's welcome

Send = Callable[[str, Sequence[Reply]], Awaitable[SendResult]]
Typing = Callable[[str], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PlatformNeeds:
    """What a webhook platform channel uses of the rest of the bot."""

    redis: Redis  # for its own state: tokens, status
    keys: Keys
    engine: Engine
    users: Users
    turns: Turns  # which messages were answered: a redelivered event sends nothing
    reachability: Reachability
    last_inbound: LastInbound
    ingest: Ingest
    metrics: Metrics
    clock: Callable[[], float] = field(default=time.time)


class PlatformEvents:
    """Runs one platform's events for the channel called `channel`."""

    def __init__(
        self,
        channel: str,
        needs: PlatformNeeds,
        status: ChannelStatus,
        send: Send,
        typing: Typing | None = None,
    ) -> None:
        self._channel = channel
        self._needs = needs
        self._status = status
        self._send = send
        self._typing = typing
        self._accepted = False  # the platform took a message from this process

    async def run(self, event: ParsedEvent) -> None:
        """Act on one event (stored, so a redelivered one is recognised)."""
        match event:
            case Message(inbound=inbound, at=at):
                await self._turn(inbound, at)
            case Followed(external_id=external_id, at=at, event_id=event_id):
                await self._turn(Inbound(self._channel, external_id, GREETING, event_id), at)
            case Referred(external_id=external_id, code=code, at=at, event_id=event_id):
                greeting = Inbound(self._channel, external_id, GREETING, event_id, referral=code)
                await self._turn(greeting, at)
            case Unfollowed():
                await self._unfollowed(event)

    async def settle(self, user_id: str, result: SendResult) -> None:
        """Act on how sending ended: a customer who left is marked, a failure recorded."""
        self._needs.metrics.deliveries[self._channel, result.outcome.value] += 1
        if result.ok:
            if not self._accepted:
                self._accepted = True
                await self._status.note("token", "accepted by the platform")
            return
        if result.outcome is Outcome.UNREACHABLE:
            await self._needs.reachability.mark_unreachable(user_id, self._channel, result.reason)
        await self._status.problem(f"{result.outcome.value}: {result.reason}")

    async def _turn(self, inbound: Inbound, at: float) -> None:
        needs = self._needs
        if await answered_before(needs.users, needs.turns, inbound):
            return
        user_id = await needs.users.resolve(self._channel, inbound.external_id)
        await needs.last_inbound.wrote(user_id, self._channel, at)
        await needs.reachability.mark_reachable(user_id, self._channel)
        if inbound.media:
            replies = await needs.engine.transcribe_only(inbound, polite(NOT_TEXT))
        else:
            if self._typing is not None:
                await self._typing(inbound.external_id)
            replies = await needs.engine.handle(inbound)
        if replies:
            await self.settle(user_id, await self._send(inbound.external_id, replies))

    async def _unfollowed(self, event: Unfollowed) -> None:
        needs = self._needs
        note = Inbound(self._channel, event.external_id, "[unfollowed]", event.event_id)
        await needs.engine.transcribe_only(note, lambda _: [])
        user_id = await needs.users.resolve(self._channel, event.external_id)
        await needs.reachability.mark_unreachable(user_id, self._channel, "unfollowed")
