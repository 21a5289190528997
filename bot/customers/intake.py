"""Taking product events in: find (or create) the customer, then store the event once.

Each event is one Lua script over keys of the customer's slot: the idempotency key, the
customer's record when an email or phone is new, the events stream (timeline and
analytics) and the per-name sorted set segments count. Two copies of one event sent at
once both reach the script; Redis runs them one after the other and only the first finds
the idempotency key free. The script never touches an existing customer's record, which
only turns write (under the customer's lock).
"""

from __future__ import annotations

import json
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal

from redis.asyncio import Redis

from bot.customers.events import CustomerRef, ProductEvent
from bot.customers.reactions import anchors, reaction_job, reacts
from bot.lifecycle import INITIAL_STAGE, Locale, Transition
from bot.policies.active import ActivePolicies
from bot.scheduler.jobs import JobQueue
from bot.store.keys import Keys
from bot.store.living import living_id
from bot.store.users import Users
from bot.user import User

SEEN_TTL_SECONDS = 90 * 24 * 3600  # a sender retrying longer than this is not a retry
EVENTS_KEPT = 10_000
PRODUCT_EVENT = "product_event"  # the kind of product events in the customer's events stream

_TAKE = """
if not redis.call('set', KEYS[1], ARGV[2], 'NX', 'EX', ARGV[1]) then return 0 end
if ARGV[6] == '1' and redis.call('exists', KEYS[2]) == 0 then
  redis.call('hset', KEYS[2], unpack(ARGV, 8))
  redis.call('rpush', KEYS[5], ARGV[7])
end
redis.call('xadd', KEYS[3], 'MAXLEN', '~', ARGV[5], '*',
  'kind', 'product_event', 'at', ARGV[2], 'data', ARGV[3])
redis.call('zadd', KEYS[4], ARGV[2], ARGV[4])
redis.call('zremrangebyrank', KEYS[4], 0, -(tonumber(ARGV[5]) + 1))
return 1
"""

Outcome = Literal["accepted", "duplicate", "unknown_customer"]


@dataclass(frozen=True, slots=True)
class Taken:
    """What became of one event: its customer (None when unknown) and the outcome."""

    event_id: str
    outcome: Outcome
    user_id: str | None = None


@dataclass(frozen=True, slots=True)
class Reactions:
    """Queues the policies' reactions to events (`bot/customers/reactions.py`)."""

    policies: ActivePolicies
    jobs: JobQueue

    async def schedule(self, user_id: str, event: ProductEvent, now: float) -> None:
        """A job for the scheduler, due now, when the active policies react to or count from it."""
        policies = self.policies.current
        if reacts(policies, event.name) or anchors(policies, event.name):
            at = event.time(now)
            job = reaction_job(user_id, event.event_id, event.name, event.properties, at, now)
            await self.jobs.schedule(job, now)


@dataclass(frozen=True, slots=True)
class _Found:
    user_id: str
    new: User | None  # the record to create when the email or phone was never seen


class EventIntake:
    """Stores product events for customers; see the module's documentation."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        users: Users,
        default_locale: Locale,
        clock: Callable[[], float] = time.time,
        *,
        reactions: Reactions | None = None,
    ) -> None:
        self._reactions = reactions
        # Told of each newly stored event (user id, event, time): the inbox's tickets.
        self.after_store: list[Callable[[str, ProductEvent, float], Awaitable[None]]] = []
        self._redis = redis
        self.keys = keys
        self._users = users
        self._locale = default_locale
        self._clock = clock
        self._take = redis.register_script(_TAKE)

    async def take(self, event: ProductEvent) -> Taken:
        """Store `event` once; a repeat of its `event_id` for that customer is a duplicate."""
        found = await self._find(event.customer)
        if found is None:
            return Taken(event.event_id, "unknown_customer")
        now = self._clock()
        at = event.time(now)
        data = {"name": event.name, "event_id": event.event_id, "properties": event.properties}
        new = found.new
        created = [] if new is None else [x for pair in new.to_hash().items() for x in pair]
        start = Transition(None, INITIAL_STAGE, now, f"event:{event.name}").to_json()
        keys = self.keys
        stored = await self._take(
            keys=[
                keys.event_seen(found.user_id, event.event_id),
                keys.user(found.user_id),
                keys.events(found.user_id),
                keys.event_times(found.user_id, event.name),
                keys.stage_history(found.user_id),
            ],
            args=[
                SEEN_TTL_SECONDS,
                repr(at),
                json.dumps(data, ensure_ascii=False),
                event.event_id,
                EVENTS_KEPT,
                "0" if new is None else "1",
                start,
                *created,
            ],
        )
        if stored and self._reactions is not None:
            await self._reactions.schedule(found.user_id, event, now)
        for observer in self.after_store if stored else []:
            await observer(found.user_id, event, at)
        return Taken(event.event_id, "accepted" if stored else "duplicate", found.user_id)

    async def _find(self, ref: CustomerRef) -> _Found | None:
        """The customer `ref` names; an email or phone never seen makes a new record."""
        if ref.id is not None:
            # A customer merged into another (bot.linking) is that other one now.
            current = await living_id(self._redis, self.keys, ref.id)
            known = await self._users.load(current) is not None
            return _Found(current, None) if known else None
        if ref.channel is not None and ref.external_id is not None:
            user_id = await self._users.find_id(ref.channel, ref.external_id)
            return None if user_id is None else _Found(user_id, None)
        kind, value = ("email", ref.email) if ref.email is not None else ("phone", ref.phone)
        assert value is not None  # CustomerRef holds exactly one way to name the customer
        user_id = await self._users.resolve(kind, value)
        if await self._users.load(user_id) is not None:
            return _Found(user_id, None)
        now = self._clock()
        new = User(
            id=user_id,
            created=now,
            locale=self._locale,
            stage=INITIAL_STAGE,
            stage_entered_at=now,
            profile={kind: value},
        )
        return _Found(user_id, new)
