"""One broadcast to customers on Telegram, Zalo and Messenger: exactly one copy each."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from redis.asyncio import Redis

from actions.messaging import ReplyArgs
from bot.config import Settings
from bot.scheduler.segment import Segment
from bot.wiring import build_components
from tests.channels.platforms import ms, serving, until, with_platforms
from tests.channels.telegram.conftest import Customer
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


async def test_a_broadcast_reaches_each_channel_once_and_segments_by_channel(
    settings: Settings, redis: Redis, clock: Clock, fakes: tuple[FakeTelegram, FakeZalo, FakeGraph]
) -> None:
    telegram, zalo, graph = fakes
    everything = with_platforms(settings, zalo=zalo, graph=graph, telegram=telegram)
    services = build_components(everything, redis, nlu=None, clock=clock)
    tg_customer = Customer(telegram, 8001)
    async with serving(services) as client:
        tg_customer.says("/greet")
        zalo.follow(ZALO_USER, at=clock())
        raw, headers = zalo_events.signed(
            zalo_events.text(ZALO_USER, "/greet", timestamp=str(ms(clock)))
        )
        assert (await client.post("/webhooks/zalo", data=raw, headers=headers)).status == 200
        graph.wrote(PSID, at=clock())
        notification = messenger_events.page(
            messenger_events.text(PSID, "/greet", timestamp=ms(clock))
        )
        raw, headers = messenger_events.signed(notification)
        assert (await client.post("/webhooks/messenger", data=raw, headers=headers)).status == 200
        await tg_customer.replies(1)
        await until(lambda: bool(zalo.texts(ZALO_USER) and graph.texts(PSID)), what="greetings")

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
