"""End-to-end turns/s with free text and one or two Rasa servers, measured in one run.

    .venv/bin/python -m bench.nlu_scale [--turns 600] [--concurrency 16]

Starts two Rasa servers on the trained model (training first if nlu/ changed), then runs
the same free-text turns through the engine twice: with `RASA_URL` naming one server,
and naming both (the client spreads parses across them). The parse cache is off, so
every turn reaches Rasa. Uses the Redis at BENCH_REDIS_URL under a throw-away prefix,
deleted afterwards. Prints figures; asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import time
import uuid
from contextlib import AsyncExitStack

import httpx
from redis.asyncio import Redis

from bench.common import REDIS_URL, bench_settings
from bot.config import Settings
from bot.inbound import Inbound
from bot.nlu.client import RasaClient
from bot.nlu.evaluation import read_labelled_tsv
from bot.nlu.server import RasaServer, rasa_server
from bot.wiring import build_components


async def run(
    servers: list[RasaServer], texts: list[str], turns: int, concurrency: int, redis: Redis
) -> float:
    """Turns per second through the engine with these Rasa servers."""
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    settings = bench_settings(prefix)
    async with httpx.AsyncClient() as http:
        nlu = RasaClient(
            [s.url for s in servers], servers[0].token, http, timeout_seconds=30.0, cache_size=0
        )
        engine = build_components(settings, redis, nlu).engine
        queue: asyncio.Queue[int] = asyncio.Queue()
        for i in range(turns):
            queue.put_nowait(i)

        async def worker() -> None:
            while not queue.empty():
                i = queue.get_nowait()
                text = f"{texts[i % len(texts)]} {i}"  # distinct: no cache anywhere helps
                await engine.handle(Inbound("rest", f"c{i % 200}", text))

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        elapsed = time.perf_counter() - started
    keys = [k async for k in redis.scan_iter(match=f"{prefix}:*", count=1000)]
    for start in range(0, len(keys), 1000):
        await redis.delete(*keys[start : start + 1000])
    return turns / elapsed


async def main(turns: int, concurrency: int) -> None:
    logging.basicConfig(level=logging.WARNING)
    settings = Settings(_env_file=None)
    texts = [e.text for e in read_labelled_tsv(settings.nlu_dir / "tests" / "heldout.tsv")]
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    async with AsyncExitStack() as stack:
        first = await stack.enter_async_context(rasa_server(settings, port=5301))
        second = await stack.enter_async_context(
            rasa_server(settings, port=5302, token=first.token)
        )
        await run([first, second], texts, 60, concurrency, redis)  # warm both up
        one = await run([first], texts, turns, concurrency, redis)
        two = await run([first, second], texts, turns, concurrency, redis)
    await redis.aclose()
    print(f"free-text turns, {turns} each, {concurrency} in flight, parse cache off")
    print(f"1 Rasa server:  {one:.1f} turns/s")
    print(f"2 Rasa servers: {two:.1f} turns/s (ratio {two / one:.2f})")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--turns", type=int, default=600)
    parser.add_argument("--concurrency", type=int, default=16)
    arguments = parser.parse_args()
    asyncio.run(main(arguments.turns, arguments.concurrency))
