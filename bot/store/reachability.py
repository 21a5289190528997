"""Whether a customer can be messaged on a channel (they may have blocked the bot)."""

from __future__ import annotations

import json
import time
from collections.abc import Callable

from redis.asyncio import Redis

from bot.store.keys import Keys


class Reachability:
    """Marks customers unreachable on a channel, so no proactive message is tried again.

    A mark is kept per channel: a customer who blocked the Telegram bot can still be
    reached on the web chat.
    """

    def __init__(self, redis: Redis, keys: Keys, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._keys = keys
        self._clock = clock

    async def mark_unreachable(self, user_id: str, channel: str, reason: str) -> None:
        """Record that messages to the customer on `channel` fail (e.g. `blocked`)."""
        value = json.dumps({"reason": reason, "at": self._clock()})
        await self._redis.hset(self._keys.unreachable(user_id), channel, value)  # type: ignore[misc]

    async def mark_reachable(self, user_id: str, channel: str) -> None:
        """Clear the mark (the customer unblocked the bot or wrote again)."""
        await self._redis.hdel(self._keys.unreachable(user_id), channel)  # type: ignore[misc]

    async def is_reachable(self, user_id: str, channel: str) -> bool:
        """False when the customer is marked unreachable on `channel`."""
        marked = await self._redis.hexists(self._keys.unreachable(user_id), channel)  # type: ignore[misc]
        return not marked

    async def reason(self, user_id: str, channel: str) -> str | None:
        """Why the customer is unreachable on `channel`, or None when they are reachable."""
        raw = await self._redis.hget(self._keys.unreachable(user_id), channel)  # type: ignore[misc]
        return None if raw is None else str(json.loads(raw).get("reason", "marked"))

    async def unreachable(self, user_id: str, channel: str) -> str | None:
        """A reason for the scheduler (`unreachable on zalo: unfollowed`), or None."""
        reason = await self.reason(user_id, channel)
        return None if reason is None else f"unreachable on {channel}: {reason}"
