"""Scheduler overhead: Redis memory per pending job, and claim time as the queue grows.

    .venv/bin/python -m bench.scheduler [--jobs 1000000]

Fills the job queue with follow-up-shaped jobs spread over 30 days, then times claims of
100 due jobs at 1,000 pending and at the full size. Uses the Redis at BENCH_REDIS_URL
(default redis://127.0.0.1:6379/0) under a throw-away prefix, deleted afterwards.
Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
import uuid

from redis.asyncio import Redis

from bench.common import REDIS_URL
from bot.scheduler.jobs import Job, JobQueue
from bot.store.keys import Keys

BATCH = 5000
DAY = 86400.0


def job(n: int) -> tuple[Job, float]:
    user = uuid.UUID(int=n).hex
    body = {
        "kind": "follow_up",
        "user": user,
        "stage": "onboarding",
        "name": "nudge_day_1",
        "anchor": 1.7e9,
    }
    return Job(f"follow_up:{user}:onboarding:nudge_day_1", body), 1.7e9 + (n % 30) * DAY + n % 997


async def fill(queue: JobQueue, start: int, stop: int) -> None:
    for first in range(start, stop, BATCH):
        await queue.schedule_many([job(n) for n in range(first, min(first + BATCH, stop))])


async def claim_times(queue: JobQueue, rounds: int = 50) -> list[float]:
    """Milliseconds per claim of 100 due jobs (leased, then put back as due)."""
    times = []
    for _ in range(rounds):
        started = time.perf_counter()
        claimed = await queue.claim(1.7e9 + DAY, limit=100)
        times.append((time.perf_counter() - started) * 1000)
        for item in claimed:
            await queue.defer(item.id, 1.7e9)
    return times


async def main(total: int) -> None:
    redis = Redis.from_url(REDIS_URL, decode_responses=True)
    prefix = f"bench:{uuid.uuid4().hex[:8]}"
    queue = JobQueue(redis, Keys(prefix))
    try:
        before = int((await redis.info("memory"))["used_memory"])
        await fill(queue, 0, 1000)
        small = statistics.median(await claim_times(queue))
        started = time.perf_counter()
        await fill(queue, 1000, total)
        fill_seconds = time.perf_counter() - started
        after = int((await redis.info("memory"))["used_memory"])
        large = statistics.median(await claim_times(queue))
        print(f"pending jobs: {await queue.pending():,}")
        print(f"scheduling: {total / fill_seconds:,.0f} jobs/s (batches of {BATCH})")
        print(f"Redis memory per pending job: {(after - before) / total:,.0f} bytes")
        print(
            f"claim of 100 due jobs, median: {small:.2f} ms at 1,000 pending, "
            f"{large:.2f} ms at {total:,} pending (ratio {large / small:.2f})"
        )
    finally:
        tag = f"{prefix}:{{jobs}}"
        await redis.delete(f"{tag}:due", f"{tag}:bodies")
        await redis.aclose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--jobs", type=int, default=1_000_000)
    asyncio.run(main(parser.parse_args().jobs))
