"""Closed conversations for the inbox's "closed" view, kept by a `SupportRelay`."""

from __future__ import annotations

import json
from typing import Any

from redis.asyncio import Redis

from bot.inbound import Inbound
from bot.inbox.assignments import Assignments
from bot.store.keys import Keys
from bot.user import User

STAFF = "staff:"
LISTED = 200  # latest closed conversations the inbox reads


class ClosedLog:
    """The latest close of each customer: when, by whom, who owned it, the resolution."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._by_time = keys.console("inbox:closed")
        self._records = keys.console("inbox:closed:records")

    async def add(self, user_id: str, record: dict[str, Any]) -> None:
        """Remember a close (a later close of the same customer replaces it)."""
        await self._redis.hset(self._records, user_id, json.dumps(record, ensure_ascii=False))  # type: ignore[misc]
        await self._redis.zadd(self._by_time, {user_id: record["closed"]})

    async def resolve(self, user_id: str, note: str) -> None:
        """Attach the staff member's resolution note to the latest close."""
        record = await self.record(user_id)
        if record is not None:
            await self.add(user_id, {**record, "resolution": note})

    async def record(self, user_id: str) -> dict[str, Any] | None:
        """The latest close of a customer."""
        raw = await self._redis.hget(self._records, user_id)  # type: ignore[misc]
        return None if raw is None else dict(json.loads(raw))

    async def latest(self) -> list[dict[str, Any]]:
        """The latest closes, newest first, each with its `user_id`."""
        ids = await self._redis.zrevrange(self._by_time, 0, LISTED - 1)
        if not ids:
            return []
        raw = await self._redis.hmget(self._records, ids)  # type: ignore[misc]
        return [{**json.loads(r), "user_id": u} for u, r in zip(ids, raw, strict=True) if r]


class InboxRelay:
    """Keeps the inbox's owners and closed list in step with the handoffs."""

    def __init__(self, assignments: Assignments, closed: ClosedLog) -> None:
        self._assignments = assignments
        self._closed = closed

    async def opened(self, user: User) -> None:
        """A staff member who took the conversation over owns it."""
        by = str(user.state["handoff"].get("by", ""))
        if by.startswith(STAFF):
            await self._assignments.assign(user.id, by.removeprefix(STAFF))

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        """The inbox reads the transcript itself."""

    async def closed(self, user: User, record: dict[str, Any]) -> None:
        """The conversation moves to "closed" with its owner; nobody owns it any more."""
        owner = await self._assignments.owner(user.id)
        await self._closed.add(user.id, {**record, "owner": owner})
        await self._assignments.unassign(user.id)

    async def sla_missed(self, user: User, minutes: float) -> None:
        """The inbox colours the waiting time itself."""

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        """The CSAT score joins the closed conversation."""
        record = await self._closed.record(user.id)
        if record is not None and record.get("id") == answer.get("handoff"):
            await self._closed.add(user.id, {**record, "csat": answer.get("score")})
