"""The absorbed customer's queued follow-ups: carried over by a merge, given back by an unmerge.

The planner (`bot.scheduler.follow_ups`) keeps one job per customer and follow-up and
records what it queued in the customer's state (`follow_ups_planned`). A merge turns the
absorbed customer's jobs that still wait into the survivor's, due at the same time,
unless the survivor has the same follow-up planned (theirs goes on: one message, not
two). The absorbed customer's jobs go either way: they would fire for a tombstone.
Firing checks everything again for the merged customer (stage, anchor, conditions,
sent already), as for any follow-up.

An unmerge gives the absorbed customer back the follow-ups that have not fired for the
survivor meanwhile; one that fired reached the same person once already.
"""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.customer_state import FOLLOW_UPS_PLANNED
from bot.scheduler.follow_ups import KIND
from bot.scheduler.jobs import Job, JobQueue
from bot.store.keys import Keys
from bot.user import User

Queued = dict[str, dict[str, Any]]
"""Follow-up key (`trial:ends_soon`) -> `{"due", "body", "carried"}` of the absorbed's job."""


def job_id(user_id: str, key: str) -> str:
    """The planner's id of a customer's follow-up job."""
    return f"{KIND}:{user_id}:{key}"


class QueuedFollowUps:
    """Moves follow-up jobs between the two customers of a merge."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis, self._keys = redis, keys
        self._jobs = JobQueue(redis, keys)

    async def waiting(self, absorbed: User, survivor: User) -> Queued:
        """The absorbed customer's follow-ups still queued, and which the survivor lacks."""
        planned = list(absorbed.state.get(FOLLOW_UPS_PLANNED, {}))
        if not planned:
            return {}
        ids = [job_id(absorbed.id, key) for key in planned]
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.zmscore(self._keys.jobs("due"), ids)
            pipe.hmget(self._keys.jobs("bodies"), ids)
            dues, bodies = await pipe.execute()
        theirs = survivor.state.get(FOLLOW_UPS_PLANNED, {})
        return {
            key: {"due": float(due), "body": json.loads(body), "carried": key not in theirs}
            for key, due, body in zip(planned, dues, bodies, strict=True)
            if due is not None and body is not None
        }

    async def carry(self, absorbed_id: str, merged: User, queued: Queued) -> None:
        """Queue the carried follow-ups for the merged customer; the absorbed's jobs go."""
        carried = {key: q for key, q in queued.items() if q["carried"]}
        await self._jobs.schedule_many(
            [(Job(job_id(merged.id, key), {**q["body"], "user": merged.id}), q["due"])
             for key, q in carried.items()]
        )  # fmt: skip
        for key in queued:
            await self._jobs.done(job_id(absorbed_id, key))
        planned = merged.state.setdefault(FOLLOW_UPS_PLANNED, {})
        for key, q in carried.items():
            planned[key] = q["due"]

    async def give_back(self, absorbed_id: str, survivor: User, queued: Queued) -> list[str]:
        """Queue again for the absorbed customer what has not fired since the merge.

        A carried follow-up leaves the survivor's queue and plan (their next turn plans
        what applies to them). Returns the keys given back.
        """
        back: list[tuple[Job, float]] = []
        given: list[str] = []
        for key, q in queued.items():
            due = await self._jobs.due_at(job_id(survivor.id, key))
            if due is None:
                continue  # it fired (or was dropped) for the merged customer
            if q["carried"]:
                await self._jobs.done(job_id(survivor.id, key))
                survivor.state.get(FOLLOW_UPS_PLANNED, {}).pop(key, None)
            else:
                due = q["due"]
            job = Job(job_id(absorbed_id, key), {**q["body"], "user": absorbed_id})
            back.append((job, due))
            given.append(key)
        await self._jobs.schedule_many(back)
        return given
