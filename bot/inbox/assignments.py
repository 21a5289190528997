"""Who owns a conversation: one staff member per customer, or nobody."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.store.keys import Keys


class Assignments:
    """The owner of each assigned customer, kept in one hash (customer id -> staff name)."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._key = keys.console("inbox:owners")

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

    async def assign(self, user_id: str, staff: str) -> None:
        """`staff` owns the conversation from now on (a claim is an assignment to oneself)."""
        await self._redis.hset(self._key, user_id, staff)  # type: ignore[misc]

    async def unassign(self, user_id: str) -> None:
        """Nobody owns the conversation."""
        await self._redis.hdel(self._key, user_id)  # type: ignore[misc]
