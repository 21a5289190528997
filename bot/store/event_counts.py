"""Counting a customer's product events of one name within a time window (for segments)."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.scheduler.segment import Did
from bot.store.keys import Keys


async def did_all(
    redis: Redis, keys: Keys, user_ids: list[str], conditions: list[Did], now: float
) -> list[str]:
    """The customers of `user_ids` who meet every condition at `now`, in one round trip."""
    if not user_ids:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for user_id in user_ids:
            for did in conditions:
                pipe.zcount(keys.event_times(user_id, did.event), now - did.within, now)
        counts = await pipe.execute()
    per_user = len(conditions)
    return [
        user_id
        for index, user_id in enumerate(user_ids)
        if all(
            int(counts[index * per_user + n]) >= did.at_least for n, did in enumerate(conditions)
        )
    ]
