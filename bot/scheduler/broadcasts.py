"""Broadcasts: one message to a segment, sent through the scheduler within the guardrails.

Creating a broadcast stores the message and puts one job per recipient in the queue
(job id `broadcast:<id>:<user>`), so any bot process sends it, a crash resumes where it
stopped, and a recipient already marked in their state is never sent a second copy.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from redis.asyncio import Redis

from actions.messaging import ReplyArgs
from bot.scheduler.jobs import Job, JobQueue
from bot.scheduler.segment import Segment
from bot.store.event_counts import did_all
from bot.store.keys import Keys
from bot.store.users import Users

KIND = "broadcast"
BATCH = 500
DROPPED_BY = "dropped:"  # meta field prefix: dropped recipients counted by reason


@dataclass(frozen=True, slots=True)
class Progress:
    """How far a broadcast got: recipients, sent, dropped (guardrails), and when it began.

    `due` is when it starts sending (`created` unless scheduled); `reasons` counts the
    dropped recipients by the guardrail that stopped them.
    """

    id: str
    audience: int
    sent: int
    dropped: int
    created: float
    due: float | None = None
    author: str = ""
    reasons: tuple[tuple[str, int], ...] = ()
    message: ReplyArgs | None = None

    @property
    def finished(self) -> int:
        """Recipients done with, either way."""
        return self.sent + self.dropped

    def to_api(self) -> dict[str, Any]:
        """The admin API's shape."""
        return {
            "id": self.id,
            "audience": self.audience,
            "sent": self.sent,
            "dropped": self.dropped,
            "pending": self.audience - self.finished,
            "created": self.created,
            "due": self.created if self.due is None else self.due,
            "dropped_reasons": dict(self.reasons),
        }


class Broadcasts:
    """Creates broadcasts, reads their message and progress, counts outcomes."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        users: Users,
        jobs: JobQueue,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._users = users
        self._jobs = jobs
        self._clock = clock

    def now(self) -> float:
        """The time by this service's clock (the tests' clock in the tests)."""
        return self._clock()

    async def audience(self, segment: Segment, now: float | None = None) -> list[str]:
        """The ids of the customers in `segment` at `now` (default: the clock's now)."""
        now = self._clock() if now is None else now
        chosen: list[str] = []
        batch: list[str] = []
        async for user_id in self._users.all_ids():
            batch.append(user_id)
            if len(batch) >= BATCH:
                chosen += await self._matching(segment, batch, now)
                batch = []
        return chosen + await self._matching(segment, batch, now)

    async def _matching(self, segment: Segment, user_ids: list[str], now: float) -> list[str]:
        found = [u.id for u in await self._users.load_many(user_ids) if segment.matches(u, now)]
        if segment.did:
            found = await did_all(self._redis, self._keys, found, segment.did, now)
        return found

    async def create(
        self, segment: Segment, message: ReplyArgs, *, author: str, at: float | None = None
    ) -> Progress:
        """Store the broadcast and queue one job per recipient, due `at` (default now).

        The audience is the segment's when the broadcast is created; a scheduled one keeps it.
        """
        now = self._clock()
        due = now if at is None or at < now else at
        broadcast_id = f"{int(now)}-{secrets.token_hex(3)}"
        recipients = await self.audience(segment, now)
        meta = self._keys.broadcast(broadcast_id, "meta")
        await self._redis.hset(  # type: ignore[misc]
            meta,
            mapping={
                "message": message.model_dump_json(),
                "segment": segment.model_dump_json(),
                "author": author,
                "created": repr(now),
                "due": repr(due),
                "audience": len(recipients),
                "sent": 0,
                "dropped": 0,
            },
        )
        for start in range(0, len(recipients), BATCH):
            await self._jobs.schedule_many(
                [
                    (
                        Job(
                            f"{KIND}:{broadcast_id}:{u}",
                            {"kind": KIND, "broadcast": broadcast_id, "user": u},
                        ),
                        due,
                    )
                    for u in recipients[start : start + BATCH]
                ]
            )
        await self._redis.zadd(self._keys.broadcast_list(), {broadcast_id: now})
        return Progress(broadcast_id, len(recipients), 0, 0, now, due, author, (), message)

    async def message(self, broadcast_id: str) -> ReplyArgs | None:
        """The message of a broadcast, if it exists."""
        raw = await self._redis.hget(self._keys.broadcast(broadcast_id, "meta"), "message")  # type: ignore[misc]
        return None if raw is None else ReplyArgs.model_validate_json(raw)

    async def count(self, broadcast_id: str, outcome: str, reason: str | None = None) -> None:
        """Count one recipient as `sent` or `dropped` (and why, when dropped)."""
        meta = self._keys.broadcast(broadcast_id, "meta")
        await self._redis.hincrby(meta, outcome, 1)  # type: ignore[misc]
        if reason is not None:
            await self._redis.hincrby(meta, f"{DROPPED_BY}{reason}", 1)  # type: ignore[misc]

    async def recent(self, limit: int = 20) -> list[Progress]:
        """The latest broadcasts, newest first."""
        ids = await self._redis.zrevrange(self._keys.broadcast_list(), 0, limit - 1)
        found = [await self.progress(broadcast_id) for broadcast_id in ids]
        return [progress for progress in found if progress is not None]

    async def progress(self, broadcast_id: str) -> Progress | None:
        """Where a broadcast stands, if it exists."""
        meta = await self._redis.hgetall(self._keys.broadcast(broadcast_id, "meta"))  # type: ignore[misc]
        if not meta:
            return None
        return Progress(
            broadcast_id,
            int(meta["audience"]),
            int(meta["sent"]),
            int(meta["dropped"]),
            float(meta["created"]),
            float(meta["due"]) if "due" in meta else None,
            meta.get("author", ""),
            tuple(
                (field.removeprefix(DROPPED_BY), int(n))
                for field, n in sorted(meta.items())
                if field.startswith(DROPPED_BY)
            ),
            ReplyArgs.model_validate_json(meta["message"]) if "message" in meta else None,
        )


def _job(broadcast_id: str, user_id: str) -> Job:
    body = {"kind": KIND, "broadcast": broadcast_id, "user": user_id}
    return Job(f"{KIND}:{broadcast_id}:{user_id}", body)
