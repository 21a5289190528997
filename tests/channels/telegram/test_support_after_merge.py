"""The support group after a merge: the absorbed Telegram customer's topic goes on."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from pydantic import SecretStr

from bot.channels.telegram.channel import TelegramChannel
from bot.config import Settings
from bot.inbound import Inbound
from bot.linking.unmerge import unmerge
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, running
from tests.channels.telegram.test_support import SUPPORT, Staff, handed_to_support, relay
from tests.fakes.telegram_server import TOKEN, FakeTelegram


@pytest.fixture
def settings(settings: Settings, telegram: FakeTelegram) -> Settings:
    """Telegram with a support group."""
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": telegram.base,
            "telegram_chat_interval_seconds": 0.001,
            "support_chat_id": SUPPORT,
        }
    )


@pytest.fixture
async def bot(services: Components) -> AsyncIterator[TelegramChannel]:
    async with running(services) as channel:
        yield channel


@pytest.fixture
def lan(telegram: FakeTelegram) -> Staff:
    telegram.add_member(SUPPORT, 7001)
    return Staff(telegram, 7001, "lan")


async def test_staff_in_the_absorbed_customers_topic_reach_the_merged_customer(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    await services.engine.handle(Inbound("rest", "web-7", "/greet", locale="vi"))
    web = await services.users.find("rest", "web-7")
    assert web is not None
    absorbed, topic = await handed_to_support(services, telegram, customer)
    merged = await services.customer_data.linking.merger.merge(web.id, absorbed.id, by="lan")
    assert merged.id == web.id and merged.state.get("handoff")

    before = len(customer.texts())
    lan.says("Chào An, mình là Lan, mình đã thấy cả hai cuộc trò chuyện.", topic=topic)
    texts = await customer.replies(before + 1)
    assert texts[before:] == ["Chào An, mình là Lan, mình đã thấy cả hai cuộc trò chuyện."]
    [staff_entry] = await services.transcript.read(web.id, count=1)
    assert staff_entry["author"] == "staff:lan"

    # The merged customer's messages go on in the same topic, not a new one.
    customer.says("Máy in vẫn chưa chạy")
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "An: Máy in vẫn chưa chạy",
        what="the customer's message in the old topic",
    )
    assert list(telegram.topics[SUPPORT]) == [topic]

    lan.says("/close", topic=topic)
    await telegram.wait_for(lambda: telegram.topics[SUPPORT][topic]["closed"], what="closed")
    stored = await services.users.load(web.id)
    assert stored is not None and not stored.state.get("handoff")

    # Undone: the topic is the Telegram customer's again, and only theirs.
    merger = services.customer_data.linking.merger
    await unmerge(merger, web.id, f"telegram:{customer.id}", by="lan")
    topics = relay(services).topics
    assert await topics.customer_of(topic) == absorbed.id
    assert await topics.topic_of(absorbed.id) == topic and await topics.topic_of(web.id) is None
