"""Internal notes on a customer: written and read by staff only, never sent."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys

KEPT = 200  # latest notes per customer


class Notes:
    """Each customer's notes, oldest first, in a list per customer."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    def _key(self, user_id: str) -> str:
        return self._keys.console(f"notes:{user_id}")

    async def add(self, user_id: str, text: str, *, by: str, at: float) -> None:
        """Keep a staff member's note."""
        note = json.dumps({"text": text, "by": by, "at": at}, ensure_ascii=False)
        await self._redis.rpush(self._key(user_id), note)  # type: ignore[misc]
        await self._redis.ltrim(self._key(user_id), -KEPT, -1)  # type: ignore[misc]

    async def of(self, user_id: str) -> list[dict[str, Any]]:
        """The customer's notes, oldest first."""
        raw = await self._redis.lrange(self._key(user_id), 0, -1)  # type: ignore[misc]
        return [json.loads(r) for r in raw]
