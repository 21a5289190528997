"""The durable job queue: atomic claims across processes, leases, restarts."""

from __future__ import annotations

import asyncio

from redis.asyncio import Redis

from bot.scheduler.jobs import Job, JobQueue
from bot.store.keys import Keys
from tests.conftest import REDIS_URL


async def test_two_processes_never_claim_the_same_job(redis: Redis, prefix: str) -> None:
    other = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        first, second = JobQueue(redis, Keys(prefix)), JobQueue(other, Keys(prefix))
        await first.schedule_many([(Job(f"j{i}", {"n": i}), 100.0 + i) for i in range(200)])
        claims = await asyncio.gather(
            *(queue.claim(1000.0, limit=7) for _ in range(20) for queue in (first, second))
        )
        ids = [job.id for batch in claims for job in batch]
        assert len(ids) == len(set(ids)) == 200
    finally:
        await other.aclose()


async def test_a_job_comes_back_when_its_lease_ends(redis: Redis, prefix: str) -> None:
    queue = JobQueue(redis, Keys(prefix), lease_seconds=60)
    await queue.schedule(Job("remind", {"user": "u1"}), due=100.0)
    assert await queue.claim(50.0) == []
    assert [j.body for j in await queue.claim(100.0)] == [{"user": "u1"}]
    assert await queue.claim(120.0) == []  # leased: the process that claimed it is working
    # That process died without `done`: the job is claimed again after the lease.
    assert [j.id for j in await queue.claim(161.0)] == ["remind"]
    await queue.done("remind")
    assert await queue.claim(10_000.0) == []
    assert await queue.pending() == 0


async def test_pending_jobs_survive_a_restart_and_scheduling_again_moves_them(
    redis: Redis, prefix: str
) -> None:
    await JobQueue(redis, Keys(prefix)).schedule(Job("a", {"v": 1}), due=500.0)
    restarted = JobQueue(redis, Keys(prefix))  # a new process: nothing is kept in memory
    await restarted.schedule(Job("a", {"v": 2}), due=700.0)
    assert await restarted.due_at("a") == 700.0
    assert await restarted.claim(600.0) == []
    assert [j.body for j in await restarted.claim(700.0)] == [{"v": 2}]
