"""Two bot processes against one on the same Redis: payload turns, and where the CPU goes.

    .venv/bin/python -m bench.processes [--seconds 5] [--rounds 2] [--concurrency 8 32]

Starts two `python -m bot run` processes (NLU off) on free ports, one Redis prefix. Each
cell drives payload turns from two load-generator processes (aiohttp's client, as in
`bench.turns`), each keeping half the concurrency in flight over its own 50 returning
customers: with one bot process both send to it, with two each sends to its own. The
load generators are the same in both cases, so only the number of bot processes
changes. Cells are interleaved (1 and 2 processes, each concurrency, reversed every other
round). Each cell also reports the CPU used, as a share of one core over the cell's wall
time: Redis (`INFO cpu`), the bot processes and the load generators. Prints figures;
asserts nothing on time.
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import resource
import shutil
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import psutil
from redis.asyncio import Redis

from bench.common import REDIS_URL, ROOT, delete_prefix
from bench.turns import MESSAGES
from bench.versus_rasa.load import Cell, Plan, Sample, drive
from bench.versus_rasa.servers import REST_PATH, _wait_healthy
from bot.nlu.process import child_env, start_group, stop_group
from bot.nlu.server import HOST, free_port

DRIVERS = 2
SENDERS = 50  # per load generator


@asynccontextmanager
async def bot(prefix: str) -> AsyncIterator[tuple[str, int]]:
    """`python -m bot run` without NLU in a scratch folder; yields its REST URL and pid."""
    port, data_dir = free_port(), Path(tempfile.mkdtemp(prefix="bench-bot-"))
    env = child_env(
        {
            "REDIS_URL": REDIS_URL,
            "REDIS_PREFIX": prefix,
            "NLU_ENABLED": "false",
            "POLICIES_DIR": str(ROOT / "stage_policies"),
            "DATA_DIR": str(data_dir),
            "ADMIN_TOKEN": "bench",
            "TELEGRAM_BOT_TOKEN": "",
            "SUPPORT_CHAT_ID": "",
            "HTTP_HOST": HOST,
            "HTTP_PORT": str(port),
            "LOG_LEVEL": "WARNING",
        }
    )
    argv = [sys.executable, "-m", "bot", "run"]
    process = await start_group(argv, cwd=data_dir, env=env, capture=False)
    url = f"http://{HOST}:{port}"
    try:
        await _wait_healthy(url, process)
        yield url + REST_PATH, process.pid
    finally:
        await stop_group(process)
        shutil.rmtree(data_dir, ignore_errors=True)


def measured_drive(plan: Plan) -> tuple[list[Sample], float]:
    """`drive` in a load-generator process, with the CPU seconds that process used."""
    before = resource.getrusage(resource.RUSAGE_SELF)
    samples = drive(plan)
    after = resource.getrusage(resource.RUSAGE_SELF)
    return samples, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


async def redis_cpu(redis: Redis) -> float:
    info = await redis.info("cpu")
    return float(info["used_cpu_sys"]) + float(info["used_cpu_user"])


def bot_cpu(pids: list[int]) -> float:
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


async def cell(
    load: ProcessPoolExecutor, redis: Redis, bots: list[tuple[str, int]], c: int, number: int,
    seconds: float,
) -> str:  # fmt: skip
    """One cell: `len(bots)` processes, `c` requests in flight in all; a table row."""
    loop = asyncio.get_running_loop()
    plans = [
        Plan(
            {"bot": bots[i % len(bots)][0]},
            # The round number names the customers: each generator has its own.
            [Cell("bot", "payload", c // DRIVERS, number * 100 + i)],
            MESSAGES,
            (),
            seconds,
            SENDERS,
        )
        for i in range(DRIVERS)
    ]
    pids = [pid for _, pid in bots]
    redis_before, bots_before = await redis_cpu(redis), bot_cpu(pids)
    started = time.perf_counter()
    done = await asyncio.gather(*(loop.run_in_executor(load, measured_drive, p) for p in plans))
    wall = time.perf_counter() - started
    redis_used, bots_used = await redis_cpu(redis) - redis_before, bot_cpu(pids) - bots_before
    samples = [s for found, _ in done for s in found]
    latencies = sorted(x for s in samples for x in s.latencies)
    rate = sum(len(s.latencies) / s.elapsed for s in samples)
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    share = "% | ".join(
        f"{used / wall * 100:.0f}" for used in (redis_used, bots_used, sum(u for _, u in done))
    )
    p50 = statistics.median(latencies)
    return (
        f"| {len(bots)} | {c} | {number} | {rate:.0f} | {p50 * 1000:.1f} ms"
        f" | {p99 * 1000:.1f} ms | {share}% |"
    )


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--concurrency", type=int, nargs="+", default=[8, 32])
    args = parser.parse_args()
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    spawn = multiprocessing.get_context("spawn")
    rows = []
    try:
        async with AsyncExitStack() as stack:
            bots = [await stack.enter_async_context(bot(prefix)) for _ in range(2)]
            with ProcessPoolExecutor(max_workers=DRIVERS, mp_context=spawn) as load:
                # Both load generators started (and their imports done) before any cell.
                list(load.map(time.sleep, [1.0] * DRIVERS))
                for number in range(1, args.rounds + 1):
                    order = [1, 2] if number % 2 else [2, 1]
                    for processes in order:
                        for c in args.concurrency:
                            row = await cell(load, redis, bots[:processes], c, number, args.seconds)
                            print(row, file=sys.stderr, flush=True)
                            rows.append(row)
    finally:
        await redis.aclose()
        await delete_prefix(prefix)
    print("| bot processes | concurrency | round | payload turns/s | p50 | p99 "
          "| Redis CPU | bots' CPU | load generators' CPU |")  # fmt: skip
    print("|---|---|---|---|---|---|---|---|---|")
    print("\n".join(sorted(rows)))


if __name__ == "__main__":
    asyncio.run(main())
