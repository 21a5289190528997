"""Customer traffic in groups is ignored."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.channel import TelegramChannel
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer
from tests.fakes import telegram_updates as updates
from tests.fakes.telegram_server import FakeTelegram


async def test_group_messages_get_no_reply_and_no_customer(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    group = updates.group_chat(-4001)
    supergroup = {"id": -1004002, "type": "supergroup", "title": "Shop"}
    for chat in (group, supergroup):
        telegram.enqueue({"message": updates.message(customer.user, 1, chat=chat, text="/greet")})
        telegram.enqueue(
            {"message": updates.message(customer.user, 2, chat=chat, **updates.STICKER)}
        )
    press = updates.callback_query(
        customer.user, "/greet", message={"message_id": 9, "date": 0, "chat": group}, query_id="g1"
    )
    telegram.enqueue({"callback_query": press})
    member = updates.chat_member_update(customer.user, "left", "member")
    telegram.enqueue({"my_chat_member": {**member, "chat": group}})
    customer.says("/greet")  # a private message after them is answered
    await customer.replies(1)
    await asyncio.sleep(0.2)
    assert [c.params["chat_id"] for c in telegram.sent()] == [customer.id]
    assert [c.params["callback_query_id"] for c in telegram.calls_to("answerCallbackQuery")] == [
        "g1"
    ]
    keys = [
        k
        async for k in tg_services.redis.scan_iter(
            match=f"{tg_services.settings.redis_prefix}:identity:*"
        )
    ]
    assert keys == [f"{tg_services.settings.redis_prefix}:identity:telegram:{customer.id}"]
