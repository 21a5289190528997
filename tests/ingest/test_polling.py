"""Long polling confirms an update (the next `getUpdates` offset) only once it is stored."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pydantic import SecretStr
from redis.asyncio import Redis

from bot.config import Settings
from bot.wiring import build_components
from tests.channels.telegram.conftest import Customer
from tests.fakes.redis_process import RedisProcess
from tests.fakes.telegram_server import TOKEN, FakeTelegram


async def test_an_update_is_not_confirmed_while_redis_is_down(
    settings: Settings, tmp_path: Path
) -> None:
    redis_process = RedisProcess(tmp_path)  # not started yet: Redis is down
    async with FakeTelegram() as telegram:
        tg_settings = settings.model_copy(
            update={
                "redis_url": redis_process.url,
                "telegram_bot_token": SecretStr(TOKEN),
                "telegram_api_base": telegram.base,
                "telegram_chat_interval_seconds": 0.001,
                "ingest_claim_seconds": 0.6,
            }
        )
        redis = Redis.from_url(redis_process.url, decode_responses=True)
        services = build_components(tg_settings, redis, nlu=None)
        channel = services.telegram
        assert channel is not None
        customer = Customer(telegram, 7001)
        await channel.start()
        try:
            update_id = telegram.enqueue(customer.update(text="/greet"))
            await telegram.wait_for(lambda: telegram.polls_started >= 1, what="a poll")
            await asyncio.sleep(1.5)  # the bot retries storing it meanwhile
            offsets = [c.params.get("offset") for c in telegram.calls_to("getUpdates")]
            assert all(o is None or o <= update_id for o in offsets), offsets
            redis_process.start()
            [greeting] = await customer.replies(1)
            assert greeting.startswith("Chào An!")
            customer.says("/ask_price")  # answers the long poll that confirms the first
            await customer.replies(2)
            offsets = [c.params.get("offset") for c in telegram.calls_to("getUpdates")]
            assert update_id + 1 in offsets
        finally:
            await channel.stop()
            await redis.aclose()
            redis_process.stop()
