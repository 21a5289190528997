"""Text and /start: turns of the engine, each message once, replies in order."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.channel import TelegramChannel
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.fakes.telegram_server import FakeTelegram


async def test_start_without_a_referral_and_other_payloads_are_ignored(
    polling: TelegramChannel, tg_services: Components, telegram: FakeTelegram
) -> None:
    for user_id, text in ((8001, "/start"), (8002, "/start promo_summer"), (8003, "/start ref_")):
        customer = Customer(telegram, user_id)
        customer.says(text)
        assert (await customer.replies(1))[0].startswith("Chào An!")
        assert "referred_by" not in (await stored_user(tg_services, customer)).profile


async def test_free_text_without_nlu_gets_the_degraded_reply(
    polling: TelegramChannel, customer: Customer
) -> None:
    customer.says("giá gói pro bao nhiêu vậy shop?")
    [reply] = await customer.replies(1)
    assert reply.startswith("Hiện mình tạm thời chưa đọc được tin nhắn chữ")


async def test_same_update_twice_is_processed_once(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    update = customer.update(text="/ask_price")
    update_id = telegram.enqueue(update)
    telegram.enqueue({**update, "update_id": update_id})  # in the same batch of getUpdates
    telegram.enqueue(customer.update(text="/greet"))
    await customer.replies(2)
    await asyncio.sleep(0.2)
    texts = customer.texts()
    assert len(texts) == 2
    assert texts[0].startswith("Bảng giá SaleMate:") and texts[1].startswith("Chào An!")
    user = await stored_user(tg_services, customer)
    entries = await tg_services.transcript.read(user.id)
    assert [e["text"] for e in entries if e["dir"] == "in"] == ["/ask_price", "/greet"]


async def test_many_messages_of_one_chat_are_answered_in_order(
    polling: TelegramChannel, customer: Customer
) -> None:
    for _ in range(5):
        customer.says("/thank")
        customer.says("/goodbye")
    texts = await customer.replies(10)
    assert (
        texts
        == [
            "Không có gì ạ, bạn cần thêm gì cứ nhắn mình nhé!",
            "Tạm biệt bạn, chúc bạn buôn may bán đắt!",
        ]
        * 5
    )
