"""The endpoint list turns read is kept per process: fresh across replicas, no read per turn."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator
from typing import Any, ClassVar

import pytest
from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Connection, ConnectionPool, Redis

from bot.config import Settings
from bot.web.app import build_app
from bot.webhooks.endpoint_cache import MAX_AGE, EndpointCache
from bot.wiring import build_components
from tests.conftest import REDIS_URL, Chat, admin_headers
from tests.fakes.clock import Clock

pytestmark = pytest.mark.usefixtures("morning")


class Recording(Connection):
    """Remembers every request this client writes to Redis, as sent."""

    sent: ClassVar[list[bytes]] = []

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        Recording.sent.append(command if isinstance(command, bytes) else b"".join(command))
        await super().send_packed_command(command, check_health)


@pytest.fixture
async def recorded() -> AsyncIterator[Redis]:
    pool = ConnectionPool.from_url(REDIS_URL, decode_responses=True, connection_class=Recording)
    client = Redis(connection_pool=pool)
    yield client
    await client.aclose()
    await pool.disconnect()


async def deliveries(client: TestClient[Any, Any], endpoint_id: str) -> int:
    response = await client.get(f"/api/webhooks/{endpoint_id}/deliveries", headers=admin_headers())
    return len((await response.json())["deliveries"])


async def test_a_turn_with_events_does_not_read_the_endpoints_once_cached(
    settings: Settings, recorded: Redis, clock: Clock
) -> None:
    services = build_components(settings, recorded, nlu=None, clock=clock)
    async with TestClient(TestServer(build_app(services))) as client:
        response = await client.post(
            "/api/webhooks",
            json={"url": "http://localhost:9/crm", "events": ["stage.changed"]},
            headers=admin_headers(),
        )
        endpoint = (await response.json())["id"]
        first, second = (Chat(client, f"customer-{uuid.uuid4().hex[:8]}") for _ in range(2))
        await first.send("/request_trial", metadata={"locale": "en"})  # reads them: cold
        await second.send("/greet", metadata={"locale": "en"})
        Recording.sent.clear()
        await second.send("/request_trial")
        endpoints_key = settings.redis_prefix.encode() + b":{webhooks}:endpoints"
        assert not [sent for sent in Recording.sent if endpoints_key in sent]
        assert await deliveries(client, endpoint) == 2  # both stage changes queued


async def subscribed(redis: Redis, channel: str) -> None:
    """Wait until some client listens on `channel`."""
    for _ in range(200):
        if dict(await redis.pubsub_numsub(channel)).get(channel, 0) >= 1:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"nobody subscribed to {channel}")


async def test_a_replica_sees_an_endpoint_another_one_added_without_waiting_out_the_max_age(
    settings: Settings, redis: Redis
) -> None:
    replicas = [build_components(settings, redis, nlu=None) for _ in range(2)]
    cache = replicas[1].customer_data.endpoint_cache
    listening = asyncio.create_task(cache.run())
    try:
        await subscribed(redis, replicas[1].keys.webhooks_channel())
        assert await cache.all() == []  # warm, and empty
        added = await replicas[0].customer_data.endpoints.add(
            "http://localhost:9/crm", ["*"], time.time(), secret=None, description=""
        )
        started = time.monotonic()
        while [e.id for e in await cache.all()] != [added.id]:
            assert time.monotonic() - started < 1.0, "the other replica still has the old list"
            await asyncio.sleep(0.01)
        await replicas[0].customer_data.endpoints.remove(added.id)
        while await cache.all():
            assert time.monotonic() - started < 2.0, "the other replica still sends to it"
            await asyncio.sleep(0.01)
    finally:
        listening.cancel()


async def test_a_missed_announcement_delays_an_endpoint_by_at_most_the_max_age(
    settings: Settings, redis: Redis
) -> None:
    replicas = [build_components(settings, redis, nlu=None) for _ in range(2)]
    now = [100.0]
    cache = EndpointCache(redis, replicas[1].customer_data.endpoints, clock=lambda: now[0])
    assert await cache.all() == []  # warm; nobody listens, as after a lost connection
    added = await replicas[0].customer_data.endpoints.add(
        "http://localhost:9/crm", ["*"], time.time(), secret=None, description=""
    )
    now[0] += MAX_AGE - 0.5
    assert await cache.all() == []
    now[0] += 0.5
    assert [e.id for e in await cache.all()] == [added.id]
