"""Reachability marks: per channel, set and cleared."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.reachability import Reachability


async def test_mark_and_clear_per_channel(redis: Redis, prefix: str) -> None:
    reachability = Reachability(redis, Keys(prefix), clock=lambda: 100.0)
    assert await reachability.is_reachable("u1", "telegram")
    await reachability.mark_unreachable("u1", "telegram", "blocked")
    assert not await reachability.is_reachable("u1", "telegram")
    assert await reachability.reason("u1", "telegram") == "blocked"
    assert await reachability.is_reachable("u1", "rest")
    assert await reachability.is_reachable("u2", "telegram")
    await reachability.mark_reachable("u1", "telegram")
    assert await reachability.is_reachable("u1", "telegram")
    assert await reachability.reason("u1", "telegram") is None
