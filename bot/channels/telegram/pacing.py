"""The one policy for Telegram calls that deliver content: within the limits, retried.

An aiogram session middleware, so every such call of the bot (customers' replies, the
support group's topics) goes through it: each attempt first takes a slot from the rate
limiter, a 429 waits its `retry_after` and tries again (nothing is lost or reordered),
and a 5xx or network error is retried with backoff until `Retry.attempts`, then raised.
Other calls (polling, answering button presses) pass through untouched.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import (
    ClientDecodeError,
    TelegramNetworkError,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    CloseForumTopic,
    CopyMessage,
    CreateForumTopic,
    EditForumTopic,
    ReopenForumTopic,
    Response,
    SendMessage,
    TelegramMethod,
)
from aiogram.methods.base import TelegramType

from bot.channels.telegram.limits import RateLimiter, Sleep

log = logging.getLogger(__name__)

# The calls that count against Telegram's sending limits.
PACED = (
    SendMessage,
    CopyMessage,
    CreateForumTopic,
    EditForumTopic,
    CloseForumTopic,
    ReopenForumTopic,
)


@dataclass(frozen=True, slots=True)
class Retry:
    """Backoff for 5xx and network errors: base, doubled per attempt, up to `cap`."""

    attempts: int = 6
    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int) -> float:
        """Seconds to wait after failed attempt number `attempt` (1-based)."""
        return float(min(self.cap, self.base * 2 ** (attempt - 1)))


class Pacing(BaseRequestMiddleware):
    """Rate limits and retries the calls in `PACED`."""

    def __init__(
        self, limiter: RateLimiter, retry: Retry | None = None, *, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limiter = limiter
        self._retry = retry or Retry()
        self._sleep = sleep

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        """Make the call, within the limits and retried, when it is one of `PACED`."""
        chat_id = _paced_chat(method)
        if chat_id is None:
            return await make_request(bot, method)
        failures = 0
        while True:
            try:
                async with self.limiter.slot(chat_id):
                    return await make_request(bot, method)
            except TelegramRetryAfter as exc:
                log.warning("chat %s: 429, retrying after %s s", chat_id, exc.retry_after)
                await self._sleep(exc.retry_after)
            except (TelegramServerError, TelegramNetworkError, ClientDecodeError) as exc:
                failures += 1
                if failures >= self._retry.attempts:
                    log.error("chat %s: giving up after %d failures: %s", chat_id, failures, exc)
                    raise
                delay = self._retry.delay(failures)
                log.warning("chat %s: %s; retry %d in %.1f s", chat_id, exc, failures, delay)
                await self._sleep(delay)


def _paced_chat(method: TelegramMethod[Any]) -> int | None:
    """The chat a paced call goes to; None for a call that is not paced."""
    return int(method.chat_id) if isinstance(method, PACED) else None


def pace(
    bot: Bot, limiter: RateLimiter, retry: Retry | None = None, *, sleep: Sleep = asyncio.sleep
) -> Bot:
    """Install `Pacing` on `bot`'s session (once per bot); returns `bot`."""
    bot.session.middleware(Pacing(limiter, retry, sleep=sleep))
    return bot
