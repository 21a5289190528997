"""`/claim` in a customer's topic: the staff member owns the conversation, in the console too."""

from __future__ import annotations

from bot.channels.telegram.channel import TelegramChannel
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.channels.telegram.test_support import (  # the support group's fixtures
    SUPPORT,
    Staff,
    asks_for_a_person,
    bot,
    lan,
    settings,
    topic_of,
)
from tests.fakes.telegram_server import FakeTelegram

__all__ = ["bot", "lan", "settings"]


async def test_claim_in_the_topic_makes_the_staff_member_the_owner(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    await asks_for_a_person(customer, telegram)
    user = await stored_user(services, customer)
    topic = await topic_of(services, telegram, user.id)
    rows = await services.inbox.rows("unassigned", "lan")
    assert [r["user_id"] for r in rows] == [user.id]

    lan.says("/claim", topic=topic)
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith("Claimed by lan"),
        what="the claim confirmed",
    )
    assert await services.inbox.assignments.owner(user.id) == "lan"
    assert [r["owner"] for r in await services.inbox.rows("mine", "lan")] == ["lan"]
    assert await services.inbox.rows("unassigned", "lan") == []
    assert len(customer.texts()) == 1  # the customer is told nothing about who owns it
