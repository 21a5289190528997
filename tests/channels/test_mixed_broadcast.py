"""One broadcast to customers on Telegram, Zalo and Messenger: exactly one copy each."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import pytest
from aiohttp.test_utils import TestClient
from redis.asyncio import Redis

from actions.messaging import ReplyArgs
from bot.config import Settings
from bot.scheduler.segment import Segment
from bot.wiring import build_components
from tests.channels.platforms import ms, serving, until, with_platforms
from tests.channels.telegram.conftest import Customer
from tests.conftest import admin_headers
from tests.fakes import messenger_events, zalo_events
from tests.fakes.clock import Clock
from tests.fakes.graph_server import FakeGraph
from tests.fakes.telegram_server import FakeTelegram
from tests.fakes.zalo_server import FakeZalo

pytestmark = pytest.mark.usefixtures("morning")

ZALO_USER, PSID = "3333333333333333333", "4444444444444444"
NEWS = ReplyArgs.model_validate(
    {"text": {"vi": "Tin vui: gói Pro giảm 20%!", "en": "Pro is 20% off!"}}
)


@pytest.fixture
async def fakes(clock: Clock) -> AsyncIterator[tuple[FakeTelegram, FakeZalo, FakeGraph]]:
    async with (
        FakeTelegram() as telegram,
        FakeZalo(clock=clock) as zalo,
        FakeGraph(clock=clock) as graph,
    ):
        yield telegram, zalo, graph


def everywhere(settings: Settings, fakes: tuple[FakeTelegram, FakeZalo, FakeGraph]) -> Settings:
    telegram, zalo, graph = fakes
    return with_platforms(settings, zalo=zalo, graph=graph, telegram=telegram)


async def one_customer_each(
    client: TestClient[Any, Any], fakes: tuple[FakeTelegram, FakeZalo, FakeGraph], clock: Clock
) -> Customer:
    """A customer greets the bot on Telegram, one on Zalo, one on Messenger; the first."""
    telegram, zalo, graph = fakes
    tg_customer = Customer(telegram, 8001)
    tg_customer.says("/greet")
    zalo.follow(ZALO_USER, at=clock())
    raw, headers = zalo_events.signed(
        zalo_events.text(ZALO_USER, "/greet", timestamp=str(ms(clock)))
    )
    assert (await client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
    graph.wrote(PSID, at=clock())
    notification = messenger_events.page(messenger_events.text(PSID, "/greet", timestamp=ms(clock)))
    raw, headers = messenger_events.signed(notification)
    assert (await client.post("/webhooks/messenger", data=raw, headers=headers)).status == 200
    await tg_customer.replies(1)
    await until(lambda: bool(zalo.texts(ZALO_USER) and graph.texts(PSID)), what="greetings")
    return tg_customer


async def test_a_broadcast_reaches_each_channel_once_and_segments_by_channel(
    settings: Settings, redis: Redis, clock: Clock, fakes: tuple[FakeTelegram, FakeZalo, FakeGraph]
) -> None:
    _, zalo, graph = fakes
    services = build_components(everywhere(settings, fakes), redis, nlu=None, clock=clock)
    async with serving(services) as client:
        tg_customer = await one_customer_each(client, fakes, clock)
        everyone = await services.broadcasts.create(Segment(), NEWS, author="mai")
        assert everyone.audience == 3
        await services.scheduler.run_once()
        await services.scheduler.run_once()  # nothing is due twice
        news = "Tin vui: gói Pro giảm 20%!"
        await until(lambda: news in tg_customer.texts(), what="the Telegram copy")
        copies = [
            tg_customer.texts().count(news),
            zalo.texts(ZALO_USER).count(news),
            graph.texts(PSID).count(news),
        ]
        assert copies == [1, 1, 1]
        assert graph.sent[-1].messaging_type == "UPDATE"
        progress = await services.broadcasts.progress(everyone.id)
        assert progress is not None and (progress.sent, progress.dropped) == (3, 0)

        platforms = Segment(channel=["zalo", "messenger"])
        again = await services.broadcasts.create(platforms, NEWS, author="mai")
        assert again.audience == 2
        await services.scheduler.run_once()
        await until(lambda: zalo.texts(ZALO_USER).count(news) == 2, what="a second Zalo copy")
        assert graph.texts(PSID).count(news) == 2
        assert tg_customer.texts().count(news) == 1


async def test_analytics_count_and_narrow_by_channel(
    settings: Settings, redis: Redis, clock: Clock, fakes: tuple[FakeTelegram, FakeZalo, FakeGraph]
) -> None:
    services = build_components(everywhere(settings, fakes), redis, nlu=None, clock=clock)
    async with serving(services) as client:
        await one_customer_each(client, fakes, clock)
        day = datetime.fromtimestamp(clock(), UTC).date().isoformat()
        url = f"/api/analytics?from={day}&to={day}"
        every = await (await client.get(url, headers=admin_headers())).json()
        zalo = await (await client.get(url + "&channel=zalo", headers=admin_headers())).json()
        none = await (await client.get(url + "&channel=whatsapp", headers=admin_headers())).json()
        bad = await client.get(url + "&channel=../x", headers=admin_headers())
    assert every["customers_per_channel"] == {"messenger": 1, "telegram": 1, "zalo": 1}
    assert every["customers"] == 3 and every["funnel"][0]["entered"] == 3
    assert zalo["channel"] == "zalo" and zalo["customers"] == 1
    assert zalo["funnel"][0]["entered"] == 1
    assert zalo["customers_per_channel"] == every["customers_per_channel"]
    assert none["customers"] == 0
    assert bad.status == 422
