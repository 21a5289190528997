"""Per-user ordering: one turn per user at a time, across every bot replica."""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from bot.locks import KeyedLocks
from bot.store.keys import Keys

_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class TurnLocks:
    """A Redis lock per user, fronted by a local FIFO lock.

    The local `asyncio.Lock` queues this process's turns of one user in arrival order
    and keeps them from polling Redis; the Redis lock orders turns across replicas.
    The lock expires after `ttl_seconds` so a crashed replica cannot block a customer.
    """

    def __init__(self, redis: Redis, keys: Keys, *, ttl_seconds: float = 30.0) -> None:
        self._redis = redis
        self._keys = keys
        self._ttl_ms = int(ttl_seconds * 1000)
        self._local: KeyedLocks[str] = KeyedLocks()
        self._release = redis.register_script(_RELEASE)

    @asynccontextmanager
    async def hold(self, user_id: str) -> AsyncIterator[None]:
        """Hold the user's turn lock for the duration of the block."""
        async with self._local.hold(user_id):
            token = secrets.token_hex(8)
            key = self._keys.turn_lock(user_id)
            await self._acquire(key, token)
            try:
                yield
            finally:
                await self._release(keys=[key], args=[token])

    async def _acquire(self, key: str, token: str) -> None:
        delay = 0.002
        while not await self._redis.set(key, token, nx=True, px=self._ttl_ms):
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)
