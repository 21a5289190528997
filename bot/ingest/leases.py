"""Which replica consumes which shard: a lease per shard, and a fair share per replica.

A lease is a key holding the replica's id with an expiry (the claim timeout), renewed
while the replica runs. A replica that dies stops renewing; once its leases expire other
replicas take its shards and claim the entries it left pending. Replicas announce
themselves with a heartbeat, so each knows how many run and takes at most its share of
the shards (a replica that joins gets shards from the others within a renewal period).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from redis.asyncio import Redis

from bot.store.keys import Keys

_RENEW = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('pexpire', KEYS[1], ARGV[2])
end
return 0
"""
_RELEASE = """
if redis.call('get', KEYS[1]) == ARGV[1] then
  return redis.call('del', KEYS[1])
end
return 0
"""


class ShardLeases:
    """The leases of one replica (`replica` is its id)."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        *,
        shards: int,
        replica: str,
        ttl_seconds: float,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._shards = shards
        self.replica = replica
        self._ttl_ms = int(ttl_seconds * 1000)
        self._ttl = ttl_seconds
        self._clock = clock
        self._renew = redis.register_script(_RENEW)
        self._release = redis.register_script(_RELEASE)

    async def share(self) -> int:
        """Announce this replica; how many shards it should hold (all live replicas alike)."""
        now = self._clock()
        key = self._keys.ingest_replicas()
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {self.replica: now})
            pipe.zremrangebyscore(key, "-inf", now - self._ttl)
            pipe.zcard(key)
            *_, live = await pipe.execute()
        return math.ceil(self._shards / max(1, int(live)))

    async def acquire(self, shard: int) -> bool:
        """Take `shard` if nobody holds it."""
        taken = await self._redis.set(
            self._keys.ingest(shard, "lease"), self.replica, nx=True, px=self._ttl_ms
        )
        return bool(taken)

    async def renew(self, shard: int) -> bool:
        """Extend this replica's lease of `shard`; False when it lost it."""
        key = self._keys.ingest(shard, "lease")
        return bool(await self._renew(keys=[key], args=[self.replica, self._ttl_ms]))

    async def release(self, shard: int) -> None:
        """Let another replica take `shard` now."""
        await self._release(keys=[self._keys.ingest(shard, "lease")], args=[self.replica])

    async def leave(self) -> None:
        """Stop counting this replica in the shares (it stops)."""
        await self._redis.zrem(self._keys.ingest_replicas(), self.replica)
