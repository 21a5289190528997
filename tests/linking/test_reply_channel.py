"""Where messages go once a customer has two channels: replies where they wrote,
follow-ups and broadcasts to the preferred, else the latest reachable channel."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from actions.messaging import ReplyArgs
from bot.inbound import Inbound
from bot.scheduler.segment import Segment
from bot.wiring import Components
from tests.fakes.clock import Clock
from tests.fakes.telegram_server import FakeTelegram
from tests.linking.conftest import code_in, customer, say

pytestmark = pytest.mark.usefixtures("morning")
DAY = 86400.0
CHAT = 6101
FOLLOW_UP = "Shall we carry on setting up SaleMate? Only a few steps left!"


@pytest.fixture
async def services(tg_services: Components) -> AsyncIterator[Components]:
    assert tg_services.telegram is not None
    try:
        yield tg_services
    finally:
        await tg_services.telegram.sender.close()
        await tg_services.telegram.bot.session.close()


async def outbox(services: Components, sender: str) -> list[str]:
    user = await customer(services, "rest", sender)
    return [r.text for r in await services.outbox.drain(user.id)]


async def broadcast(services: Components, text: str) -> None:
    message = ReplyArgs.model_validate({"text": {"vi": text, "en": text}})
    await services.broadcasts.create(Segment(), message, author="lan")
    await services.scheduler.run_once()


async def test_replies_follow_the_customer_and_proactive_messages_their_latest_channel(
    services: Components, telegram: FakeTelegram, clock: Clock
) -> None:
    for text in ("/request_trial", "/purchase"):
        await say(services, "rest", "web1", text, locale="en")
    code = code_in(await say(services, "rest", "web1", "/link"))
    await say(services, "telegram", str(CHAT), f"/link {code}", locale="en")
    # A reply goes back where the customer wrote: the turn's replies are for that channel.
    replies = await services.engine.handle(Inbound("telegram", str(CHAT), "/greet", "tg1"))
    user = await customer(services, "rest", "web1")
    last = (await services.transcript.read(user.id))[-len(replies) :]
    assert replies and {e["channel"] for e in last} == {"telegram"}

    clock.advance(1 * DAY)
    await services.scheduler.run_once()
    assert FOLLOW_UP in telegram.texts(CHAT)  # they wrote on Telegram last
    assert await outbox(services, "web1") == []

    await say(services, "rest", "web1", "/greet")  # now the web chat is the latest
    await broadcast(services, "Sale one")
    assert await outbox(services, "web1") == ["Sale one"]
    assert "Sale one" not in telegram.texts(CHAT)


async def test_the_preferred_channel_wins_while_reachable(
    services: Components, telegram: FakeTelegram, clock: Clock
) -> None:
    await say(services, "telegram", str(CHAT), "/greet", locale="en")
    code = code_in(await say(services, "telegram", str(CHAT), "/link"))
    await say(services, "rest", "web2", code)
    preferred = {"preferred_channel": "telegram"}
    await say(services, "rest", "web2", "/greet", profile=preferred)  # the latest channel...
    await broadcast(services, "Sale two")
    assert "Sale two" in telegram.texts(CHAT)  # ...but Telegram is preferred
    assert await outbox(services, "web2") == []

    telegram.block(CHAT)
    await broadcast(services, "Sale three")  # Telegram answers 403: marked unreachable
    clock.advance(DAY)  # past the daily cap of proactive messages
    await broadcast(services, "Sale four")
    assert await outbox(services, "web2") == ["Sale four"]
