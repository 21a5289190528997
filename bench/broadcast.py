"""Broadcast throughput to Telegram customers, against the fake Bot API server.

    .venv/bin/python -m bench.broadcast [--customers 600]

Creates Telegram customers, broadcasts one message to all of them through the scheduler
and the rate-limited sender, and reports the rate the fake server saw, the busiest
second and any 429s. Telegram allows about 30 messages/s per bot: the rate should sit
just under it. Uses the Redis at BENCH_REDIS_URL under a throw-away prefix, deleted
afterwards. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import time
import uuid
from collections import Counter

from pydantic import SecretStr
from redis.asyncio import Redis

from actions.messaging import ReplyArgs
from bench.common import REDIS_URL, bench_settings
from bot.inbound import Inbound
from bot.scheduler.segment import Segment
from bot.wiring import build_components
from tests.fakes.telegram_server import TOKEN, FakeTelegram

MESSAGE = ReplyArgs.model_validate({"text": {"vi": "Ưu đãi Tết: giảm 20%!", "en": "Tet: 20% off!"}})


async def main(customers: int) -> None:
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    try:
        async with FakeTelegram() as telegram:
            settings = bench_settings(
                prefix,
                nlu_enabled=False,
                telegram_bot_token=SecretStr(TOKEN),
                telegram_api_base=telegram.base,
                quiet_hours="00:00-00:01",
            )
            services = build_components(settings, redis, nlu=None)
            assert services.telegram is not None
            for i in range(customers):
                await services.engine.handle(Inbound("telegram", str(10_000 + i), "/greet"))
            progress = await services.broadcasts.create(Segment(), MESSAGE, author="bench")
            started = time.monotonic()
            while True:
                await services.scheduler.run_once()
                done = await services.broadcasts.progress(progress.id)
                if done is None or done.finished >= done.audience:
                    break
            elapsed = time.monotonic() - started
            sends = [c for c in telegram.calls_to("sendMessage")]
            per_second = Counter(int(c.at - sends[0].at) for c in sends)
            print(f"customers: {customers:,}; sent: {done.sent if done else 0:,}")
            print(f"throughput: {len(sends) / elapsed:.1f} messages/s over {elapsed:.1f} s")
            print(f"busiest second at the server: {max(per_second.values())} messages")
            print(f"429 answers: {sum(c.status == 429 for c in sends)}")
            await services.telegram.sender.close()
            await services.telegram.bot.session.close()
    finally:
        keys = [k async for k in redis.scan_iter(match=f"{prefix}:*", count=1000)]
        for start in range(0, len(keys), 1000):
            await redis.delete(*keys[start : start + 1000])
        await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, default=600)
    asyncio.run(main(parser.parse_args().customers))
