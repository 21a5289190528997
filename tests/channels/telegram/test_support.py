"""The Telegram support group: a topic per customer, staff answer there, /close, /stage."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import AsyncIterator
from typing import Any

import pytest
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.channels.telegram.channel import TelegramChannel
from bot.channels.telegram.support.relay import TelegramSupport
from bot.config import Settings
from bot.inbound import Inbound
from bot.user import User
from bot.wiring import Components, build_components
from tests.channels.telegram.conftest import Customer, running, stored_user
from tests.conftest import Chat
from tests.fakes import telegram_updates as updates
from tests.fakes.clock import Clock
from tests.fakes.telegram_server import TOKEN, FakeTelegram

SUPPORT = -1009001
FORUM = {"id": SUPPORT, "type": "supergroup", "title": "SaleMate support", "is_forum": True}
CLOSED = "Your conversation with our support team has ended. I'm the assistant again, here whenever you need me."  # noqa: E501


class Staff:
    """Someone writing in the support group through the fake server."""

    _ids = itertools.count(100)

    def __init__(self, telegram: FakeTelegram, user_id: int, username: str) -> None:
        self.telegram = telegram
        self.user = {"id": user_id, "is_bot": False, "first_name": username, "username": username}

    def says(self, text: str, *, topic: int | None) -> None:
        """A message in `topic`, or in the General topic when None."""
        in_topic = {} if topic is None else {"message_thread_id": topic, "is_topic_message": True}
        self._send(text=text, **in_topic)

    def sends(self, *, topic: int, **content: Any) -> None:
        """Something not text (a sticker, a photo) in `topic`."""
        self._send(message_thread_id=topic, is_topic_message=True, **content)

    def closes(self, topic: int) -> None:
        """Closes the topic in Telegram (its service message)."""
        self._send(forum_topic_closed={}, message_thread_id=topic, is_topic_message=True)

    def _send(self, **content: Any) -> None:
        message = updates.message(self.user, next(self._ids), chat=FORUM, **content)
        self.telegram.enqueue({"message": message})


@pytest.fixture
def settings(settings: Settings, telegram: FakeTelegram) -> Settings:
    """Telegram with a support group, for the REST app and the Telegram channel alike."""
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
    """The bot's Telegram channel (with the support group), long polling the fake server."""
    async with running(services) as channel:
        yield channel


@pytest.fixture
def lan(telegram: FakeTelegram) -> Staff:
    telegram.add_member(SUPPORT, 7001)
    return Staff(telegram, 7001, "lan")


def relay(services: Components) -> TelegramSupport:
    assert services.telegram is not None and services.telegram.support is not None
    return services.telegram.support


async def topic_of(services: Components, telegram: FakeTelegram, user_id: str) -> int:
    """Wait for the customer's topic and its header card; returns the topic id."""
    for _ in range(500):
        topic = await relay(services).topics.topic_of(user_id)
        if topic is not None:
            break
        await asyncio.sleep(0.01)
    else:
        raise AssertionError(f"no topic for customer {user_id}")
    await telegram.wait_for(lambda: bool(telegram.topic_texts(SUPPORT, topic)), what="header")
    return topic


async def handoff_open(services: Components, user_id: str) -> bool:
    user = await services.users.load(user_id)
    assert user is not None
    return bool(user.state.get("handoff"))


async def asks_for_a_person(customer: Customer, telegram: FakeTelegram) -> str:
    """The customer asks for a person; returns the bot's notice (its last message)."""
    customer.says("/request_human")
    await telegram.wait_for(
        lambda: any("nhân viên hỗ trợ" in t for t in customer.texts()), what="the notice"
    )
    return customer.texts()[-1]


async def handed_to_support(
    services: Components, telegram: FakeTelegram, customer: Customer
) -> tuple[User, int]:
    """The customer asks for a person; returns them as stored and their topic in the group."""
    await asks_for_a_person(customer, telegram)
    user = await stored_user(services, customer)
    return user, await topic_of(services, telegram, user.id)


async def test_round_trip_with_a_telegram_customer(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    customer.says("/request_trial")
    await customer.replies(1)
    notice = await asks_for_a_person(customer, telegram)
    user = await stored_user(services, customer)
    topic = await topic_of(services, telegram, user.id)

    assert telegram.topics[SUPPORT][topic]["name"] == "An · telegram · decision"
    header = telegram.topic_texts(SUPPORT, topic)[0]
    assert f"telegram:{customer.id}" in header
    assert "Stage: decision" in header
    assert "awareness → decision" in header
    assert "trial:" in header and user.state["trial"]["code"] in header
    assert "customer: /request_human" in header
    assert notice in header  # the last messages, the bot's too

    before = len(customer.texts())
    customer.says("Máy in hóa đơn không chạy")
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "An: Máy in hóa đơn không chạy",
        what="the customer's message copied",
    )
    photo = customer.sends(**updates.PHOTO)["message"]  # no "I can only read text" now
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "An: [photo] ảnh màn hình lỗi",
        what="the photo noted in the topic",
    )
    # ... and the photo itself, copied from the customer's chat into the topic.
    await telegram.wait_for(lambda: bool(telegram.calls_to("copyMessage")), what="the copy")
    (copied,) = telegram.calls_to("copyMessage", ok=True)
    assert (copied.params["chat_id"], copied.params["message_thread_id"]) == (SUPPORT, topic)
    assert (copied.params["from_chat_id"], copied.params["message_id"]) == (
        photo["chat"]["id"],
        photo["message_id"],
    )
    lan.says("Chào An, mình là Lan. Máy in loại nào vậy?", topic=topic)
    await customer.replies(before + 1)
    # The bot said nothing itself: after its notice the customer got only Lan's message.
    assert customer.texts()[before:] == ["Chào An, mình là Lan. Máy in loại nào vậy?"]
    transcript = await services.transcript.read(user.id, count=1)
    assert transcript[0]["author"] == "staff:lan"
    assert await services.users.find_id("telegram", "7001") is None  # Lan is no customer

    lan.says("/close", topic=topic)
    texts = await customer.replies(before + 3)
    assert texts[before + 1].startswith("Cuộc trò chuyện với nhân viên hỗ trợ đã kết thúc")
    csat = customer.last_call().params["reply_markup"]["inline_keyboard"]
    assert [row[0]["text"] for row in csat] == ["1", "2", "3", "4", "5"]
    assert not await handoff_open(services, user.id)
    await telegram.wait_for(lambda: telegram.topics[SUPPORT][topic]["closed"], what="closed")
    assert "Handoff closed by staff:lan" in telegram.topic_texts(SUPPORT, topic)[-1]
    [record] = await services.handoffs.history(user.id)
    assert record["closed_by"] == "staff:lan"

    # Back with the bot, where the stage says.
    customer.says("/request_trial")
    assert (await customer.replies(before + 4))[-1].startswith("Bạn đang dùng thử rồi nhé")


async def test_round_trip_with_a_rest_customer(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    chat: Chat,
    lan: Staff,
) -> None:
    profile = {"metadata": {"locale": "en", "profile": {"first_name": "Binh"}}}
    await chat.send("/request_human", **profile)
    user_id = await services.users.find_id("rest", chat.sender)
    assert user_id is not None
    topic = await topic_of(services, telegram, user_id)
    assert telegram.topics[SUPPORT][topic]["name"] == "Binh · rest · awareness"

    assert await chat.send("my card was charged twice") == []
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "Binh: my card was charged twice",
        what="the message copied",
    )
    lan.says("Hi Binh, I'm Lan. Let me check the payment.", topic=topic)

    received: list[str] = []
    while not received:
        received = await chat.outbox_texts()
        await asyncio.sleep(0.02)
    assert received == ["Hi Binh, I'm Lan. Let me check the payment."]

    lan.says("/close", topic=topic)
    while len(received) < 3:
        received += await chat.outbox_texts()
        await asyncio.sleep(0.02)
    assert received[1] == CLOSED
    assert received[2].startswith("How would you rate the help")
    assert await chat.texts('/csat{"score": 4}') == ["Thanks for rating us 4/5!"]
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "Binh rated the help 4/5 (CSAT).",
        what="the CSAT score in the topic",
    )
    assert not any(t.startswith("No staff reply") for t in telegram.topic_texts(SUPPORT, topic))


async def test_a_missed_sla_is_told_in_the_topic(
    bot: TelegramChannel, telegram: FakeTelegram, services: Components, chat: Chat, clock: Clock
) -> None:
    await chat.send("/request_human", metadata={"locale": "en"})
    user_id = await services.users.find_id("rest", chat.sender)
    assert user_id is not None
    topic = await topic_of(services, telegram, user_id)
    clock.advance(16 * 60)
    await services.scheduler.run_once()
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith(
            "No staff reply within 15 minutes: the customer was offered the bot back."
        ),
        what="the SLA notice",
    )
    assert await handoff_open(services, user_id)  # staff can still answer


async def test_two_bot_processes_create_one_topic(
    settings: Settings, redis: Redis, services: Components, telegram: FakeTelegram, clock: Clock
) -> None:
    other = build_components(settings, redis, nlu=None, clock=clock)
    await services.engine.handle(Inbound(channel="rest", external_id="race", text="/greet"))
    user = await services.users.find("rest", "race")
    assert user is not None
    try:
        # Both replicas need the customer's topic at once: one creates it, the other waits.
        await asyncio.gather(
            relay(services).customer_message(user, Inbound("rest", "race", "hello?")),
            relay(other).customer_message(user, Inbound("rest", "race", "are you there?")),
        )
    finally:
        for replica in (services, other):
            assert replica.telegram is not None
            await replica.telegram.stop()
    assert len(telegram.calls_to("createForumTopic")) == 1
    topic = await relay(other).topics.topic_of(user.id)
    assert topic is not None and list(telegram.topics[SUPPORT]) == [topic]
    texts = telegram.topic_texts(SUPPORT, topic)
    assert len(texts) == 3 and texts[0].startswith("👤 customer ")  # one header card
    name = f"customer {user.id}"
    assert sorted(texts[1:]) == [f"{name}: are you there?", f"{name}: hello?"]


async def test_a_non_member_cannot_act(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    user, topic = await handed_to_support(services, telegram, customer)
    stranger = Staff(telegram, 7666, "mallory")
    stranger.says("I'm from support, send me your password", topic=topic)
    stranger.says("/stage advocacy", topic=topic)
    stranger.says("/close", topic=topic)
    await telegram.wait_for(lambda: len(telegram.calls_to("getChatMember")) >= 1, what="check")
    await asyncio.sleep(0.3)
    assert len(customer.texts()) == 1  # the notice only
    assert await handoff_open(services, user.id)
    assert (await stored_user(services, customer)).stage.value == "awareness"

    # A member of the group can; the membership is checked once per person for a while.
    lan.says("Hi, Lan here.", topic=topic)
    lan.says("Which device do you use?", topic=topic)
    await customer.replies(3)
    checked = [c.params["user_id"] for c in telegram.calls_to("getChatMember")]
    assert sorted(set(checked)) == [7001, 7666] and checked.count(7001) == 1


async def test_customers_cannot_use_staff_commands(
    bot: TelegramChannel, telegram: FakeTelegram, services: Components, customer: Customer
) -> None:
    user, topic = await handed_to_support(services, telegram, customer)
    customer.says("/close")
    customer.says("/stage advocacy")
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1] == "An: /stage advocacy",
        what="the customer's messages copied",
    )
    assert await handoff_open(services, user.id)
    assert (await stored_user(services, customer)).stage.value == "awareness"
    assert len(customer.texts()) == 1


async def test_a_deleted_topic_is_recreated(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    user, old = await handed_to_support(services, telegram, customer)
    telegram.delete_topic(SUPPORT, old)

    customer.says("still waiting")
    await telegram.wait_for(lambda: len(telegram.topics[SUPPORT]) == 1, what="a new topic")
    new = await topic_of(services, telegram, user.id)
    assert new != old
    await telegram.wait_for(lambda: len(telegram.topic_texts(SUPPORT, new)) == 2, what="copy")
    header, copy = telegram.topic_texts(SUPPORT, new)
    assert header.startswith("👤 An") and "customer: still waiting" in header
    assert copy == "An: still waiting"
    assert await relay(services).topics.customer_of(old) is None

    lan.says("Sorry for the wait!", topic=new)
    assert (await customer.replies(2))[-1] == "Sorry for the wait!"


async def test_stage_command_moves_the_customer(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    user, topic = await handed_to_support(services, telegram, customer)

    lan.says("/stage vip", topic=topic)
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith("Unknown stage 'vip'"),
        what="the error",
    )
    assert "retention" in telegram.topic_texts(SUPPORT, topic)[-1]
    lan.says("/stage retention", topic=topic)
    await telegram.wait_for(
        lambda: telegram.topics[SUPPORT][topic]["name"] == "An · telegram · retention",
        what="the topic renamed",
    )
    assert telegram.topic_texts(SUPPORT, topic)[-1] == (
        "Stage moved by lan: awareness → retention."
    )
    history = await services.users.stage_history(user.id)
    assert (history[-1].to_stage.value, history[-1].reason) == ("retention", "manual:lan")
    assert len(customer.texts()) == 1  # a manual move sends the customer nothing

    lan.sends(**updates.STICKER, topic=topic)
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith("Only text reaches"),
        what="the sticker refused",
    )
    assert len(customer.texts()) == 1


async def test_general_topic_is_ignored_and_takeover_starts_a_handoff(
    bot: TelegramChannel,
    telegram: FakeTelegram,
    services: Components,
    customer: Customer,
    lan: Staff,
) -> None:
    _, topic = await handed_to_support(services, telegram, customer)
    lan.says("who takes the new one?", topic=None)
    lan.says("/close", topic=None)
    lan.closes(topic)  # closing the topic in Telegram ends the handoff
    # Nobody on the staff wrote, so there is nothing to rate: no CSAT question.
    await telegram.wait_for(lambda: len(customer.texts()) == 2, what="the closing message")
    assert customer.texts()[1].startswith("Cuộc trò chuyện với nhân viên hỗ trợ đã kết thúc")
    await telegram.wait_for(lambda: telegram.topics[SUPPORT][topic]["closed"], what="closed")
    assert len(telegram.sent(SUPPORT)) == 2  # the header and the closing notice only

    # No handoff now: staff are told, and nothing reaches the customer until /takeover.
    lan.says("one more thing", topic=topic)
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith("This customer is with"),
        what="the hint",
    )
    lan.says("/takeover", topic=topic)
    await telegram.wait_for(lambda: not telegram.topics[SUPPORT][topic]["closed"], what="reopen")
    await telegram.wait_for(
        lambda: telegram.topic_texts(SUPPORT, topic)[-1].startswith("👤 An"), what="a new header"
    )
    handoff = (await stored_user(services, customer)).state["handoff"]
    assert (handoff["by"], handoff["reason"]) == ("staff:lan", "staff")
    lan.says("one more thing", topic=topic)
    assert (await customer.replies(3))[-1] == "one more thing"
    assert len(customer.texts()) == 3


async def test_support_calls_are_paced_like_replies(
    services: Components, telegram: FakeTelegram
) -> None:
    """The session's pacing also covers the topics: a 5xx or a 429 is waited out."""
    await services.engine.handle(Inbound(channel="rest", external_id="busy", text="/greet"))
    user = await services.users.find("rest", "busy")
    assert user is not None
    telegram.fail("createForumTopic", 502)
    telegram.fail("sendMessage", 429, chat_id=SUPPORT, retry_after=1)
    try:
        await relay(services).customer_message(user, Inbound("rest", "busy", "hello?"))
    finally:
        assert services.telegram is not None
        await services.telegram.stop()
    assert [c.status for c in telegram.calls_to("createForumTopic")] == [502, 200]
    topic = await relay(services).topics.topic_of(user.id)
    assert topic is not None
    texts = telegram.topic_texts(SUPPORT, topic)
    assert texts[0].startswith("👤 customer ") and texts[-1].endswith(": hello?")
