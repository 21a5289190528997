"""Which channel a message the bot starts goes to, for a customer with several.

Replies always go back on the channel the customer wrote on (the turn answers there).
A follow-up or broadcast goes to the customer's `preferred_channel` (a profile field)
when they can be reached there now, else to the channel they wrote on most recently
among those where they can be reached (a blocked bot, a closed messaging window rule one
out). When none can, the first candidate is returned, so the guardrails say why.
A staff reply in a handoff goes to the channel the customer wrote on last.
"""

from __future__ import annotations

from bot.channels.registry import Channels, Target
from bot.store.transcript import Transcript
from bot.user import User

PREFERRED = "preferred_channel"
RECENT_ENTRIES = 200  # how far back the transcript is read for the latest inbound per channel


class ProactiveRoute:
    """`Channels.route`: see the module."""

    def __init__(self, channels: Channels, transcript: Transcript) -> None:
        self._channels = channels
        self._transcript = transcript

    async def __call__(self, user: User, now: float) -> Target | None:
        """The channel and external id to message `user` on now."""
        served = self._channels.served(user)
        if len(served) <= 1:
            return served[0] if served else None
        latest = await self._latest(user)
        preferred = user.profile.get(PREFERRED)
        ranked = sorted(served, key=lambda t: (t[0] != preferred, -latest.get(t[0], -1)))
        for name, external_id in ranked:
            if await self._channels.unreachable(user, name, now) is None:
                return name, external_id
        return ranked[0]

    async def reply(self, user: User) -> Target | None:
        """`Channels.reply_route`: the channel the customer wrote on last (a staff reply)."""
        served = self._channels.served(user)
        if len(served) <= 1:
            return served[0] if served else None
        latest = await self._latest(user)
        return max(served, key=lambda t: latest.get(t[0], -1))

    async def _latest(self, user: User) -> dict[str, int]:
        """Each channel's latest inbound message, as its position in the recent transcript."""
        # The transcript's order is the order messages were written in (server time).
        latest: dict[str, int] = {}
        recent = await self._transcript.read(user.id, count=RECENT_ENTRIES)
        for position, entry in enumerate(recent):
            if entry.get("dir") == "in":
                latest[str(entry["channel"])] = position
        return latest
