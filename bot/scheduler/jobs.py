"""A durable job queue in Redis: a sorted set of job ids by due time, bodies in a hash.

Claiming is one Lua script: due jobs are leased (their score moves to now + lease), so
several bot processes never run the same job at once, and a job whose process died
comes back when its lease ends (at least once). `done` removes a job; `defer` moves it.
All keys share the `{jobs}` hash tag: one Redis Cluster slot.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys

_CLAIM = """
local ids = redis.call('zrangebyscore', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, ARGV[3])
local claimed = {}
for _, id in ipairs(ids) do
  redis.call('zadd', KEYS[1], ARGV[2], id)
  local body = redis.call('hget', KEYS[2], id)
  if body then
    table.insert(claimed, id)
    table.insert(claimed, body)
  else
    redis.call('zrem', KEYS[1], id)
  end
end
return claimed
"""


@dataclass(frozen=True, slots=True)
class Job:
    """A job: its id (unique; scheduling the same id again moves it) and its body."""

    id: str
    body: dict[str, Any]


class JobQueue:
    """Schedules, claims and completes jobs."""

    def __init__(self, redis: Redis, keys: Keys, *, lease_seconds: float = 60.0) -> None:
        self._redis = redis
        self._due, self._bodies = keys.jobs("due"), keys.jobs("bodies")
        self._lease = lease_seconds
        self._claim = redis.register_script(_CLAIM)

    async def schedule(self, job: Job, due: float) -> None:
        """Run `job` at `due` (a Unix time); an existing job with this id is replaced."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.hset(self._bodies, job.id, _body(job))
            pipe.zadd(self._due, {job.id: due})
            await pipe.execute()

    async def schedule_many(self, jobs: list[tuple[Job, float]]) -> None:
        """`schedule` for several jobs in one round trip."""
        if not jobs:
            return
        async with self._redis.pipeline(transaction=True) as pipe:
            for job, due in jobs:
                pipe.hset(self._bodies, job.id, _body(job))
                pipe.zadd(self._due, {job.id: due})
            await pipe.execute()

    async def claim(self, now: float, limit: int = 100) -> list[Job]:
        """Lease up to `limit` jobs due at `now`; no other process gets them during the lease."""
        raw = await self._claim(
            keys=[self._due, self._bodies], args=[now, now + self._lease, limit]
        )
        return [Job(str(raw[i]), json.loads(raw[i + 1])) for i in range(0, len(raw), 2)]

    async def done(self, job_id: str) -> None:
        """Forget a finished (or dropped) job."""
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zrem(self._due, job_id)
            pipe.hdel(self._bodies, job_id)
            await pipe.execute()

    async def defer(self, job_id: str, until: float) -> None:
        """Run a claimed job again at `until` (quiet hours, a frequency cap)."""
        await self._redis.zadd(self._due, {job_id: until})

    async def due_at(self, job_id: str) -> float | None:
        """When a job is due, or None if there is no such job."""
        score = await self._redis.zscore(self._due, job_id)
        return None if score is None else float(score)

    async def pending(self) -> int:
        """How many jobs wait."""
        return int(await self._redis.zcard(self._due))


def _body(job: Job) -> str:
    # Compact JSON: a follow-up job per customer makes the body's bytes count.
    return json.dumps(job.body, ensure_ascii=False, separators=(",", ":"))
