"""Canned replies: the team's saved answers, inserted with `/name` in the reply box.

A text may use `{{first_name}}` (and `{{name}}`, `{{agent}}`); the page fills them in
before the reply is sent, so staff see exactly what the customer will get.
"""

from __future__ import annotations

import re

from redis.asyncio import Redis

from bot.store.keys import Keys

NAME = re.compile(r"[a-z0-9_-]{1,32}")


class CannedReplies:
    """Saved replies by short name, shared by the whole team."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._key = keys.console("canned")

    async def all(self) -> dict[str, str]:
        """Every saved reply by name, sorted by name."""
        found = await self._redis.hgetall(self._key)  # type: ignore[misc]
        return dict(sorted(found.items()))

    async def save(self, name: str, text: str) -> None:
        """Save (or replace) the reply called `name`."""
        await self._redis.hset(self._key, name, text)  # type: ignore[misc]

    async def remove(self, name: str) -> None:
        """Forget the reply called `name`."""
        await self._redis.hdel(self._key, name)  # type: ignore[misc]
