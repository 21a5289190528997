"""Building the Telegram channel from the settings and what it uses of the core."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.utils.token import TokenValidationError

from bot.channels.telegram.channel import TelegramChannel, webhook_secret
from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import CHANNEL
from bot.channels.telegram.dispatcher import build_dispatcher
from bot.channels.telegram.intake import TelegramIntake
from bot.channels.telegram.limits import Limits, RateLimiter
from bot.channels.telegram.pacing import Retry, pace
from bot.channels.telegram.sender import Sender
from bot.channels.telegram.support.group import SupportGroup
from bot.channels.telegram.support.posting import TopicPoster
from bot.channels.telegram.support.relay import TelegramSupport
from bot.channels.telegram.support.staff import StaffCheck
from bot.config import Settings
from bot.engine import Engine
from bot.errors import BotError
from bot.handoff import HandoffDesk
from bot.inbox.assignments import Assignments
from bot.ingest.workers import Ingest
from bot.store.reachability import Reachability
from bot.store.support_topics import SupportTopics
from bot.store.transcript import Transcript
from bot.store.turns import Turns
from bot.store.users import Users


@dataclass(frozen=True, slots=True)
class TelegramNeeds:
    """What the Telegram channel uses of the rest of the bot."""

    engine: Engine
    users: Users
    turns: Turns  # which messages were answered: a redelivered update sends nothing
    transcript: Transcript
    handoffs: HandoffDesk
    reachability: Reachability
    topics: SupportTopics | None  # with SUPPORT_CHAT_ID
    ingest: Ingest  # updates are stored here before they are answered
    assignments: Assignments | None = None  # who owns each conversation (`/claim`)


def build_telegram(
    settings: Settings,
    needs: TelegramNeeds,
    *,
    retry: Retry | None = None,
    polling_timeout: int = 10,
) -> TelegramChannel:
    """The Telegram channel for `TELEGRAM_BOT_TOKEN` (and the support group, if set)."""
    limits = Limits(
        chat_interval=settings.telegram_chat_interval_seconds,
        group_per_minute=settings.telegram_group_per_minute,
        overall_per_second=settings.telegram_overall_per_second,
    )
    # One budget for customers and the support group.
    bot = pace(_bot(settings), RateLimiter(limits), retry)

    async def blocked(chat_id: int) -> None:
        user_id = await needs.users.find_id(CHANNEL, str(chat_id))
        if user_id is not None:
            await needs.reachability.mark_unreachable(user_id, CHANNEL, "blocked")

    sender = Sender(bot, on_blocked=blocked)
    chats = Chats(engine=needs.engine, users=needs.users, turns=needs.turns, sender=sender)
    support_group = None if needs.topics is None else build_support(settings, needs, bot)
    dispatcher = build_dispatcher(
        chats=chats,
        reachability=needs.reachability,
        default_locale=settings.default_locale,
        support_group=support_group,
    )
    secret = webhook_secret(settings)
    return TelegramChannel(
        bot=bot,
        dispatcher=dispatcher,
        sender=sender,
        ingest=needs.ingest,
        intake=TelegramIntake(bot, dispatcher, needs.ingest, secret),
        reachability=needs.reachability,
        webhook_url=settings.telegram_webhook_url,
        secret=secret,
        seconds_between_messages=limits.chat_interval,
        polling_timeout=polling_timeout,
        support=None if support_group is None else support_group.relay,
    )


def _bot(settings: Settings) -> Bot:
    assert settings.telegram_bot_token is not None
    api = TelegramAPIServer.from_base(settings.telegram_api_base.rstrip("/"))
    try:
        return Bot(settings.telegram_bot_token.get_secret_value(), session=AiohttpSession(api=api))
    except TokenValidationError:
        raise BotError(
            "TELEGRAM_BOT_TOKEN is not a bot token (BotFather's 123456:ABC...)"
        ) from None


def build_support(settings: Settings, needs: TelegramNeeds, bot: Bot) -> SupportGroup:
    """The support group of `needs.topics`: the relay of handoffs into topics, and staff's side."""
    assert needs.topics is not None
    chat_id = needs.topics.chat_id
    relay = TelegramSupport(
        poster=TopicPoster(bot, chat_id),
        topics=needs.topics,
        users=needs.users,
        transcript=needs.transcript,
        time_zone=ZoneInfo(settings.time_zone),
    )
    return SupportGroup(
        relay=relay,
        staff=StaffCheck(bot, chat_id, ttl_seconds=settings.support_staff_cache_seconds),
        handoffs=needs.handoffs,
        engine=needs.engine,
        users=needs.users,
        assignments=needs.assignments,
    )
