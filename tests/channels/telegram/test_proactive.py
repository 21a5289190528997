"""Proactive messages to Telegram customers: follow-ups and broadcasts through the sender."""

from __future__ import annotations

from datetime import UTC, datetime

from redis.asyncio import Redis

from actions.messaging import ReplyArgs
from bot.config import Settings
from bot.inbound import Inbound
from bot.scheduler.segment import Segment
from bot.wiring import build_components
from tests.fakes.clock import Clock
from tests.fakes.telegram_server import FakeTelegram

DAY = 86400.0
CHAT = 6001


async def test_follow_ups_reach_telegram_until_the_customer_blocks_the_bot(
    tg_settings: Settings, redis: Redis, telegram: FakeTelegram, clock: Clock
) -> None:
    clock.now = datetime(2026, 11, 23, 3, 0, tzinfo=UTC).timestamp()  # 10:00 in Vietnam
    services = build_components(tg_settings, redis, nlu=None, clock=clock)
    assert services.telegram is not None
    try:
        for text in ("/request_trial", "/purchase"):
            await services.engine.handle(Inbound("telegram", str(CHAT), text, locale="en"))
        clock.advance(1 * DAY)
        await services.scheduler.run_once()
        assert telegram.texts(CHAT) == [
            "Shall we carry on setting up SaleMate? Only a few steps left!",
            "Step 1/5: Create your store\n"
            "Open Settings > Store and enter its name, address and phone number.",
        ]
        keyboard = telegram.sent(CHAT)[-1].params["reply_markup"]["inline_keyboard"]
        assert [b["callback_data"] for row in keyboard for b in row] == [
            "/step_done",
            "/step_next",
            "/onboarding_help",
        ]

        telegram.block(CHAT)  # the customer blocks the bot: Telegram answers 403
        clock.advance(2 * DAY)
        await services.scheduler.run_once()
        user = await services.users.find("telegram", str(CHAT))
        assert user is not None
        assert await services.redis.hexists(  # type: ignore[misc]
            f"{tg_settings.redis_prefix}:{{u:{user.id}}}:unreachable", "telegram"
        )
        message = ReplyArgs.model_validate({"text": {"vi": "Khuyến mãi", "en": "Sale"}})
        progress = await services.broadcasts.create(Segment(), message, author="lan")
        await services.scheduler.run_once()
        done = await services.broadcasts.progress(progress.id)
        assert done is not None and (done.sent, done.dropped) == (0, 1)
        assert "Sale" not in telegram.texts(CHAT)
    finally:
        await services.telegram.sender.close()
        await services.telegram.bot.session.close()
