"""The Telegram channel as the bot runs it: polling by default, or a webhook."""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.utils.token import TokenValidationError
from aiogram.webhook.aiohttp_server import SimpleRequestHandler
from aiohttp import web

from bot.channels.telegram.conversation import Conversation
from bot.channels.telegram.customer import CHANNEL
from bot.channels.telegram.dispatcher import build_dispatcher
from bot.channels.telegram.limits import Limits, RateLimiter
from bot.channels.telegram.sender import Retry, Sender
from bot.channels.telegram.support.group import SupportGroup
from bot.channels.telegram.support.posting import TopicPoster
from bot.channels.telegram.support.relay import TelegramSupport
from bot.channels.telegram.support.staff import StaffCheck
from bot.config import Settings
from bot.errors import BotError
from bot.store.keys import Keys
from bot.store.reachability import Reachability
from bot.store.support_topics import SupportTopics
from bot.store.turns import Turns

if TYPE_CHECKING:
    from bot.services import Services

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
    """The bot, its dispatcher and sender, and how updates arrive."""

    bot: Bot
    dispatcher: Dispatcher
    sender: Sender
    webhook_url: str | None
    secret: str
    polling_timeout: int = 10
    support: TelegramSupport | None = None  # with SUPPORT_CHAT_ID
    _polling: asyncio.Task[None] | None = field(default=None, init=False)

    def register_webhook(self, app: web.Application) -> None:
        """Add the webhook route (401 without the right secret header) to `app`."""
        assert self.webhook_url is not None
        handler = SimpleRequestHandler(
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


def build_telegram(
    services: Services,
    *,
    retry: Retry | None = None,
    polling_timeout: int = 10,
) -> TelegramChannel:
    """The Telegram channel for `TELEGRAM_BOT_TOKEN`, wired to the services' engine."""
    settings = services.settings
    assert settings.telegram_bot_token is not None
    api = TelegramAPIServer.from_base(settings.telegram_api_base.rstrip("/"))
    try:
        bot = Bot(settings.telegram_bot_token.get_secret_value(), session=AiohttpSession(api=api))
    except TokenValidationError:
        raise BotError(
            "TELEGRAM_BOT_TOKEN is not a bot token (BotFather's 123456:ABC...)"
        ) from None
    keys = Keys(settings.redis_prefix)
    reachability = Reachability(services.redis, keys)

    async def blocked(chat_id: int) -> None:
        user_id = await services.users.find_id(CHANNEL, str(chat_id))
        if user_id is not None:
            await reachability.mark_unreachable(user_id, CHANNEL, "blocked")

    limits = Limits(
        chat_interval=settings.telegram_chat_interval_seconds,
        group_per_minute=settings.telegram_group_per_minute,
        overall_per_second=settings.telegram_overall_per_second,
    )
    limiter = RateLimiter(limits)  # one budget for customers and the support group
    sender = Sender(bot, limiter, on_blocked=blocked, retry=retry)
    conversation = Conversation(
        engine=services.engine,
        users=services.users,
        turns=Turns(services.redis, keys, services.transcript),
        sender=sender,
    )
    support_group = None
    if settings.support_chat_id is not None:
        support_group = build_support(services, bot, limiter, settings.support_chat_id, retry)
    dispatcher = build_dispatcher(
        conversation=conversation,
        reachability=reachability,
        default_locale=settings.default_locale,
        support_group=support_group,
    )
    return TelegramChannel(
        bot=bot,
        dispatcher=dispatcher,
        sender=sender,
        webhook_url=settings.telegram_webhook_url,
        secret=webhook_secret(settings),
        polling_timeout=polling_timeout,
        support=None if support_group is None else support_group.relay,
    )


def build_support(
    services: Services, bot: Bot, limiter: RateLimiter, chat_id: int, retry: Retry | None
) -> SupportGroup:
    """The support group `chat_id`: the relay of handoffs into topics, and staff's side."""
    settings = services.settings
    relay = TelegramSupport(
        poster=TopicPoster(bot, limiter, chat_id, retry=retry),
        topics=SupportTopics(services.redis, Keys(settings.redis_prefix), chat_id),
        users=services.users,
        transcript=services.transcript,
        time_zone=ZoneInfo(settings.time_zone),
    )
    return SupportGroup(
        relay=relay,
        staff=StaffCheck(bot, chat_id, ttl_seconds=settings.support_staff_cache_seconds),
        handoffs=services.handoffs,
        engine=services.engine,
        users=services.users,
    )
