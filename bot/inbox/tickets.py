"""Tickets: a problem report or a detractor's score and comment, for staff to follow up.

A ticket is an inbox item that does not take the customer away from the bot: it waits
for staff (open), for the customer (pending), or is done (solved).
"""

from __future__ import annotations

import json
import uuid
from typing import Any, Literal, cast

from redis.asyncio import Redis

from bot.customers.events import ProductEvent
from bot.effects import Record
from bot.store.keys import Keys
from bot.store.turns import TurnWrite

Status = Literal["open", "pending", "solved"]
STATUSES: tuple[Status, ...] = ("open", "pending", "solved")
DETRACTOR_MAX = 6  # NPS 0-6
LISTED = 200  # newest tickets the inbox reads
# Product events (POST /api/events) that open a ticket.
TICKET_EVENTS = frozenset({"payment_failed"})
# Answers that add to an open ticket: the detractor's "why?", the reason to cancel.
COMMENTED = {"nps": "detractor", "cancel_reason": "churn_risk"}


class Tickets:
    """Every ticket as JSON in one hash, and their ids by time in a sorted set."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._data = keys.console("tickets")
        self._by_time = keys.console("tickets:by_time")

    async def open(self, user_id: str, kind: str, text: str, at: float) -> dict[str, Any]:
        """A new open ticket."""
        ticket_id = uuid.uuid4().hex[:10]
        ticket: dict[str, Any] = {
            "id": ticket_id,
            "user_id": user_id,
            "kind": kind,
            "text": text,
            "at": at,
            "status": "open",
            "comments": [],
        }
        await self._save(ticket)
        await self._redis.zadd(self._by_time, {ticket_id: at})
        return ticket

    async def get(self, ticket_id: str) -> dict[str, Any] | None:
        """One ticket, or None."""
        raw = await self._redis.hget(self._data, ticket_id)  # type: ignore[misc]
        return None if raw is None else cast(dict[str, Any], json.loads(raw))

    async def listed(self) -> list[dict[str, Any]]:
        """The newest tickets, newest first."""
        ids = await self._redis.zrevrange(self._by_time, 0, LISTED - 1)
        if not ids:
            return []
        raw = await self._redis.hmget(self._data, ids)  # type: ignore[misc]
        return [json.loads(r) for r in raw if r is not None]

    async def of_customer(self, user_id: str) -> list[dict[str, Any]]:
        """A customer's tickets, newest first."""
        return [t for t in await self.listed() if t["user_id"] == user_id]

    async def set_status(self, ticket_id: str, status: Status, by: str, at: float) -> None:
        """Move a ticket to `status`, remembering who did it and when."""
        ticket = await self.get(ticket_id)
        if ticket is None:
            return
        ticket.update(status=status, changed_by=by, changed_at=at)
        await self._save(ticket)

    async def add_comment(self, ticket: dict[str, Any], text: str, at: float) -> None:
        """The customer said more about the ticket's matter."""
        ticket["comments"].append({"text": text, "at": at})
        await self._save(ticket)

    async def after_commit(self, write: TurnWrite) -> None:
        """The observer of committed turns (`ObservedTurns.after_commit`)."""
        if write.events:
            await self.observe(write.user.id, write.events, write.at)

    async def product_event(self, user_id: str, event: ProductEvent, at: float) -> None:
        """A product event that needs a person (a failed payment) opens a ticket."""
        if event.name in TICKET_EVENTS:
            details = ", ".join(f"{k}: {v}" for k, v in sorted(event.properties.items()))
            await self.open(user_id, event.name, details, at)

    async def observe(self, user_id: str, events: list[Record], at: float) -> None:
        """After a turn: open or extend tickets from what it recorded.

        Problem reports, detractors' scores and a wish to cancel (the `churn_risk` flag)
        open one; the detractor's "why?" and the reason to cancel are added to it.
        """
        for event in events:
            data = event.data
            if event.kind == "feedback" and data.get("about") == "problem":
                await self.open(user_id, "problem", str(data.get("text", "")), at)
            elif event.kind == "nps" and int(data.get("score", 10)) <= DETRACTOR_MAX:
                await self.open(user_id, "detractor", f"NPS {data['score']}/10", at)
            elif event.kind == "flagged" and data.get("flag") == "churn_risk":
                await self.open(user_id, "churn_risk", "", at)
            elif event.kind == "feedback" and data.get("about") in COMMENTED:
                kind = COMMENTED[str(data["about"])]
                await self._comment(user_id, kind, str(data.get("text", "")), at)

    async def _comment(self, user_id: str, kind: str, text: str, at: float) -> None:
        for ticket in await self.of_customer(user_id):
            if ticket["kind"] == kind and ticket["status"] != "solved":
                await self.add_comment(ticket, text, at)
                return

    async def _save(self, ticket: dict[str, Any]) -> None:
        data = json.dumps(ticket, ensure_ascii=False)
        await self._redis.hset(self._data, ticket["id"], data)  # type: ignore[misc]
