"""Calls into the support group's forum topics.

Unlike the customers' sender there is no queue: the caller awaits each call, which keeps
one customer's copies in order, and it must learn when a topic no longer exists. The
bot's session paces the calls (`pacing.py`: the rate limiter, 429s and retries).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest

from bot.channels.telegram.split import split_text
from bot.errors import BotError

log = logging.getLogger(__name__)

T = TypeVar("T")

# What Telegram answers for a topic that was deleted (the wording differs by method).
_GONE = ("message thread not found", "topic_deleted", "topic_id_invalid")
MAX_TOPIC_NAME = 128


class TopicGone(BotError):
    """The forum topic does not exist any more."""


def is_topic_gone(exc: TelegramAPIError) -> bool:
    """Whether Telegram refused because the topic was deleted."""
    return isinstance(exc, TelegramBadRequest) and any(
        words in exc.message.lower() for words in _GONE
    )


class TopicPoster:
    """Creates, writes into, renames, closes and reopens topics of one support chat."""

    def __init__(self, bot: Bot, chat_id: int) -> None:
        self.bot = bot
        self.chat_id = chat_id

    async def create(self, name: str) -> int:
        """A new topic named `name`; returns its id."""
        topic = await self._call(lambda: self.bot.create_forum_topic(self.chat_id, _name(name)))
        return topic.message_thread_id

    async def post(self, thread_id: int, text: str) -> None:
        """Write `text` into the topic (split when long).

        Raises:
            TopicGone: the topic was deleted.
            TelegramAPIError: Telegram refused otherwise, or kept failing.

        """
        for part in split_text(text):
            await self._send(thread_id, part)

    async def copy(self, thread_id: int, from_chat_id: int, message_id: int) -> None:
        """Copy a customer's message (a photo, a file, a voice note) into the topic.

        Raises:
            TopicGone: the topic was deleted.
            TelegramAPIError: Telegram refused otherwise, or kept failing.

        """
        await self._call(
            lambda: self.bot.copy_message(
                self.chat_id, from_chat_id, message_id, message_thread_id=thread_id
            )
        )

    async def _send(self, thread_id: int, text: str) -> None:
        await self._call(
            lambda: self.bot.send_message(self.chat_id, text, message_thread_id=thread_id)
        )

    async def rename(self, thread_id: int, name: str) -> None:
        """Best effort: a stale name is only cosmetic."""
        await self._tidy(
            "rename",
            thread_id,
            lambda: self.bot.edit_forum_topic(self.chat_id, thread_id, name=_name(name)),
        )

    async def close(self, thread_id: int) -> None:
        """Best effort: close the topic (it stays readable, and reopens on the next handoff)."""
        await self._tidy(
            "close", thread_id, lambda: self.bot.close_forum_topic(self.chat_id, thread_id)
        )

    async def reopen(self, thread_id: int) -> None:
        """Best effort: reopen a closed topic (an open one stays as it is)."""
        await self._tidy(
            "reopen", thread_id, lambda: self.bot.reopen_forum_topic(self.chat_id, thread_id)
        )

    async def _tidy(self, what: str, thread_id: int, call: Callable[[], Awaitable[bool]]) -> None:
        try:
            await self._call(call)
        except (TelegramAPIError, BotError) as exc:
            # TOPIC_NOT_MODIFIED (already closed / open) lands here too: nothing to do.
            log.info("support topic %s: %s not done: %s", thread_id, what, exc)

    async def _call(self, call: Callable[[], Awaitable[T]]) -> T:
        try:
            return await call()
        except TelegramBadRequest as exc:
            if is_topic_gone(exc):
                raise TopicGone(exc.message) from exc
            raise


def _name(name: str) -> str:
    return name if len(name) <= MAX_TOPIC_NAME else name[: MAX_TOPIC_NAME - 1] + "…"
