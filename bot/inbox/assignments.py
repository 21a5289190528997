"""Who owns a conversation: one staff member per customer, or nobody."""

from __future__ import annotations

import time
from collections.abc import Callable

from redis.asyncio import Redis

from bot.store.keys import Keys


class Assignments:
    """The owner of each assigned customer (customer id -> staff name), and since when.

    The time of the assignment is what the owner's SLA timer counts from.
    """

    def __init__(self, redis: Redis, keys: Keys, clock: Callable[[], float] = time.time) -> None:
        self._redis = redis
        self._clock = clock
        self._key = keys.console("{inbox}:owners")  # one slot: assigned together
        self._since = keys.console("{inbox}:owned_since")

    async def owner(self, user_id: str) -> str | None:
        """Who owns the customer's conversation, if anyone."""
        found = await self._redis.hget(self._key, user_id)  # type: ignore[misc]
        return None if found is None else str(found)

    async def owners(self, user_ids: list[str]) -> dict[str, str]:
        """The owners of those of `user_ids` that have one."""
        if not user_ids:
            return {}
        found = await self._redis.hmget(self._key, user_ids)  # type: ignore[misc]
        return {u: str(o) for u, o in zip(user_ids, found, strict=True) if o is not None}

    async def since(self, user_ids: list[str]) -> dict[str, float]:
        """When each of those of `user_ids` that have an owner was assigned to them."""
        if not user_ids:
            return {}
        found = await self._redis.hmget(self._since, user_ids)  # type: ignore[misc]
        return {u: float(at) for u, at in zip(user_ids, found, strict=True) if at is not None}

    async def assign(self, user_id: str, staff: str, at: float | None = None) -> None:
        """`staff` owns the conversation from now on (a claim is an assignment to oneself)."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._key, user_id, staff)
            pipe.hset(self._since, user_id, str(self._clock() if at is None else at))
            await pipe.execute()

    async def unassign(self, user_id: str) -> None:
        """Nobody owns the conversation."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hdel(self._key, user_id)
            pipe.hdel(self._since, user_id)
            await pipe.execute()
