"""Everything that is not text: a polite reply where it makes sense, a transcript entry."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from bot.channels.telegram.channel import TelegramChannel
from bot.store.keys import Keys
from bot.store.reachability import Reachability
from bot.wiring import Components
from tests.channels.telegram.conftest import Customer, stored_user
from tests.fakes import telegram_updates as updates
from tests.fakes.telegram_server import FakeTelegram

NOT_TEXT_VI = "Cảm ơn bạn! Hiện mình chỉ đọc được tin nhắn chữ, bạn nhắn giúp mình nội dung nhé."


@pytest.mark.parametrize(
    ("content", "transcribed"),
    [
        (updates.STICKER, "[sticker 👍]"),
        (updates.PHOTO, "[photo] ảnh màn hình lỗi"),
        (updates.VOICE, "[voice]"),
        (updates.DOCUMENT, "[document hoadon.pdf]"),
        (updates.LOCATION, "[location 10.7769,106.7009]"),
        (updates.CONTACT, "[contact An +84901234567]"),
        ({"dice": {"emoji": "🎲", "value": 4}}, "[dice]"),
    ],
)
async def test_non_text_gets_a_polite_reply_and_is_transcribed(
    polling: TelegramChannel,
    tg_services: Components,
    customer: Customer,
    content: dict[str, Any],
    transcribed: str,
) -> None:
    customer.sends(**content)
    assert await customer.replies(1) == [NOT_TEXT_VI]
    user = await stored_user(tg_services, customer)
    entries = await tg_services.transcript.read(user.id)
    assert [(e["dir"], e["text"]) for e in entries] == [("in", transcribed), ("out", NOT_TEXT_VI)]
    assert user.stage.value == "awareness"


async def test_an_edit_is_answered_and_transcribed_but_runs_no_turn(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    update = customer.says("/ask_price")
    await customer.replies(1)
    edited = {**update["message"], "text": "/greet", "edit_date": 1_700_000_000}
    telegram.enqueue({"edited_message": edited})
    texts = await customer.replies(2)
    assert (
        texts[1]
        == "Mình chỉ đọc tin nhắn mới, chưa đọc được tin đã sửa. Bạn gửi lại giúp mình nhé."
    )
    user = await stored_user(tg_services, customer)
    assert user.stage.value == "consideration"
    entries = await tg_services.transcript.read(user.id)
    assert [e["text"] for e in entries if e["dir"] == "in"] == ["/ask_price", "[edited] /greet"]


async def test_blocking_marks_unreachable_and_restarting_clears_it(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    reachability = Reachability(tg_services.redis, Keys(tg_services.settings.redis_prefix))
    customer.says("/greet")
    await customer.replies(1)
    user = await stored_user(tg_services, customer)
    telegram.enqueue(
        {"my_chat_member": updates.chat_member_update(customer.user, "member", "kicked")}
    )
    await wait_until(lambda: reachability.reason(user.id, "telegram"), "blocked")
    telegram.enqueue(
        {"my_chat_member": updates.chat_member_update(customer.user, "kicked", "member")}
    )
    await wait_until(lambda: reachability.reason(user.id, "telegram"), None)
    entries = await tg_services.transcript.read(user.id)
    assert [e["text"] for e in entries if e["dir"] == "in"][-2:] == [
        "[blocked the bot]",
        "[restarted the bot]",
    ]
    assert len(customer.texts()) == 1  # nothing is sent to someone who blocked the bot


async def test_a_reply_refused_with_403_marks_the_customer(
    polling: TelegramChannel, telegram: FakeTelegram, tg_services: Components, customer: Customer
) -> None:
    reachability = Reachability(tg_services.redis, Keys(tg_services.settings.redis_prefix))
    telegram.block(customer.id)
    customer.says("/greet")
    user_id = await wait_for_user(tg_services, customer)
    await wait_until(lambda: reachability.reason(user_id, "telegram"), "blocked")


async def test_channel_posts_and_odd_updates_never_crash_the_bot(
    polling: TelegramChannel, telegram: FakeTelegram, customer: Customer
) -> None:
    channel = {"id": -1001, "type": "channel", "title": "News"}
    post = {"message_id": 1, "date": 1_700_000_000, "chat": channel, "text": "sale!"}
    odd: list[dict[str, Any]] = [
        {"channel_post": post},
        {"edited_channel_post": {**post, "edit_date": 1_700_000_001}},
        {"message": {"message_id": 5, "date": 1_700_000_000, "chat": channel}},
        {"my_chat_member": updates.chat_member_update(customer.user, "member", "left")},
        {
            "callback_query": {
                "id": "q-old",
                "from": customer.user,
                "chat_instance": "1",
                "data": "/greet",
            }
        },
        {"some_future_update_type": {"x": 1}},
        {"message": updates.message(customer.user, 77, **updates.STICKER), "edited_message": None},
    ]
    for update in odd:
        telegram.enqueue(update)
    customer.says("/greet")
    texts = await customer.replies(2)
    assert sorted(t[:4] for t in texts) == ["Chào", "Cảm "]  # the greeting; the sticker's reply
    await asyncio.sleep(0.2)
    assert [c.params["chat_id"] for c in telegram.sent()] == [customer.id] * 2


async def wait_for_user(services: Components, customer: Customer) -> str:
    for _ in range(500):
        user_id = await services.users.find_id("telegram", str(customer.id))
        if user_id is not None:
            return user_id
        await asyncio.sleep(0.01)
    raise AssertionError("customer never stored")


async def wait_until(read: Any, expected: object) -> None:
    for _ in range(500):
        if await read() == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"never became {expected!r}: {await read()!r}")
