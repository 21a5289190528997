"""A channel's state for `/healthz`, shared by the replicas: webhook verified, last error."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime

from redis.asyncio import Redis

from bot.store.keys import Keys


class ChannelStatus:
    """What the replicas of one channel learnt about the platform, in one Redis hash."""

    def __init__(
        self, redis: Redis, keys: Keys, channel: str, clock: Callable[[], float] = time.time
    ) -> None:
        self._redis = redis
        self._key = keys.channel_status(channel)
        self._clock = clock

    async def note(self, what: str, value: str = "") -> None:
        """Remember `what` happened now (`webhook_verified`, `token_valid`), with a value."""
        stamp = datetime.fromtimestamp(self._clock(), UTC).isoformat(timespec="seconds")
        await self._redis.hset(self._key, what, f"{stamp} {value}".strip())  # type: ignore[misc]

    async def problem(self, message: str) -> None:
        """Remember the latest error talking to the platform."""
        await self.note("last_error", message[:300])

    async def read(self) -> dict[str, str]:
        """Everything noted, by name."""
        raw = await self._redis.hgetall(self._key)  # type: ignore[misc]
        return {str(k): str(v) for k, v in raw.items()}
