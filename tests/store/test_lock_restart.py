"""No customer is stranded by a Redis restart: turn locks left in the append-only file end soon.

A replica holds the turn locks of 15 customers (their turns are running) when Redis is
killed (-9, AOF on): the releases fail, and the locks come back with the restart. Each
customer's next message must be answered within about one lease of Redis returning.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.config import Settings
from bot.store.keys import Keys
from bot.store.ordering import LEASE_SECONDS, TurnLocks
from bot.web.app import build_app
from bot.wiring import build_components
from tests.fakes.redis_process import RedisProcess

CUSTOMERS = 15
OUTAGE = 1.0  # seconds Redis is away
AOF_SYNC = 1.2  # appendfsync everysec: the locks are in the file after this


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.stop()


async def strand(locks: TurnLocks, user_ids: list[str], redis_process: RedisProcess) -> None:
    """Hold every customer's lock, kill Redis mid-turn; the turns end without releasing."""
    async with contextlib.AsyncExitStack() as held:
        for user_id in user_ids:
            await held.enter_async_context(locks.hold(user_id))
        await asyncio.sleep(AOF_SYNC)
        redis_process.kill()


async def test_customers_wait_at_most_a_lease_after_redis_returns(
    settings: Settings, redis_process: RedisProcess
) -> None:
    redis = Redis.from_url(redis_process.url, decode_responses=True)
    services = build_components(settings, redis, nlu=None)
    other_replica = TurnLocks(redis, Keys(settings.redis_prefix))
    try:
        async with TestClient(TestServer(build_app(services))) as client:

            async def say(n: int, text: str) -> float:
                body = {"sender": f"c{n}", "message": text}
                started = time.monotonic()
                response = await client.post("/webhooks/rest/webhook", json=body)
                assert response.status == 200, await response.text()
                return time.monotonic() - started

            await asyncio.gather(*(say(n, "hi") for n in range(CUSTOMERS)))
            user_ids = [await services.users.find_id("rest", f"c{n}") for n in range(CUSTOMERS)]
            assert all(user_ids)
            await strand(other_replica, [u for u in user_ids if u], redis_process)
            await asyncio.sleep(OUTAGE)
            redis_process.start()
            stranded = sum([await redis.exists(services.keys.turn_lock(u)) for u in user_ids if u])
            waits = await asyncio.gather(*(say(n, "hello again") for n in range(CUSTOMERS)))
    finally:
        await redis.aclose()
    print(
        f"\n{stranded} of {CUSTOMERS} locks survived the restart; longest wait after Redis "
        f"returned {max(waits):.2f} s (lease {LEASE_SECONDS} s)"
    )
    assert stranded == CUSTOMERS, "the locks did not survive the restart: nothing was tested"
    assert max(waits) < LEASE_SECONDS + 1.0
