"""Fixtures of the Telegram tests: the fake Bot API server and an aiogram Bot pointed at it."""

from __future__ import annotations

import itertools
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.channels.telegram.channel import TelegramChannel
from bot.config import Settings
from bot.user import User
from bot.wiring import Components, build_components
from tests.fakes import telegram_updates as updates
from tests.fakes.telegram_server import TOKEN, Call, FakeTelegram


@pytest.fixture
async def telegram() -> AsyncIterator[FakeTelegram]:
    async with FakeTelegram() as server:
        yield server


@pytest.fixture
async def tg_bot(telegram: FakeTelegram) -> AsyncIterator[Bot]:
    bot = Bot(TOKEN, session=AiohttpSession(api=TelegramAPIServer.from_base(telegram.base)))
    try:
        yield bot
    finally:
        await bot.session.close()


class Customer:
    """One Telegram customer writing to the bot through the fake server."""

    def __init__(
        self, telegram: FakeTelegram, user_id: int, *, language_code: str | None = "vi"
    ) -> None:
        self.telegram = telegram
        self.id = user_id
        self.user = updates.user(user_id, language_code=language_code)
        self._ids = itertools.count(1)

    def update(self, **content: Any) -> dict[str, Any]:
        """A message update (not yet sent); `text=` or e.g. `**updates.STICKER`."""
        return {"message": updates.message(self.user, next(self._ids), **content)}

    def says(self, text: str) -> dict[str, Any]:
        update = self.update(text=text)
        self.telegram.enqueue(update)
        return update

    def sends(self, **content: Any) -> dict[str, Any]:
        update = self.update(**content)
        self.telegram.enqueue(update)
        return update

    def presses(
        self, title: str, *, on: Call, as_it_was: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Press the button titled `title` of the bot message sent by call `on`.

        The press carries the message as it is now, or `as_it_was` (a double tap that
        left the client before the bot changed the keyboard).
        """
        message = as_it_was or self.telegram.message(self.id, on.result["message_id"])
        rows = message.get("reply_markup", {}).get("inline_keyboard", [])
        data = next(b["callback_data"] for row in rows for b in row if b["text"] == title)
        update = {
            "callback_query": updates.callback_query(
                self.user, data, message=message, query_id=f"q{next(self._ids)}"
            )
        }
        self.telegram.enqueue(update)
        return update

    def texts(self) -> list[str]:
        return self.telegram.texts(self.id)

    async def replies(self, count: int) -> list[str]:
        """Wait until `count` messages in all reached the customer; returns their texts."""
        await self.telegram.wait_for(
            lambda: len(self.texts()) >= count, what=f"{count} replies to {self.id}"
        )
        return self.texts()

    def last_call(self) -> Call:
        return self.telegram.sent(self.id)[-1]


@pytest.fixture
def tg_settings(settings: Settings, telegram: FakeTelegram) -> Settings:
    return settings.model_copy(
        update={
            "telegram_bot_token": SecretStr(TOKEN),
            "telegram_api_base": telegram.base,
            "telegram_chat_interval_seconds": 0.001,
        }
    )


@pytest.fixture
def tg_services(tg_settings: Settings, redis: Redis) -> Components:
    return build_components(tg_settings, redis, nlu=None)


@asynccontextmanager
async def running(services: Components) -> AsyncIterator[TelegramChannel]:
    """The services' Telegram channel, started for the block and stopped after it."""
    channel = services.telegram
    assert channel is not None
    await channel.start()
    try:
        yield channel
    finally:
        await channel.stop()


@pytest.fixture
async def polling(tg_services: Components) -> AsyncIterator[TelegramChannel]:
    """The bot's Telegram channel, long polling the fake server."""
    async with running(tg_services) as channel:
        yield channel


@pytest.fixture
def customer(telegram: FakeTelegram) -> Customer:
    return Customer(telegram, 5001)


async def stored_user(services: Components, customer: Customer) -> User:
    user = await services.users.find("telegram", str(customer.id))
    assert user is not None
    return user
