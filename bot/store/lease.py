"""A customer's turn lease in Redis: taken with a fencing token, waited for without polling.

The fencing token is the Redis server's time (µs) when the lease was taken: unique per
customer (one lease at a time) and growing with the clock, with no key to keep for it.
Taking the lease is one script (`BEGIN`) that also answers what every turn asks first —
was this message id already answered, who is the customer, how many friends did they
bring — so a turn starts in one round trip. A turn's commit checks the token and
releases the lease in the same script (`bot.store.turns`), so a holder whose lease
expired (a stalled replica) can no longer write.

Waiting: a replica that finds the lease held counts itself in the customer's `wanted`
key and blocks on the customer's `wake` list (BLPOP) until a release pushes to it, or
until the lease would expire (a crashed holder). A release pushes only when somebody
waits; taking the lease clears pushes meant for an earlier release. Waiters of one
process queue in memory in front of this (`TurnLocks`), so only one per process waits
in Redis. All keys share the customer's hash tag: one Redis Cluster slot.
"""

from __future__ import annotations

from collections.abc import Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field

from redis.asyncio import Redis

from actions.context import Referrals
from bot.errors import BotError
from bot.store.answers import ANSWER_TTL_SECONDS, LATEST
from bot.store.keys import Keys

# KEYS: lock, wake, wanted, user, joined, credited[, answer]
# ARGV: lease ms, "1" when this caller waited before, "1" to load the customer,
# message id, answer ttl (s)
_BEGIN = (
    LATEST
    + """
local waited = ARGV[2] == '1'
local function unwait()
  if waited and redis.call('decr', KEYS[3]) <= 0 then redis.call('del', KEYS[3]) end
end
if KEYS[7] then
  local answer = redis.call('get', KEYS[7]) or latest(KEYS[4], ARGV[4], tonumber(ARGV[5]))
  if answer then unwait() return {2, answer} end
end
local pttl = redis.call('pttl', KEYS[1])
if pttl ~= -2 then
  if not waited then redis.call('incr', KEYS[3]) end
  redis.call('pexpire', KEYS[3], 2 * tonumber(ARGV[1]))
  return {0, pttl}
end
local now = redis.call('time')
local token = now[1] .. string.format('%06d', now[2])
redis.call('set', KEYS[1], token, 'px', ARGV[1])
redis.call('del', KEYS[2])
unwait()
if ARGV[3] ~= '1' then return {1, token} end
return {1, token, false, redis.call('hgetall', KEYS[4]),
        redis.call('scard', KEYS[5]), redis.call('scard', KEYS[6])}
"""
)

# What ends a lease, shared by the release and the commit scripts (after their writes).
WAKE = """
redis.call('del', KEYS[1])
if tonumber(redis.call('get', KEYS[3]) or '0') > 0 then
  redis.call('lpush', KEYS[2], '1')
  redis.call('pexpire', KEYS[2], ARGV[2])
end
"""

# KEYS: lock; ARGV: token, lease ms
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""

# KEYS: lock, wake, wanted; ARGV: token, wake list ms
_RELEASE = (
    """
if redis.call('get', KEYS[1]) ~= ARGV[1] then return 0 end
"""
    + WAKE
    + "return 1"
)

_BUSY, _TAKEN, _ANSWERED = 0, 1, 2
_MIN_WAIT_SECONDS = 0.005  # BLPOP's timeout 0 would mean forever


class LockLost(BotError):
    """The turn's lease ran out and another turn may hold the customer: nothing was written."""


@dataclass(slots=True)
class Lease:
    """A held lease: the customer and the fencing token their commit must show."""

    user_id: str
    token: str
    released: bool = False


@dataclass(slots=True)
class Begun:
    """What taking the lease found: a stored answer, or the customer as stored."""

    lease: Lease | None
    answer: str | None = None
    """The stored answer (`bot.store.answers`) when the message id was already answered."""
    user: dict[str, str] = field(default_factory=dict)
    referrals: Referrals = field(default_factory=Referrals)


# The leases this task holds, by user id, so a commit under `TurnLocks.hold` is fenced.
current_leases: ContextVar[Mapping[str, Lease] | None] = ContextVar("leases", default=None)


def lease_of(user_id: str) -> Lease | None:
    """The lease of `user_id` when the current task holds it, else None."""
    return (current_leases.get() or {}).get(user_id)


class Leases:
    """Takes and releases customers' turn leases."""

    def __init__(self, redis: Redis, keys: Keys, *, ttl_seconds: float) -> None:
        self._redis = redis
        self._keys = keys
        self.ttl_ms = int(ttl_seconds * 1000)
        self._begin = redis.register_script(_BEGIN)
        self._release = redis.register_script(_RELEASE)
        self._renew = redis.register_script(_RENEW)

    def end_keys(self, user_id: str) -> list[str]:
        """The keys a lease's end touches: lock, wake list, waiter count."""
        k = self._keys
        return [k.turn_lock(user_id), k.wake(user_id), k.wanted(user_id)]

    async def take(self, user_id: str, message_id: str | None, *, load: bool) -> Begun:
        """Take the lease (waiting for it), unless `message_id` was already answered."""
        k = self._keys
        keys = [k.turn_lock(user_id), k.wake(user_id), k.wanted(user_id)]
        keys += [k.user(user_id), k.referrals(user_id, "joined"), k.referrals(user_id, "credited")]
        if message_id is not None:
            keys.append(k.inbound(user_id, message_id))
        waited = "0"
        while True:
            args: list[str | int] = [
                self.ttl_ms,
                waited,
                int(load),
                message_id or "",
                ANSWER_TTL_SECONDS,
            ]
            found = await self._begin(keys=keys, args=args)
            if found[0] == _ANSWERED:
                return Begun(None, answer=str(found[1]))
            if found[0] == _TAKEN:
                return _begun(Lease(user_id, str(found[1])), found)
            waited = "1"
            timeout = max(int(found[1]) / 1000, _MIN_WAIT_SECONDS)
            await self._redis.blpop([k.wake(user_id)], timeout=timeout)  # type: ignore[misc]

    async def renew(self, lease: Lease) -> bool:
        """Extend the lease by its length again; False when it is no longer ours."""
        key = self._keys.turn_lock(lease.user_id)
        return bool(await self._renew(keys=[key], args=[lease.token, self.ttl_ms]))

    async def release(self, lease: Lease) -> None:
        """End the lease if it is still ours, waking a waiter of another process."""
        if lease.released:
            return
        lease.released = True
        await self._release(keys=self.end_keys(lease.user_id), args=[lease.token, self.ttl_ms])


def _begun(lease: Lease, found: list[object]) -> Begun:
    if len(found) < 4:
        return Begun(lease)
    flat = found[3]
    assert isinstance(flat, list)
    user = dict(zip(flat[::2], flat[1::2], strict=True))
    return Begun(lease, user=user, referrals=Referrals(int(str(found[4])), int(str(found[5]))))
