"""Customers' support topics: created once, forgotten only when still the same topic."""

from __future__ import annotations

import asyncio
import itertools

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.support_topics import SupportTopics

CHAT = -1009001


async def test_concurrent_callers_create_one_topic_and_a_stale_forget_keeps_the_new_one(
    redis: Redis, prefix: str
) -> None:
    topics = [SupportTopics(redis, Keys(prefix), CHAT) for _ in range(3)]  # three replicas
    ids = itertools.count(10)
    created: list[int] = []

    async def create() -> int:
        await asyncio.sleep(0.05)  # Telegram takes a while: the others must wait, not create
        created.append(next(ids))
        return created[-1]

    results = await asyncio.gather(*(t.ensure("u1", create) for t in topics))
    assert created == [10]
    assert sorted(results) == [(10, False), (10, False), (10, True)]
    assert await topics[1].customer_of(10) == "u1"

    # Topic 10 was deleted; one replica notices and makes topic 11, then another (late)
    # forgets 10 as well: 11 stays.
    await topics[0].forget("u1", 10)
    assert await topics[0].ensure("u1", create) == (11, True)
    await topics[2].forget("u1", 10)
    assert await topics[2].topic_of("u1") == 11
    assert await topics[2].customer_of(10) is None


async def test_another_support_chat_starts_afresh(redis: Redis, prefix: str) -> None:
    async def create() -> int:
        return 42

    await SupportTopics(redis, Keys(prefix), CHAT).ensure("u1", create)
    assert await SupportTopics(redis, Keys(prefix), -1000777).topic_of("u1") is None
