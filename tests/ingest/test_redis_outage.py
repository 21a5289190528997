"""Telegram's webhook during a Redis outage: Redis is killed (-9) while 300 updates arrive.

Telegram delivers each chat's updates one after another and delivers an update again
until it is answered 200 (here: every 0.3 s). The bot may only answer 200 once the update
is stored, so every update reaches the transcript exactly once, in the order sent.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiohttp.test_utils import TestClient, TestServer
from pydantic import SecretStr
from redis.asyncio import Redis

from bot.channels.telegram.channel import webhook_path, webhook_secret
from bot.config import Settings
from bot.web.app import build_app
from bot.wiring import Components, build_components
from tests.fakes import telegram_updates as updates
from tests.fakes.redis_process import RedisProcess
from tests.fakes.telegram_server import TOKEN, FakeTelegram

WEBHOOK_URL = "https://bot.example.com/webhooks/telegram"
CUSTOMERS, MESSAGES = 30, 10  # 300 updates
PACE = 0.5  # seconds between two messages of one customer: the sending spans the outage
OUTAGE = (1.5, 3.0)  # Redis killed this long after the first update, for this long
REDELIVERY = 0.3  # Telegram's pause before delivering a refused update again
DEADLINE = 90.0  # everything, including turn locks left by the kill expiring (5 s)


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    process = RedisProcess(tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.stop()


class Sending:
    """Telegram's side: each chat's updates in order, each until answered 200."""

    def __init__(self, telegram: FakeTelegram, url: str, secret: str) -> None:
        self.telegram, self.url, self.secret = telegram, url, secret
        self.refused = 0
        self.started = time.monotonic()

    async def chat(self, customer: int) -> None:
        sender = updates.user(100_000 + customer)
        for n in range(MESSAGES):
            message = updates.message(sender, n + 1, text=f"c{customer} m{n}")
            update = {"update_id": customer * 1000 + n + 1, "message": message}
            while True:
                status, _ = await self.telegram.deliver_webhook(
                    update, url=self.url, secret=self.secret
                )
                if status == 200:
                    break
                assert status == 503, status
                self.refused += 1
                assert time.monotonic() - self.started < DEADLINE
                await asyncio.sleep(REDELIVERY)
            await asyncio.sleep(PACE)


async def transcribed(services: Components) -> dict[int, list[str]]:
    """What reached each customer's transcript, inbound, in order."""
    found: dict[int, list[str]] = {}
    for customer in range(CUSTOMERS):
        user_id = await services.users.find_id("telegram", str(100_000 + customer))
        if user_id is None:
            found[customer] = []
            continue
        entries = await services.transcript.read(user_id)
        found[customer] = [e["text"] for e in entries if e["dir"] == "in"]
    return found


async def test_no_update_is_lost_or_doubled_when_redis_is_killed(
    settings: Settings, redis_process: RedisProcess
) -> None:
    async with FakeTelegram() as telegram:
        tg_settings = settings.model_copy(
            update={
                "redis_url": redis_process.url,
                "telegram_bot_token": SecretStr(TOKEN),
                "telegram_api_base": telegram.base,
                "telegram_webhook_url": WEBHOOK_URL,
                "telegram_chat_interval_seconds": 0.001,
            }
        )
        redis = Redis.from_url(redis_process.url, decode_responses=True)
        services = build_components(tg_settings, redis, nlu=None)
        channel = services.telegram
        assert channel is not None
        async with TestClient(TestServer(build_app(services))) as client:
            await channel.start()
            try:
                url = str(client.make_url(webhook_path(WEBHOOK_URL)))
                sending = Sending(telegram, url, webhook_secret(tg_settings))
                chats = asyncio.gather(*(sending.chat(c) for c in range(CUSTOMERS)))
                await asyncio.sleep(OUTAGE[0])
                redis_process.kill()
                await asyncio.sleep(OUTAGE[1])
                redis_process.start()
                await chats
                expected = {c: [f"c{c} m{n}" for n in range(MESSAGES)] for c in range(CUSTOMERS)}
                found = await drained(services, expected, sending.started)
            finally:
                await channel.stop()
                await redis.aclose()
    lost = sum(len(set(expected[c]) - set(found[c])) for c in expected)
    doubled = sum(len(found[c]) - len(set(found[c])) for c in expected)
    print(f"refused (503) {sending.refused}, lost {lost}, doubled {doubled}")
    assert sending.refused > 0, "the outage did not hit the webhook"
    assert (lost, doubled) == (0, 0)
    assert found == expected  # and each customer's in the order sent


async def drained(
    services: Components, expected: dict[int, list[str]], started: float
) -> dict[int, list[str]]:
    while True:
        found = await transcribed(services)
        if all(len(found[c]) >= len(expected[c]) for c in expected):
            await asyncio.sleep(0.5)  # a second copy would arrive now
            return await transcribed(services)
        if time.monotonic() - started > DEADLINE:
            return found
        await asyncio.sleep(0.25)
