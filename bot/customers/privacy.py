"""Export and erase: everything held about a customer, and forgetting who they are.

Erasing keeps what analytics count and nothing that identifies the person: the
customer's record stays (stage, its history, dates, language) so the figures per stage
and the funnel do not change, but the profile, identities, state, transcript, outbox,
closed handoffs, stored answers, the snapshots kept to undo merges (`bot.linking`) and
the identity keys (chat ids, email, phone) go, and each event keeps only its kind, time
and an NPS/CSAT score or a product event's name.
Someone who writes again after an erasure is a new customer. It runs under the
customer's turn lock, so no turn writes in between.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.ordering import TurnLocks
from bot.store.transcript import Transcript
from bot.store.users import Users

ANONYMOUS_DATA = ("score", "name")  # event data that identifies nobody


class CustomerPrivacy:
    """Exports and erases one customer's data (see the module's documentation)."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        users: Users,
        transcript: Transcript,
        locks: TurnLocks,
        clock: Callable[[], float],
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._users = users
        self._transcript = transcript
        self._locks = locks
        self._clock = clock

    async def export(self, user_id: str) -> dict[str, Any] | None:
        """Everything held about the customer, as JSON-ready data; None if unknown."""
        user = await self._users.load(user_id)
        if user is None:
            return None
        keys = self._keys
        history = await self._users.stage_history(user_id)
        events = await self._redis.xrange(keys.events(user_id))
        handoffs = await self._redis.lrange(keys.handoffs(user_id), 0, -1)  # type: ignore[misc]
        return {
            "customer": user.export(),
            "stage_history": [t.to_api() for t in history],
            "messages": await self._transcript.read(user_id),
            "events": [_event(fields) for _, fields in events],
            "handoffs": [json.loads(item) for item in handoffs],
            "unreachable": await self._redis.hgetall(keys.unreachable(user_id)),  # type: ignore[misc]
            "last_inbound": await self._redis.hgetall(keys.last_inbound(user_id)),  # type: ignore[misc]
            "referred": sorted(await self._redis.smembers(keys.referrals(user_id, "joined"))),  # type: ignore[misc]
            # Customers merged into this one, as they were (kept to undo the merge).
            "merged": [json.loads(raw) for raw in await self._redis.hvals(keys.merges(user_id))],  # type: ignore[misc]
        }

    async def erase(self, user_id: str) -> bool:
        """Forget who the customer is, keeping anonymous counts; False if unknown."""
        async with self._locks.hold(user_id):
            user = await self._users.load(user_id)
            if user is None:
                return False
            identities = [i.partition(":") for i in user.identities]
            identities += [(kind, "", str(user.profile[kind])) for kind in ("email", "phone")
                           if kind in user.profile]  # fmt: skip
            events = await self._redis.xrange(self._keys.events(user_id))
            stored = await self._per_customer_keys(user_id)
            user.profile, user.identities = {}, []
            user.state = {"erased_at": self._clock()}
            async with self._redis.pipeline(transaction=False) as pipe:
                for channel, _, external_id in identities:
                    identity = self._keys.identity(channel, external_id)
                    pipe.delete(identity)  # the same id pointing elsewhere cannot happen
                pipe.delete(*stored)
                fields = user.to_hash()
                stale = user.stale_fields(fields)
                if stale:  # the earlier format's `state` and `profile` held personal data
                    pipe.hdel(self._keys.user(user_id), *stale)
                pipe.hset(self._keys.user(user_id), mapping=fields)
                for _, fields in events:
                    pipe.xadd(self._keys.events(user_id), _anonymous(fields))  # type: ignore[arg-type]
                await pipe.execute()
            return True

    async def _per_customer_keys(self, user_id: str) -> list[str]:
        """The keys that may identify the customer (the events stream is rewritten)."""
        keys = self._keys
        found = [
            keys.transcript(user_id), keys.transcript_list(user_id), keys.outbox(user_id),
            keys.handoffs(user_id),
            keys.events(user_id), keys.last_inbound(user_id), keys.unreachable(user_id),
            keys.support_topic(user_id), keys.merges(user_id),
        ]  # fmt: skip
        for pattern in (keys.inbound(user_id, "*"), keys.event_seen(user_id, "*")):
            found += [str(key) async for key in self._redis.scan_iter(match=pattern, count=1000)]
        return found


def _event(fields: dict[str, str]) -> dict[str, Any]:
    return {"kind": fields["kind"], "at": float(fields["at"]), "data": json.loads(fields["data"])}


def _anonymous(fields: dict[str, str]) -> dict[str, str]:
    data = json.loads(fields["data"])
    kept = {name: data[name] for name in ANONYMOUS_DATA if name in data}
    return {"kind": fields["kind"], "at": fields["at"], "data": json.dumps(kept)}
