"""The Telegram channel as the bot runs it: polling by default, or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from aiogram import Bot, Dispatcher
from aiohttp import web

from bot.channels.base import ChannelLimits
from bot.channels.telegram.checked_webhook import CheckedWebhook
from bot.channels.telegram.customer import CHANNEL
from bot.channels.telegram.limits import MESSAGE_LIMITS
from bot.channels.telegram.sender import Sender, SendOutcome
from bot.channels.telegram.support.relay import TelegramSupport
from bot.config import Settings
from bot.effects import Reply
from bot.store.reachability import Reachability
from bot.user import User

log = logging.getLogger(__name__)

DEFAULT_WEBHOOK_PATH = "/webhooks/telegram"


def webhook_secret(settings: Settings) -> str:
    """`TELEGRAM_WEBHOOK_SECRET`, or one derived from the bot token.

    Derived, every replica behind a load balancer arrives at the same secret without
    one more setting; it changes when the token does.
    """
    if settings.telegram_webhook_secret is not None:
        return settings.telegram_webhook_secret.get_secret_value()
    assert settings.telegram_bot_token is not None
    token = settings.telegram_bot_token.get_secret_value()
    return hashlib.sha256(f"engagebot-webhook:{token}".encode()).hexdigest()


def webhook_path(url: str) -> str:
    """The route of the webhook on our server: the path of `TELEGRAM_WEBHOOK_URL`."""
    path = urlsplit(url).path
    return path if path not in ("", "/") else DEFAULT_WEBHOOK_PATH


@dataclass(slots=True)
class TelegramChannel:
    """The bot, its dispatcher and sender, and how updates arrive (a `Channel`)."""

    bot: Bot
    dispatcher: Dispatcher
    sender: Sender
    reachability: Reachability
    webhook_url: str | None
    secret: str
    seconds_between_messages: float = 1.0
    polling_timeout: int = 10
    support: TelegramSupport | None = None  # with SUPPORT_CHAT_ID
    _polling: asyncio.Task[None] | None = field(default=None, init=False)

    @property
    def name(self) -> str:
        """`telegram`: the channel of its customers' identities."""
        return CHANNEL

    @property
    def limits(self) -> ChannelLimits:
        """Telegram's limits on one message, and the pace to one chat of the settings."""
        return replace(MESSAGE_LIMITS, seconds_between_messages=self.seconds_between_messages)

    def register_routes(self, app: web.Application) -> None:
        """In webhook mode, the webhook route (401 without the right secret header)."""
        if self.webhook_url is None:
            return
        handler = CheckedWebhook(
            dispatcher=self.dispatcher,
            bot=self.bot,
            handle_in_background=True,  # answer Telegram at once; turns may wait for NLU
            secret_token=self.secret,
        )
        handler.register(app, path=webhook_path(self.webhook_url))

    async def start(self) -> None:
        """Set the webhook, or start long polling in the background."""
        if self.webhook_url is not None:
            # Every replica sets the same URL and secret: harmless repeats.
            await self.bot.set_webhook(
                self.webhook_url,
                secret_token=self.secret,
                allowed_updates=self.dispatcher.resolve_used_update_types(),
            )
            log.info("telegram: webhook set to %s", self.webhook_url)
            return
        # getUpdates fails while a webhook is set; pending updates are kept.
        await self.bot.delete_webhook(drop_pending_updates=False)
        self._polling = asyncio.create_task(
            self.dispatcher.start_polling(
                self.bot,
                polling_timeout=self.polling_timeout,
                handle_signals=False,  # `bot run` owns SIGINT/SIGTERM
                close_bot_session=False,
            ),
            name="telegram-polling",
        )
        log.info("telegram: long polling started")

    async def stop(self) -> None:
        """Stop polling, let queued replies go out, close the HTTP session.

        The webhook stays set: other replicas may still be serving it.
        """
        if self._polling is not None:
            with contextlib.suppress(RuntimeError):  # polling had not started yet
                await self.dispatcher.stop_polling()
            if not self._polling.done():
                self._polling.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._polling
            self._polling = None
        await self.sender.close()
        await self.bot.session.close()

    async def deliver(self, user_id: str, external_id: str, replies: Sequence[Reply]) -> None:
        """Queue `replies` to the customer's private chat and wait for Telegram's answer.

        The sender marks a customer who blocked the bot unreachable.
        """
        outcome = await self.sender.send(int(external_id), replies)
        if outcome is not SendOutcome.SENT:
            log.warning("proactive message to user %s on Telegram: %s", user_id, outcome.value)

    async def reachable(self, user: User, external_id: str, now: float) -> bool:
        """Unless they blocked the bot (the mark is cleared when they unblock it)."""
        return await self.reachability.is_reachable(user.id, CHANNEL)
