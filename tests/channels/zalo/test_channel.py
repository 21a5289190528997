"""The Zalo OA channel end to end: signed webhooks to the bot's own route, the fake OA API."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from bot.config import Settings
from bot.effects import Reply
from bot.wiring import Components, build_components
from tests.channels.platforms import customer, ms, serving, until, with_platforms
from tests.fakes import zalo_events as events
from tests.fakes.clock import Clock
from tests.fakes.zalo_server import FakeZalo

USER = "2468458835296117922"  # past 2**53: kept exact


@pytest.fixture
def zalo_settings(settings: Settings, zalo: FakeZalo) -> Settings:
    return with_platforms(settings, zalo=zalo)


@pytest.fixture
def zalo_services(zalo_settings: Settings, redis: Redis, clock: Clock) -> Components:
    return build_components(zalo_settings, redis, nlu=None, clock=clock)


class Follower:
    """A Zalo user writing to the OA: signed requests to the bot's webhook."""

    def __init__(self, client: TestClient[Any, Any], zalo: FakeZalo, clock: Clock) -> None:
        self.client, self.zalo, self.clock = client, zalo, clock

    async def post(self, event: dict[str, Any]) -> int:
        raw, headers = events.signed(event)
        response = await self.client.post("/webhooks/zalo", data=raw, headers=headers)
        return response.status

    async def says(self, text: str, **options: Any) -> int:
        self.zalo.follow(USER, at=self.clock())  # the OA API sees the interaction too
        return await self.post(events.text(USER, text, timestamp=str(ms(self.clock)), **options))

    async def replies(self, count: int) -> list[str]:
        await until(lambda: len(self.zalo.texts(USER)) >= count, what=f"{count} Zalo messages")
        return self.zalo.texts(USER)


async def test_a_whole_journey_on_zalo(
    zalo_services: Components, zalo: FakeZalo, clock: Clock
) -> None:
    async with serving(zalo_services) as client:
        follower = Follower(client, zalo, clock)
        zalo.follow(USER, at=clock())
        assert await follower.post(events.follow(USER, timestamp=str(ms(clock)))) == 200
        [welcome] = await follower.replies(1)
        payloads = [b["payload"] for b in zalo.buttons(USER)[0]]
        assert payloads == ["/ask_product_info", "/ask_price", "/request_trial"], welcome
        assert await follower.says("/ask_price") == 200  # a tapped button brings its payload
        texts = await follower.replies(2)
        assert texts[1].startswith("Bảng giá SaleMate:")
        assert await follower.says("/request_trial") == 200
        await follower.replies(3)
        user = await customer(zalo_services, "zalo", USER)
        assert user.stage.value == "decision" and user.state["trial"]["code"] in zalo.texts(USER)[2]
        image = events.attachment(
            "image", USER, {"url": "https://z/p.jpg"}, timestamp=str(ms(clock))
        )
        assert await follower.post(image) == 200
        texts = await follower.replies(4)
        assert texts[3].startswith("Cảm ơn bạn! Hiện mình chỉ đọc được tin nhắn chữ")
    entries = await zalo_services.transcript.read(user.id)
    inbound = [e["text"] for e in entries if e["dir"] == "in"]
    assert inbound == ["/greet", "/ask_price", "/request_trial", "[image]"]


async def test_refusals_replays_and_unfollow(
    zalo_services: Components, zalo: FakeZalo, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    async with serving(zalo_services) as client:
        follower = Follower(client, zalo, clock)
        hello = events.text(USER, "/greet", timestamp=str(ms(clock)), msg_id="m-hello")
        zalo.follow(USER, at=clock())
        raw, headers = events.signed(hello)
        forged = {**headers, "X-ZEvent-Signature": "mac=" + "0" * 64}
        assert (await client.post("/webhooks/zalo", data=raw, headers=forged)).status == 401
        assert (await client.post("/webhooks/zalo", data=raw)).status == 401  # no signature
        other_key = events.signed(hello, oa_secret_key="the-app-secret")
        assert (
            await client.post("/webhooks/zalo", data=other_key[0], headers=other_key[1])
        ).status == 401
        assert (await client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
        await follower.replies(1)
        with caplog.at_level(logging.INFO, logger="bot.channels.zalo.channel"):
            replay = await client.post("/webhooks/zalo", data=raw, headers=headers)
        assert replay.status == 200 and (await replay.json())["status"] == "replayed"
        await asyncio.sleep(0.3)
        assert len(zalo.texts(USER)) == 1  # nothing ran twice
        unfollow = events.follow(USER, unfollow=True, timestamp=str(ms(clock, 1)))
        assert await follower.post(unfollow) == 200
        user = await customer(zalo_services, "zalo", USER)
        channel = zalo_services.channels.get("zalo")
        assert channel is not None
        for _ in range(100):
            if await channel.unreachable(user, USER, clock()) is not None:
                break
            await asyncio.sleep(0.02)
        assert await channel.unreachable(user, USER, clock()) == "unreachable on zalo: unfollowed"


async def test_the_token_is_renewed_once_for_two_replicas(
    zalo_settings: Settings, redis: Redis, zalo: FakeZalo, clock: Clock
) -> None:
    one, two = (build_components(zalo_settings, redis, nlu=None, clock=clock) for _ in range(2))
    others = ["1111111111111111111", "2222222222222222222"]
    for user in others:
        zalo.follow(user, at=clock())
    async with serving(one) as client, serving(two):
        for user in others:
            raw, headers = events.signed(events.text(user, "/greet", timestamp=str(ms(clock))))
            assert (await client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
        await until(lambda: all(zalo.texts(u) for u in others), what="two greetings")
        seeded = zalo.sent[0].token
        zalo.expire(seeded)
        zalo.refresh_delay = 0.2  # both replicas find the token rejected meanwhile
        ids = [(await customer(one, "zalo", u)).id for u in others]
        channels = [services.channels.get("zalo") for services in (one, two)]
        await asyncio.gather(
            *(
                channel.deliver(user_id, user, [Reply("Tin mới")])
                for channel, user_id, user in zip(channels, ids, others, strict=True)
                if channel is not None
            )
        )
    assert zalo.refreshes == 1
    assert [zalo.texts(u)[-1] for u in others] == ["Tin mới", "Tin mới"]
    assert seeded not in {s.token for s in zalo.sent[-2:]}


async def test_follow_ups_go_inside_the_7_days_and_are_dropped_after(
    zalo_services: Components, zalo: FakeZalo, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    clock.now = 1_795_400_000.0  # 10:13 in Ho Chi Minh City: outside the quiet hours
    day = 86400.0
    async with serving(zalo_services) as client:
        follower = Follower(client, zalo, clock)
        assert await follower.says("/request_trial") == 200  # a 14-day trial
        await follower.replies(1)
        clock.advance(6 * day)  # a photo on day 6 keeps the window open until day 13
        photo = events.attachment(
            "image", USER, {"url": "https://z/p.jpg"}, timestamp=str(ms(clock))
        )
        zalo.follow(USER, at=clock())
        assert await follower.post(photo) == 200
        await follower.replies(2)
        clock.advance(6 * day)  # day 12: "trial ends soon" is due, inside the window
        await zalo_services.scheduler.run_once()
        texts = await follower.replies(3)
        assert "còn 2 ngày" in texts[2], texts[2]
        calls = zalo.calls
        clock.advance(day + 14 * 3600)  # "trial ends today" is due, 14 h after the window
        with caplog.at_level(logging.INFO, logger="bot.scheduler.loop"):
            await zalo_services.scheduler.run_once()
        assert zalo.calls == calls  # not sent, so never refused with -230 either
        assert "outside the zalo 7-day window (last message 7.6 days ago)" in caplog.text
