"""When each customer last wrote on each channel: the start of a messaging window."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.store.keys import Keys


class LastInbound:
    """The time of a customer's last message (or follow, or referral) per channel."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def wrote(self, user_id: str, channel: str, at: float) -> None:
        """The customer interacted on `channel` at `at` (the platform's event time)."""
        await self._redis.hset(self._keys.last_inbound(user_id), channel, repr(at))  # type: ignore[misc]

    async def at(self, user_id: str, channel: str) -> float | None:
        """When the customer last interacted on `channel`; None if never."""
        raw = await self._redis.hget(self._keys.last_inbound(user_id), channel)  # type: ignore[misc]
        return None if raw is None else float(raw)
