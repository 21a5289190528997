"""Delivering proactive messages on the customer's channel (REST outbox, Telegram, ...)."""

from __future__ import annotations

from typing import Protocol

from bot.effects import Reply
from bot.store.outbox import Outbox
from bot.user import User


class Deliverer(Protocol):
    """Sends messages that arise outside a customer's request on one channel."""

    async def deliver(self, user_id: str, external_id: str, replies: list[Reply]) -> None:
        """Send `replies`; the transcript is the caller's job."""
        ...


class OutboxDeliverer:
    """REST / web chat: proactive messages wait in the customer's outbox."""

    def __init__(self, outbox: Outbox) -> None:
        self._outbox = outbox

    async def deliver(self, user_id: str, external_id: str, replies: list[Reply]) -> None:
        """Queue `replies` for `GET /webhooks/rest/outbox/{sender}`."""
        await self._outbox.push(user_id, replies, [])


class Delivery:
    """Finds the channel a customer can be reached on and sends there."""

    def __init__(self) -> None:
        self._channels: dict[str, Deliverer] = {}

    def register(self, channel: str, deliverer: Deliverer) -> None:
        """Use `deliverer` for customers of `channel`."""
        self._channels[channel] = deliverer

    def channel_of(self, user: User) -> tuple[str, str] | None:
        """`(channel, external id)` of the customer's first identity a channel can serve."""
        for identity in user.identities:
            channel, _, external_id = identity.partition(":")
            if channel in self._channels:
                return channel, external_id
        return None

    async def deliver(self, user: User, replies: list[Reply]) -> None:
        """Send `replies` to `user` on their channel (nothing when they have none)."""
        target = self.channel_of(user)
        if target is not None and replies:
            await self._channels[target[0]].deliver(user.id, target[1], replies)
