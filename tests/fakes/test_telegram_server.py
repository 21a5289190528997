"""The fake Bot API server speaks what aiogram sends, including multipart and JSON bodies."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramConflictError,
    TelegramNotFound,
    TelegramUnauthorizedError,
)
from aiogram.types import BufferedInputFile

from tests.fakes import telegram_updates as updates
from tests.fakes.telegram_server import TOKEN, FakeTelegram


@pytest.fixture
async def server() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as fake:
        yield fake


def bot_for(server: FakeTelegram, token: str = TOKEN) -> Bot:
    return Bot(token, session=AiohttpSession(api=TelegramAPIServer.from_base(server.base)))


async def test_support_group_methods_and_multipart_files(server: FakeTelegram) -> None:
    bot = bot_for(server)
    try:
        topic = await bot.create_forum_topic(-100777, "Khách An")
        copied = await bot.copy_message(-100777, 5001, 3, message_thread_id=topic.message_thread_id)
        assert copied.message_id > topic.message_thread_id
        assert await bot.close_forum_topic(-100777, topic.message_thread_id)
        with pytest.raises(TelegramNotFound):  # a method the fake does not serve
            await bot.send_document(5001, BufferedInputFile(b"%PDF-1", filename="hoadon.pdf"))
    finally:
        await bot.session.close()
    create, copy, close, document = server.calls
    assert create.params == {"chat_id": -100777, "name": "Khách An"}
    assert copy.params["from_chat_id"] == 5001 and copy.params["message_thread_id"] == 2
    assert close.status == 200 and document.status == 404
    assert document.params["document"].startswith("attach://")
    assert b"%PDF-1" in document.params.values()


async def test_get_updates_honours_offset_and_conflicts_with_a_webhook(
    server: FakeTelegram,
) -> None:
    bot = bot_for(server)
    try:
        first = server.enqueue({"message": updates.message(updates.user(1), 1, text="a")})
        server.enqueue({"message": updates.message(updates.user(1), 2, text="b")})
        assert [u.update_id for u in await bot.get_updates()] == [first, first + 1]
        assert [u.update_id for u in await bot.get_updates(offset=first + 1)] == [first + 1]
        assert await bot.get_updates(offset=first + 2, timeout=0) == []
        await bot.set_webhook("https://bot.example.com/hook", secret_token="s")
        with pytest.raises(TelegramConflictError):
            await bot.get_updates()
    finally:
        await bot.session.close()


async def test_json_bodies_and_a_wrong_token(server: FakeTelegram) -> None:
    async with aiohttp.ClientSession() as session:
        url = f"{server.base}/bot{TOKEN}/sendMessage"
        async with session.post(url, json={"chat_id": 9, "text": "123"}) as response:
            assert (await response.json())["result"]["text"] == "123"
    assert server.texts(9) == ["123"]
    bot = bot_for(server, "999:wrong")
    try:
        with pytest.raises(TelegramUnauthorizedError):
            await bot.get_me()
    finally:
        await bot.session.close()


async def test_forum_topics_and_members(server: FakeTelegram) -> None:
    bot = bot_for(server)
    server.add_member(-100777, 7001, "administrator")
    try:
        topic = (
            await bot.create_forum_topic(-100777, "An · telegram · decision")
        ).message_thread_id
        sent = await bot.send_message(-100777, "header", message_thread_id=topic)
        assert sent.message_thread_id == topic and sent.is_topic_message
        assert await bot.edit_forum_topic(-100777, topic, name="An · telegram · retention")
        assert await bot.close_forum_topic(-100777, topic)
        with pytest.raises(TelegramBadRequest, match="TOPIC_NOT_MODIFIED"):
            await bot.close_forum_topic(-100777, topic)
        assert await bot.reopen_forum_topic(-100777, topic)
        server.delete_topic(-100777, topic)
        with pytest.raises(TelegramBadRequest, match="message thread not found"):
            await bot.send_message(-100777, "copy", message_thread_id=topic)
        admin = await bot.get_chat_member(-100777, 7001)
        stranger = await bot.get_chat_member(-100777, 7666)
    finally:
        await bot.session.close()
    assert server.topic_texts(-100777, topic) == ["header"]
    assert server.topics[-100777] == {}
    assert (admin.status, stranger.status) == (
        ChatMemberStatus.ADMINISTRATOR,
        ChatMemberStatus.LEFT,
    )
