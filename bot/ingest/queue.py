"""Storing an update in its shard's stream, before the platform gets its 200."""

from __future__ import annotations

import zlib
from dataclasses import dataclass

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.errors import BotError
from bot.store.keys import Keys

GROUP = "turns"  # the consumer group of every shard stream

# Queue an update, unless its `once` key exists (a replay of a request already queued).
# The once key and the stream share the shard's hash tag, so this is one atomic step.
_PUSH = """
if ARGV[1] ~= '' then
  if not redis.call('set', KEYS[2], '1', 'NX', 'EX', ARGV[1]) then
    return false
  end
end
return redis.call('xadd', KEYS[1], '*', 'kind', ARGV[2], 'key', ARGV[3], 'body', ARGV[4])
"""


class IngestUnavailable(BotError):
    """The update could not be stored (Redis is unreachable): the platform must retry."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One stored update: which channel handles it (`kind`), whose it is (`key`), the data."""

    id: str
    kind: str
    key: str
    body: str


def shard_of(key: str, shards: int) -> int:
    """The shard of an ordering key: stable across processes and restarts."""
    return zlib.crc32(key.encode()) % shards


class IngestQueue:
    """Appends updates to the shard streams."""

    def __init__(self, redis: Redis, keys: Keys, *, shards: int) -> None:
        self.redis = redis
        self.keys = keys
        self.shards = shards
        self._push = redis.register_script(_PUSH)

    def stream(self, shard: int) -> str:
        """The stream key of `shard`."""
        return self.keys.ingest(shard, "stream")

    async def push(
        self, kind: str, key: str, body: str, *, once: str | None = None, once_ttl: int = 0
    ) -> bool:
        """Store one update for the turn workers; False when `once` was seen before.

        `key` orders the updates (one customer's run in the order stored); `once` names a
        request that must be queued at most once within `once_ttl` seconds.

        Raises:
            IngestUnavailable: Redis did not store it.

        """
        shard = shard_of(key, self.shards)
        once_key = self.keys.ingest(shard, f"once:{once}") if once else self.stream(shard)
        ttl = str(max(1, once_ttl)) if once else ""
        try:
            stored = await self._push(
                keys=[self.stream(shard), once_key], args=[ttl, kind, key, body]
            )
        except (RedisError, OSError) as exc:
            raise IngestUnavailable(f"update not stored: {exc}") from exc
        return stored is not None
