"""The outbound sender: one queue per chat, within Telegram's limits, never reordering.

Each chat has a FIFO queue served by its own task while it has messages, so a chat
waiting out a 429 or a retry holds up only itself and its messages stay in order.
The bot's session paces every send (`pacing.py`: the rate limiter, 429s and retries).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum

from aiogram import Bot
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramAPIError,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramServerError,
)
from aiogram.types import InlineKeyboardMarkup

from bot.channels.fitting import fit
from bot.channels.telegram.keyboards import inline_keyboard
from bot.channels.telegram.limits import MESSAGE_LIMITS
from bot.effects import Reply

log = logging.getLogger(__name__)

OnBlocked = Callable[[int], Awaitable[None]]


class SendOutcome(Enum):
    """How a batch of replies to one chat ended."""

    SENT = "sent"
    BLOCKED = "blocked"  # 403: the customer blocked the bot or deleted their account
    FAILED = "failed"  # given up after retries, or rejected by Telegram (logged)


@dataclass(frozen=True, slots=True)
class _Message:
    text: str
    markup: InlineKeyboardMarkup | None


@dataclass(slots=True)
class _Batch:
    messages: list[_Message]
    done: asyncio.Future[SendOutcome] = field(
        default_factory=lambda: asyncio.get_running_loop().create_future()
    )

    def settle(self, result: SendOutcome) -> None:
        if not self.done.done():
            self.done.set_result(result)


def messages_of(replies: Sequence[Reply]) -> list[_Message]:
    """Replies as Telegram messages: long texts split, each keyboard on the last part."""
    return [_Message(r.text, inline_keyboard(r.buttons)) for r in fit(replies, MESSAGE_LIMITS)]


class Sender:
    """Sends replies to chats through `bot`, one queue per chat."""

    def __init__(self, bot: Bot, *, on_blocked: OnBlocked) -> None:
        self._bot = bot
        self._on_blocked = on_blocked
        self._queues: dict[int, deque[_Batch]] = {}
        self._workers: dict[int, asyncio.Task[None]] = {}
        self._closed = False

    def submit(self, chat_id: int, replies: Sequence[Reply]) -> asyncio.Future[SendOutcome]:
        """Queue `replies` for `chat_id` behind what is queued; resolves when they went out."""
        batch = _Batch(messages_of(replies))
        if self._closed:
            # A turn that finished while the bot stops: its HTTP session is closing.
            log.warning("chat %s: sender closed; %d messages dropped", chat_id, len(batch.messages))
            batch.settle(SendOutcome.FAILED)
            return batch.done
        self._queues.setdefault(chat_id, deque()).append(batch)
        if chat_id not in self._workers:
            self._workers[chat_id] = asyncio.create_task(
                self._serve(chat_id), name=f"telegram-send-{chat_id}"
            )
        return batch.done

    async def send(self, chat_id: int, replies: Sequence[Reply]) -> SendOutcome:
        """`submit` and wait for the outcome."""
        return await self.submit(chat_id, replies)

    async def close(self, grace_seconds: float = 5.0) -> None:
        """Let queued messages go out for up to `grace_seconds`, then drop the rest.

        Later submissions are dropped (and logged).
        """
        self._closed = True
        workers = list(self._workers.values())
        if workers:
            _, pending = await asyncio.wait(workers, timeout=grace_seconds)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        for chat_id, queue in self._queues.items():
            log.warning("chat %s: %d unsent batches dropped at shutdown", chat_id, len(queue))
            for batch in queue:
                batch.settle(SendOutcome.FAILED)
        self._queues.clear()

    async def _serve(self, chat_id: int) -> None:
        queue = self._queues[chat_id]
        try:
            while queue:
                batch = queue[0]
                result = await self._deliver(chat_id, batch.messages)
                queue.popleft()
                batch.settle(result)
                if result is SendOutcome.BLOCKED:
                    # The rest cannot arrive either; new messages will try again.
                    while queue:
                        queue.popleft().settle(SendOutcome.BLOCKED)
        finally:
            del self._workers[chat_id]
            if not queue:
                self._queues.pop(chat_id, None)

    async def _deliver(self, chat_id: int, messages: list[_Message]) -> SendOutcome:
        result = SendOutcome.SENT
        for message in messages:
            outcome = await self._send_one(chat_id, message)
            if outcome is SendOutcome.BLOCKED:
                return outcome
            if outcome is SendOutcome.FAILED:
                result = outcome
        return result

    async def _send_one(self, chat_id: int, message: _Message) -> SendOutcome:
        try:
            await self._bot.send_message(chat_id, message.text, reply_markup=message.markup)
        except TelegramForbiddenError as exc:
            log.info("chat %s: unreachable (%s)", chat_id, exc.message)
            try:
                await self._on_blocked(chat_id)
            except Exception:
                # The mark is for later proactive messages; this queue must go on.
                log.exception("chat %s: could not mark unreachable", chat_id)
            return SendOutcome.BLOCKED
        except (TelegramServerError, TelegramNetworkError, ClientDecodeError):
            return SendOutcome.FAILED  # retried by the session's pacing, and logged there
        except TelegramAPIError as exc:
            log.error("chat %s: message rejected: %s", chat_id, exc)
            return SendOutcome.FAILED
        return SendOutcome.SENT
