"""`/healthz` reports Redis and NLU state without auth."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.app import build_app, build_services
from bot.config import Settings


async def test_healthy_with_redis_up(client: TestClient[Any, Any]) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["redis"] == "up" and body["nlu"] == {"state": "disabled"}


async def test_503_when_redis_is_down(settings: Settings) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", decode_responses=True)
    async with TestClient(TestServer(build_app(build_services(settings, dead, None)))) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["redis"].startswith("down")
    await dead.aclose()
