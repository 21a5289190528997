"""Per-user ordering: one turn per user at a time, across every bot replica.

The Redis lock is a short lease, renewed while the turn runs, so a lock stranded by a
crash or a Redis restart (the append-only file keeps it) frees the customer within one
lease. Each holder has its own token: release and commit check it (fencing), so a turn
whose lease ran out while it was stalled cannot release or overwrite its successor's work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.errors import BotError
from bot.locks import KeyedLocks
from bot.store.keys import Keys

log = logging.getLogger(__name__)

# Long enough that a renewal every third of it survives a busy event loop; short enough
# that a customer whose lock outlived its holder (a crash, a Redis restart) waits seconds.
LEASE_SECONDS = 5.0

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""
_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionRefusedError)


class LockLost(BotError):
    """The turn's lease ran out and another turn may hold the customer: nothing was written."""


@dataclass(frozen=True, slots=True)
class Fence:
    """The lock key of a held turn and the holder's token, for `Turns.commit` to check."""

    key: str
    token: str


# The turn locks this task holds, by user id; a commit checks the customer's fence.
_HELD: ContextVar[Mapping[str, Fence] | None] = ContextVar("turn_locks_held", default=None)


def fence_of(user_id: str) -> Fence | None:
    """The fence of `user_id`'s lock when the current task holds it, else None."""
    return (_HELD.get() or {}).get(user_id)


class TurnLocks:
    """A Redis lease per user, fronted by a local FIFO lock.

    The local `asyncio.Lock` queues this process's turns of one user in arrival order
    and keeps them from polling Redis; the Redis lease orders turns across replicas.
    """

    def __init__(self, redis: Redis, keys: Keys, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self._redis = redis
        self._keys = keys
        self._lease = lease_seconds
        self._lease_ms = int(lease_seconds * 1000)
        self._local: KeyedLocks[str] = KeyedLocks()
        self._release = redis.register_script(_RELEASE)
        self._renew = redis.register_script(_RENEW)

    @asynccontextmanager
    async def hold(self, user_id: str) -> AsyncIterator[None]:
        """Hold the user's turn lock for the duration of the block, renewing its lease."""
        async with self._local.hold(user_id):
            fence = Fence(self._keys.turn_lock(user_id), secrets.token_hex(8))
            await self._acquire(fence)
            renewing = asyncio.create_task(self._keep(fence))
            held = _HELD.set({**(_HELD.get() or {}), user_id: fence})
            try:
                yield
            finally:
                _HELD.reset(held)
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                await self._let_go(fence)

    async def _acquire(self, fence: Fence) -> None:
        delay = 0.002
        while not await self._redis.set(fence.key, fence.token, nx=True, px=self._lease_ms):
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    async def _keep(self, fence: Fence) -> None:
        """Renew the lease every third of it until cancelled or lost."""
        while True:
            await asyncio.sleep(self._lease / 3)
            try:
                if not await self._renew(keys=[fence.key], args=[fence.token, self._lease_ms]):
                    log.warning(
                        "turn lock %s lost its lease; its commit will be refused", fence.key
                    )
                    return
            except _UNREACHABLE:
                continue  # Redis is away; the turn itself will fail or the next renewal succeed

    async def _let_go(self, fence: Fence) -> None:
        try:
            await self._release(keys=[fence.key], args=[fence.token])
        except _UNREACHABLE as exc:
            # The lease runs out on its own, within LEASE_SECONDS of its last renewal.
            log.warning("turn lock %s not released (Redis unreachable: %s)", fence.key, exc)
