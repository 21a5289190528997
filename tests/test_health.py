"""`/healthz` reports Redis and NLU state without auth; `/metrics` in Prometheus format."""

from __future__ import annotations

from typing import Any

from aiohttp.test_utils import TestClient, TestServer
from redis.asyncio import Redis

from bot.config import Settings
from bot.web.app import build_app
from bot.wiring import build_components
from tests.conftest import Chat


async def test_healthy_with_redis_up(client: TestClient[Any, Any]) -> None:
    response = await client.get("/healthz")
    assert response.status == 200
    body = await response.json()
    assert body["redis"] == "up" and body["nlu"] == {"state": "disabled"}


async def test_503_when_redis_is_down(settings: Settings) -> None:
    dead = Redis.from_url("redis://127.0.0.1:1/0", decode_responses=True)
    async with TestClient(TestServer(build_app(build_components(settings, dead, None)))) as client:
        response = await client.get("/healthz")
        assert response.status == 503
        assert (await response.json())["redis"].startswith("down")
    await dead.aclose()


async def test_metrics_in_prometheus_format(chat: Chat, client: TestClient[Any, Any]) -> None:
    await chat.send("/greet", metadata={"locale": "en"})
    await chat.send("/request_human")
    body = await (await client.get("/metrics")).text()
    lines = body.splitlines()
    assert 'engagebot_turns_total{channel="rest"} 2' in lines
    assert 'engagebot_intents_total{intent="greet"} 1' in lines
    assert "engagebot_customers 1" in lines
    assert "engagebot_handoffs_open 1" in lines
    # The come-back follow-up and the handoff's response-time check.
    assert "engagebot_jobs_pending 2" in lines
    assert "# TYPE engagebot_turns_total counter" in lines
