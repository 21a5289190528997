"""`/healthz` reports each enabled channel: token, webhook verified, last error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.effects import Reply
from bot.wiring import build_components
from tests.channels.platforms import ms, serving, with_platforms
from tests.fakes import messenger_events, zalo_events
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph
from tests.fakes.zalo_server import FakeZalo


@pytest.fixture
async def fakes(clock: Clock) -> AsyncIterator[tuple[FakeZalo, FakeGraph]]:
    async with FakeZalo(clock=clock) as zalo, FakeGraph(clock=clock) as graph:
        yield zalo, graph


async def test_healthz_reports_each_enabled_channel(
    settings: Settings, redis: Redis, clock: Clock, fakes: tuple[FakeZalo, FakeGraph]
) -> None:
    zalo, graph = fakes
    services = build_components(
        with_platforms(settings, zalo=zalo, graph=graph), redis, None, clock=clock
    )
    async with serving(services) as client:
        before = (await (await client.get("/healthz")).json())["channels"]
        assert set(before) == {"rest", "zalo", "messenger"}
        assert before["zalo"]["token"].startswith("seeded")
        assert before["messenger"]["webhook_verified"] == "no verified request received yet"
        await client.get("/webhooks/messenger", params=messenger_events.verification())
        user = "5555555555555555555"
        zalo.follow(user, at=clock())
        raw, headers = zalo_events.signed(
            zalo_events.text(user, "/greet", timestamp=str(ms(clock)))
        )
        assert (await client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
        zalo.unfollow(user)  # the greeting is refused: the follower left
        channel = services.channels.get("zalo")
        assert channel is not None
        found = None
        for _ in range(250):  # the greeting's turn runs after the 200
            found = await services.users.find("zalo", user)
            if found is not None:
                break
            await asyncio.sleep(0.02)
        assert found is not None
        await channel.deliver(found.id, user, [Reply("hello")])
        after = (await (await client.get("/healthz")).json())["channels"]
    assert after["messenger"]["webhook_verified"].endswith("subscription")
    assert "webhook_verified" in after["zalo"] and "last_error" in after["zalo"]
    assert "unreachable: not_following" in after["zalo"]["last_error"]
