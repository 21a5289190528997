"""Reading every customer's history for analytics, in batches of one round trip each.

Analytics scan all customers (the `users` set): fine for the thousands of customers of a
small business; a bigger deployment would keep running totals instead.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from redis.asyncio import Redis

from bot.lifecycle import Transition
from bot.store.keys import Keys
from bot.store.users import START_FIELD, Users, history_of
from bot.user import User

BATCH = 200


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a customer (`trial_started`, `nps`, `handoff_closed`...)."""

    kind: str
    at: float
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CustomerRecord:
    """A customer with their stage history and events."""

    user: User
    history: list[Transition]
    events: list[Event] = field(default_factory=list)


class CustomerRecords:
    """Every customer's record, read on demand: what the analytics and the exports use."""

    def __init__(self, redis: Redis, keys: Keys, users: Users) -> None:
        self._redis = redis
        self._keys = keys
        self._users = users

    def read(self) -> AsyncIterator[CustomerRecord]:
        """Every customer with their history, in batches of one round trip each."""
        return customer_records(self._redis, self._keys, self._users)


async def customer_records(redis: Redis, keys: Keys, users: Users) -> AsyncIterator[CustomerRecord]:
    """Every customer with their history, a batch of `BATCH` customers per round trip."""
    batch: list[str] = []
    async for user_id in users.all_ids():
        batch.append(user_id)
        if len(batch) >= BATCH:
            for record in await _load(redis, keys, batch):
                yield record
            batch = []
    for record in await _load(redis, keys, batch):
        yield record


async def _load(redis: Redis, keys: Keys, user_ids: list[str]) -> list[CustomerRecord]:
    if not user_ids:
        return []
    async with redis.pipeline(transaction=False) as pipe:
        for user_id in user_ids:
            pipe.hgetall(keys.user(user_id))
            pipe.lrange(keys.stage_history(user_id), 0, -1)
            pipe.xrange(keys.events(user_id))
        rows = await pipe.execute()
    records = []
    for index in range(0, len(rows), 3):
        data, history, events = rows[index : index + 3]
        if not data:
            continue
        records.append(
            CustomerRecord(
                User.from_hash(data),
                history_of(data.get(START_FIELD), history),
                [
                    Event(fields["kind"], float(fields["at"]), json.loads(fields["data"]))
                    for _, fields in events
                ],
            )
        )
    return records
