"""Payload-turn throughput and latency at several concurrencies, Redis round trips per
turn, and Redis memory per stored user. Prints figures; asserts nothing on time.

    .venv/bin/python -m bench.turns [--seconds 5] [--rounds 2] [--concurrency 1 8 32]
                                    [--users 100000]

The bot's web app runs in this process; the load comes from a separate process (aiohttp's
client, `bench.versus_rasa.load`), so the client does not share the bot's event loop.
Payload messages only, so NLU is not involved. Uses the Redis at BENCH_REDIS_URL
(default redis://127.0.0.1:6379/0) under a throw-away key prefix, deleted afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import multiprocessing
import pstats
import statistics
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ProcessPoolExecutor
from contextvars import ContextVar
from typing import Any

import aiohttp
from aiohttp import web
from redis.asyncio import Connection, ConnectionPool, Redis

from bench.common import REDIS_URL, bench_settings, delete_prefix
from bench.versus_rasa.load import Cell, Plan, Sample, drive
from bot.config import Settings
from bot.inbound import Inbound
from bot.web.app import build_app
from bot.wiring import build_components

MESSAGES = (
    "/greet",
    "/ask_price",
    "/compare_plans",
    "/thank",
    "/request_trial",
    "/ask_product_info",
)
CUSTOMERS = 100

# Round trips of the request being handled (None outside a request: background tasks).
_trips: ContextVar[list[int] | None] = ContextVar("trips", default=None)


class CountingConnection(Connection):
    """Counts requests written to Redis by the HTTP request in progress: one per command,
    one per pipeline or transaction, one per script."""

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        trips = _trips.get()
        if trips is not None:
            trips[0] += 1
        await super().send_packed_command(command, check_health)


def counting(
    per_request: list[int], cpu: list[float]
) -> Callable[..., Awaitable[web.StreamResponse]]:
    """A middleware appending each request's round trips to `per_request`, and the CPU
    time of this process while it ran to `cpu` (its own time when requests come one at a
    time: waiting for Redis costs no CPU)."""

    @web.middleware
    async def middleware(
        request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        trips = [0]
        reset = _trips.set(trips)
        started = time.process_time()
        try:
            return await handler(request)
        finally:
            cpu.append(time.process_time() - started)
            _trips.reset(reset)
            per_request.append(trips[0])

    return middleware


def cells(concurrencies: list[int], rounds: int) -> list[Cell]:
    """Every concurrency per round; even rounds run them backwards."""
    order = list(concurrencies)
    return [
        Cell("bot", "payload", c, number)
        for number in range(1, rounds + 1)
        for c in (order if number % 2 else order[::-1])
    ]


def table(samples: list[Sample]) -> None:
    """The best round of each concurrency: throughput, p50 and p99."""
    print("| concurrency | payload turns/s | p50 | p99 |")
    print("|---|---|---|---|")
    for concurrency in sorted({s.cell.concurrency for s in samples}):
        mine = [s for s in samples if s.cell.concurrency == concurrency]
        best = max(mine, key=lambda s: len(s.latencies) / s.elapsed)
        lat = sorted(best.latencies)
        p99 = lat[min(len(lat) - 1, int(len(lat) * 0.99))]
        print(
            f"| {concurrency} | {len(lat) / best.elapsed:.0f} | "
            f"{statistics.median(lat) * 1000:.1f} ms | {p99 * 1000:.1f} ms |"
        )


def summary(profiler: cProfile.Profile, path: str, turns: int) -> None:
    """Save the bot process's profile and print where its time went, per timed turn."""
    profiler.dump_stats(path)
    print(f"profile of the bot's process over {turns} timed turns (and their warm-up): {path}")
    pstats.Stats(profiler).sort_stats("tottime").print_stats(25)


async def round_trips(url: str, per_request: list[int], cpu: list[float]) -> None:
    """Round trips of a new customer's first turn and of a returning customer's turns."""
    async with aiohttp.ClientSession() as session:

        async def send(sender: str, message: str) -> int:
            async with session.post(url, json={"sender": sender, "message": message}) as answer:
                answer.raise_for_status()
            return per_request[-1]

        first = [await send(f"trips-{i}", "/greet") for i in range(20)]
        cpu.clear()
        returning = [await send(f"trips-{i % 20}", MESSAGES[i % 6]) for i in range(300)]
    own = sorted(cpu)
    print(
        f"Redis round trips per payload turn: returning customer {statistics.mean(returning):.2f}"
        f" (max {max(returning)}), new customer {statistics.mean(first):.2f}"
    )
    print(
        f"own time (CPU of the bot's process) of a returning customer's payload turn, one at"
        f" a time: p50 {statistics.median(own) * 1000:.2f} ms,"
        f" p90 {own[int(len(own) * 0.9)] * 1000:.2f} ms"
    )


async def throughput(
    settings: Settings,
    concurrencies: list[int],
    rounds: int,
    seconds: float,
    profile: str | None = None,
) -> None:
    pool = ConnectionPool.from_url(
        REDIS_URL, decode_responses=True, connection_class=CountingConnection
    )
    redis = Redis(connection_pool=pool)
    per_request: list[int] = []
    cpu: list[float] = []
    app = build_app(build_components(settings, redis, None))
    app.middlewares.insert(0, counting(per_request, cpu))
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    url = f"http://127.0.0.1:{runner.addresses[0][1]}/webhooks/rest/webhook"
    plan = Plan({"bot": url}, cells(concurrencies, rounds), MESSAGES, (), seconds, CUSTOMERS)
    spawn = multiprocessing.get_context("spawn")
    try:
        profiler = cProfile.Profile() if profile else None
        with ProcessPoolExecutor(max_workers=1, mp_context=spawn) as load:
            if profiler is not None:
                profiler.enable()
            samples = await asyncio.get_running_loop().run_in_executor(load, drive, plan)
            if profiler is not None:
                profiler.disable()
        if profiler is not None and profile:
            summary(profiler, profile, sum(len(s.latencies) for s in samples))
        print(f"{CUSTOMERS} customers, {rounds} rounds of {seconds:g} s cells, best round:")
        table(samples)
        await round_trips(url, per_request, cpu)
    finally:
        await runner.cleanup()
        await redis.aclose()


async def memory(settings: Settings, users: int) -> None:
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    engine = build_components(settings, redis, None).engine
    before = await redis.info("memory")
    batch = 200
    for start in range(0, users, batch):
        await asyncio.gather(
            *(
                engine.handle(Inbound("rest", f"m{i}", "/greet", message_id="1"))
                for i in range(start, min(start + batch, users))
            )
        )
    after = await redis.info("memory")
    used = int(after["used_memory"]) - int(before["used_memory"])
    # The bot's pooled connections (one per concurrent turn) have buffers in Redis too:
    # a cost per connection, not per customer.
    clients = int(after["mem_clients_normal"]) - int(before["mem_clients_normal"])
    print(
        f"memory:               {(used - clients) / users:.0f} bytes per user "
        f"({users} users, each with one greeting turn; INFO memory's used_memory, without "
        f"{clients / users:.0f} bytes per user of client connection buffers)"
    )
    await per_key(redis, settings.redis_prefix, users)
    await redis.aclose()


async def per_key(redis: Redis, prefix: str, users: int) -> None:
    """`MEMORY USAGE` by kind of key: the mean of up to 200 keys, or a shared key's share."""
    kinds: dict[str, list[str]] = {}
    async for key in redis.scan_iter(match=f"{prefix}:*", count=5000):
        kind = key[len(prefix) + 1 :].rsplit("}:", 1)[-1].split(":", 1)[0]
        kinds.setdefault(kind, []).append(key)
    parts = []
    for kind, found in sorted(kinds.items()):
        sizes = [int(await redis.memory_usage(k, samples=0) or 0) for k in found[:200]]
        share = statistics.mean(sizes) * len(found) / users
        parts.append(f"{kind} {share:.0f}")
    print("MEMORY USAGE per user by key: " + ", ".join(parts))


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 8, 32])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--steps", nargs="+", default=["throughput", "memory"])
    parser.add_argument("--profile", help="cProfile the bot during the cells, into this file")
    args = parser.parse_args()
    for step in args.steps:
        prefix = f"bench:{uuid.uuid4().hex[:8]}"
        settings = bench_settings(prefix, nlu_enabled=False)
        try:
            if step == "throughput":
                await throughput(
                    settings, args.concurrency, args.rounds, args.seconds, args.profile
                )
            elif args.users:
                await memory(settings, args.users)
        finally:
            await delete_prefix(prefix)


if __name__ == "__main__":
    try:  # the event loop `python -m bot run` uses (uvloop where installed)
        from bot.cli.loop import run
    except ImportError:  # a version from before it: measured on asyncio's loop, as it ran
        run = asyncio.run
    run(main())
