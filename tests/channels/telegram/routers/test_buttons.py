"""Inline keyboards: every press answered, the keyboard marked, each keyboard used once."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.channel import TelegramChannel
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.fakes.telegram_server import FakeTelegram


async def settle() -> None:
    """Give a press that should do nothing the time to do something wrong."""
    await asyncio.sleep(0.2)


async def test_press_is_answered_and_the_keyboard_marked(
    polling: TelegramChannel, telegram: FakeTelegram, customer: Customer
) -> None:
    customer.says("/greet")
    await customer.replies(1)
    keyboard = customer.last_call()
    customer.presses("Dùng thử miễn phí", on=keyboard)
    await customer.replies(2)
    await telegram.wait_for(lambda: bool(telegram.calls_to("editMessageReplyMarkup", ok=True)))
    [answer] = telegram.calls_to("answerCallbackQuery")
    assert "text" not in answer.params
    edited = telegram.message(customer.id, keyboard.result["message_id"])
    assert edited["reply_markup"]["inline_keyboard"] == [
        [{"text": "✓ Dùng thử miễn phí", "callback_data": "chosen"}]
    ]


async def test_second_press_on_a_used_keyboard_runs_no_turn(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    customer.says("/greet")
    await customer.replies(1)
    keyboard = customer.last_call()
    # A double tap: both presses carry the keyboard as it was before the bot marked it.
    before = telegram.message(customer.id, keyboard.result["message_id"])
    customer.presses("Bảng giá", on=keyboard, as_it_was=before)
    customer.presses("Xem sản phẩm", on=keyboard, as_it_was=before)
    await telegram.wait_for(lambda: len(telegram.calls_to("answerCallbackQuery")) == 2)
    await settle()
    texts = customer.texts()
    assert len(texts) == 2 and texts[1].startswith("Bảng giá SaleMate:")
    answers = [c.params.get("text") for c in telegram.calls_to("answerCallbackQuery")]
    assert answers == [None, "Bạn đã chọn rồi ạ."]
    assert len(telegram.calls_to("editMessageReplyMarkup")) == 1  # marked once, by the first
    # Later, the marker itself is pressed.
    customer.presses("✓ Bảng giá", on=keyboard)
    await telegram.wait_for(lambda: len(telegram.calls_to("answerCallbackQuery")) == 3)
    await settle()
    assert len(customer.texts()) == 2
    user = await stored_user(tg_services, customer)
    entries = await tg_services.transcript.read(user.id)
    assert [e["text"] for e in entries if e["dir"] == "in"] == ["/greet", "/ask_price"]


async def test_nps_style_payload_with_entities_goes_through(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    # The callback data is the payload verbatim, JSON part included.
    customer.says('/request_trial{"plan": "pro"}')
    texts = await customer.replies(1)
    user = await stored_user(tg_services, customer)
    assert user.stage.value == "decision"
    assert texts[0]
