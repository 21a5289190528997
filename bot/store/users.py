"""Users, their identities and their stage history."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator

from redis.asyncio import Redis

from bot.lifecycle import Stage, Transition
from bot.store.keys import Keys
from bot.store.living import living_id
from bot.user import User

# KEYS: identity; ARGV: a new user id. The stored id, or ARGV[1] once claimed.
_CLAIM = """
local known = redis.call('get', KEYS[1])
if known then return {known, 0} end
redis.call('set', KEYS[1], ARGV[1])
return {ARGV[1], 1}
"""
# Identities remembered per process. An identity moves only when its customer is merged
# into another (bot.linking): the engine then loads a customer without the identity,
# forgets it here and resolves it again.
KNOWN_IDENTITIES = 100_000
START_FIELD = "h0"
"""The user hash's field holding the customer's first transition (`[stage, at, reason]`)."""


def start_value(transition: Transition) -> str:
    """The compact form of a customer's first transition, kept in their user hash."""
    return json.dumps(
        [transition.to_stage.value, transition.at, transition.reason], separators=(",", ":")
    )


def history_of(start: str | None, listed: list[str]) -> list[Transition]:
    """The stage history from the hash's first transition and the history list.

    A customer who never moved has no list; one stored before the first transition
    moved into the hash has it as the list's first entry.
    """
    history = [Transition.from_json(item) for item in listed]
    if start is None:
        return history
    stage, at, reason = json.loads(start)
    return [Transition(None, Stage(stage), float(at), str(reason)), *history]


class Users:
    """Reads users; writes happen only in a turn commit, except the identity map."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys
        self._claim = redis.register_script(_CLAIM)
        self._known: dict[str, str] = {}

    async def resolve(self, channel: str, external_id: str) -> str:
        """The user id of `(channel, external_id)`, claiming a new id on first sight.

        The identity is claimed in one script, so two replicas seeing a new customer at
        once agree on one id. This process remembers the answer, so a returning customer
        costs no round trip here; a merge moves an identity, and the turn that finds its
        customer no longer has it calls `forget` (see `bot.turn.load.belongs`).
        """
        key = self._keys.identity(channel, external_id)
        known = self._known.get(key)
        if known is not None:
            return known
        user_id, claimed = await self._claim(keys=[key], args=[uuid.uuid4().hex])
        if claimed:
            await self._redis.sadd(self._keys.all_users(), user_id)  # type: ignore[misc]
        if len(self._known) >= KNOWN_IDENTITIES:
            del self._known[next(iter(self._known))]  # the oldest remembered
        self._known[key] = str(user_id)
        return str(user_id)

    def forget(self, channel: str, external_id: str) -> None:
        """Drop what this process remembers of an identity (its customer was erased)."""
        self._known.pop(self._keys.identity(channel, external_id), None)

    async def all_ids(self) -> AsyncIterator[str]:
        """Every user id, in no particular order (for broadcasts)."""
        async for user_id in self._redis.sscan_iter(self._keys.all_users(), count=1000):
            yield str(user_id)

    async def count(self) -> int:
        """How many customers there are."""
        return int(await self._redis.scard(self._keys.all_users()))  # type: ignore[misc]

    async def load_many(self, user_ids: list[str]) -> list[User]:
        """The stored users among `user_ids`, in one round trip."""
        async with self._redis.pipeline(transaction=False) as pipe:
            for user_id in user_ids:
                pipe.hgetall(self._keys.user(user_id))
            rows = await pipe.execute()
        return [User.from_hash(row) for row in rows if row]

    async def find_id(self, channel: str, external_id: str) -> str | None:
        """The user id of an identity, or None when it was never seen."""
        value = await self._redis.get(self._keys.identity(channel, external_id))
        return None if value is None else str(value)

    async def load(self, user_id: str) -> User | None:
        """The stored user, or None before their first turn was committed."""
        data = await self._redis.hgetall(self._keys.user(user_id))  # type: ignore[misc]
        return User.from_hash(data) if data else None

    async def living(self, user_id: str) -> str:
        """`user_id`, or the customer it was merged into since (`bot.store.living`)."""
        return await living_id(self._redis, self._keys, user_id)

    async def find(self, channel: str, external_id: str) -> User | None:
        """The user behind an identity, or None."""
        user_id = await self.find_id(channel, external_id)
        return None if user_id is None else await self.load(user_id)

    async def stage_history(self, user_id: str) -> list[Transition]:
        """Every stage transition of the user, oldest first."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.hget(self._keys.user(user_id), START_FIELD)
            pipe.lrange(self._keys.stage_history(user_id), 0, -1)
            start, listed = await pipe.execute()
        return history_of(start, listed)
