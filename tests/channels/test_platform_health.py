"""`/healthz` reports each enabled channel: token, webhook verified, last error."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from bot.config import Settings
from bot.effects import Reply
from bot.wiring import build_components
from tests.channels.platforms import customer, ms, serving, until, with_platforms
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


async def test_healthz_shows_a_renewed_token_and_verified_requests(
    settings: Settings, redis: Redis, clock: Clock, fakes: tuple[FakeZalo, FakeGraph]
) -> None:
    zalo, graph = fakes
    services = build_components(
        with_platforms(settings, zalo=zalo, graph=graph), redis, None, clock=clock
    )
    follower, psid = "6666666666666666666", "7777777777777777"
    async with serving(services) as client:
        zalo.follow(follower, at=clock())
        signed = zalo_events.signed(zalo_events.text(follower, "/greet", timestamp=str(ms(clock))))
        assert (
            await client.post("/webhooks/zalo", data=signed[0], headers=signed[1])
        ).status == 200
        graph.wrote(psid, at=clock())
        page = messenger_events.page(messenger_events.text(psid, "/greet", timestamp=ms(clock)))
        raw, headers = messenger_events.signed(page)
        assert (await client.post("/webhooks/messenger", data=raw, headers=headers)).status == 200
        await until(lambda: bool(zalo.texts(follower) and graph.texts(psid)), what="greetings")
        zalo.expire(zalo.sent[0].token)  # the seeded token: the next send renews it
        channel = services.channels.get("zalo")
        assert channel is not None
        user = await customer(services, "zalo", follower)
        await channel.deliver(user.id, follower, [Reply("hello")])
        health = (await (await client.get("/healthz")).json())["channels"]
    assert zalo.refreshes == 1 and zalo.texts(follower)[-1] == "hello"
    assert health["zalo"]["token"] == "valid"
    assert 89_000 < health["zalo"]["token_expires_in_seconds"] <= 90_000  # 25 h, renewed now
    assert health["zalo"]["webhook_verified"] != "no signed request received yet"
    assert health["messenger"]["token"].endswith("accepted by the platform")
    assert health["messenger"]["webhook_verified"].endswith("signed notification")
