"""The channels of this bot process, by name: how the core reaches a customer.

Staff replies go out on the channel `reply_route` picks (`bot.linking.reach`: the one the
customer wrote on last); follow-ups and broadcasts on the one `route` picks (the
preferred, else the most recently used reachable channel); both by default on the first
of the customer's identities whose channel runs here. The channel also says whether the
customer can be reached on it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from typing import TypeVar

from aiohttp import web

from bot.channels.base import Channel, ChannelLimits
from bot.effects import Reply
from bot.user import User

C = TypeVar("C", bound=Channel)
Target = tuple[str, str]
"""`(channel, external id)`: where a message to the customer goes."""


class Channels:
    """Every registered channel; registering adds its routes and background work."""

    def __init__(self) -> None:
        self._channels: dict[str, Channel] = {}
        # Picks the channel of a proactive message (`bot.linking.reach`); set by the wiring.
        self.route: Callable[[User, float], Awaitable[Target | None]] | None = None
        # Picks the channel of a staff reply (`bot.linking.reach`); set by the wiring.
        self.reply_route: Callable[[User], Awaitable[Target | None]] | None = None

    def register(self, channel: C) -> C:
        """Run `channel` in this process; returns it."""
        self._channels[channel.name] = channel
        return channel

    def __iter__(self) -> Iterator[Channel]:
        return iter(self._channels.values())

    def channel_of(self, user: User) -> tuple[str, str] | None:
        """`(channel, external id)` of the customer's first identity a channel can serve."""
        for identity in user.identities:
            channel, _, external_id = identity.partition(":")
            if channel in self._channels:
                return channel, external_id
        return None

    async def proactive_target(self, user: User, now: float) -> Target | None:
        """Where a message the bot starts goes (see the module)."""
        return self.channel_of(user) if self.route is None else await self.route(user, now)

    async def reply_target(self, user: User) -> Target | None:
        """Where a person's reply goes (see the module)."""
        return self.channel_of(user) if self.reply_route is None else await self.reply_route(user)

    def served(self, user: User) -> list[Target]:
        """The customer's identities whose channel runs here, in the customer's order."""
        found = [identity.partition(":") for identity in user.identities]
        return [(name, external_id) for name, _, external_id in found if name in self._channels]

    async def deliver(
        self, user: User, replies: Sequence[Reply], *, staff: bool = False,
        channel: str | None = None,
    ) -> None:  # fmt: skip
        """Send `replies` to `user` on their channel (nothing when they have none).

        `staff`: a person wrote them in a handoff. `channel`: that one of the customer's
        channels (where a proactive message was checked to be allowed).
        """
        target = await self.reply_target(user) if staff else self.channel_of(user)
        if channel is not None:
            target = next((t for t in self.served(user) if t[0] == channel), None)
        if target is not None and replies:
            await self._channels[target[0]].deliver(user.id, target[1], replies, staff=staff)

    async def unreachable(self, user: User, channel: str, now: float) -> str | None:
        """Why `channel` may not send `user` a proactive message now; None when it may."""
        for identity in user.identities:
            name, _, external_id = identity.partition(":")
            if name == channel and name in self._channels:
                return await self._channels[name].unreachable(user, external_id, now)
        return f"no {channel} identity served here"

    def limits(self) -> dict[str, ChannelLimits]:
        """Each channel's limits, by name: what the policy validator checks buttons against."""
        return {name: channel.limits for name, channel in self._channels.items()}

    def get(self, name: str) -> Channel | None:
        """The channel called `name`, if it runs here."""
        return self._channels.get(name)

    def register_routes(self, app: web.Application) -> None:
        """Every channel's HTTP routes."""
        for channel in self:
            channel.register_routes(app)

    async def start(self) -> None:
        """Start every channel's background work."""
        for channel in self:
            await channel.start()

    async def stop(self) -> None:
        """Stop every channel's background work."""
        for channel in self:
            await channel.stop()
