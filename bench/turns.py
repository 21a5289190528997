"""Turn throughput and latency through the REST channel, Redis round trips per turn, and
Redis memory per stored user. Prints figures; asserts nothing on time.

    .venv/bin/python -m bench.turns [--turns 3000] [--users 100000] [--concurrency 32]

Uses the Redis at BENCH_REDIS_URL (default redis://127.0.0.1:6379/0) under a throw-away
key prefix, deleted afterwards. Payload messages only, so NLU is not involved.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid
from typing import Any

import httpx
from aiohttp import web
from redis.asyncio import Connection, ConnectionPool, Redis

from bench.common import REDIS_URL, bench_settings, delete_prefix
from bot.config import Settings
from bot.inbound import Inbound
from bot.web.app import build_app
from bot.wiring import build_components

MESSAGES = [
    "/greet",
    "/ask_price",
    "/compare_plans",
    "/thank",
    "/request_trial",
    "/ask_product_info",
]


class CountingConnection(Connection):
    """Counts requests written to Redis: one per command, one per pipeline."""

    round_trips = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        CountingConnection.round_trips += 1
        await super().send_packed_command(command, check_health)


async def throughput(settings: Settings, turns: int, concurrency: int) -> None:
    pool = ConnectionPool.from_url(
        REDIS_URL, decode_responses=True, connection_class=CountingConnection
    )
    redis = Redis(connection_pool=pool)
    runner = web.AppRunner(build_app(build_components(settings, redis, None)), access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    latencies: list[float] = []
    queue: asyncio.Queue[int] = asyncio.Queue()
    for i in range(turns):
        queue.put_nowait(i)

    async def worker(client: httpx.AsyncClient) -> None:
        while not queue.empty():
            i = queue.get_nowait()
            body = {
                "sender": f"user{i % 500}",
                "message": MESSAGES[i % len(MESSAGES)],
                "message_id": str(i),
            }
            started = time.perf_counter()
            response = await client.post("/webhooks/rest/webhook", json=body)
            latencies.append(time.perf_counter() - started)
            response.raise_for_status()

    limits = httpx.Limits(max_connections=concurrency)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:
        CountingConnection.round_trips = 0
        started = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    trips = CountingConnection.round_trips
    await runner.cleanup()
    await redis.aclose()
    latencies.sort()
    print(f"turns:                {turns} over 500 customers, {concurrency} concurrent clients")
    print(f"throughput:           {turns / elapsed:.0f} turns/s")
    print(
        f"latency p50 / p99:    {statistics.median(latencies) * 1000:.1f} ms / "
        f"{latencies[int(len(latencies) * 0.99)] * 1000:.1f} ms"
    )
    print(f"Redis round trips:    {trips / turns:.2f} per turn")


async def memory(settings: Settings, users: int) -> None:
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    engine = build_components(settings, redis, None).engine
    before = int((await redis.info("memory"))["used_memory"])
    batch = 200
    for start in range(0, users, batch):
        await asyncio.gather(
            *(
                engine.handle(Inbound("rest", f"m{i}", "/greet", message_id="1"))
                for i in range(start, min(start + batch, users))
            )
        )
    after = int((await redis.info("memory"))["used_memory"])
    print(
        f"memory:               {(after - before) / users:.0f} bytes per user "
        f"({users} users, each with one greeting turn: identity, user hash, history, transcript)"
    )
    await redis.aclose()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=3000)
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--concurrency", type=int, default=32)
    args = parser.parse_args()
    for step in ("throughput", "memory"):
        prefix = f"bench:{uuid.uuid4().hex[:8]}"
        settings = bench_settings(prefix, nlu_enabled=False)
        try:
            if step == "throughput":
                await throughput(settings, args.turns, args.concurrency)
            elif args.users:
                await memory(settings, args.users)
        finally:
            await delete_prefix(prefix)


if __name__ == "__main__":
    asyncio.run(main())
