"""Per-user ordering: one turn per user at a time, across every bot replica."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis

from bot.locks import KeyedLocks
from bot.store.keys import Keys
from bot.store.lease import Begun, Leases, current_lease


class TurnLocks:
    """A Redis lease per user (`bot.store.lease`), fronted by a local FIFO lock.

    The local `asyncio.Lock` queues this process's turns of one user in arrival order,
    in memory; only its head talks to Redis. The lease orders turns across replicas and
    expires after `ttl_seconds`, so a crashed replica cannot block a customer for longer.
    """

    def __init__(self, redis: Redis, keys: Keys, *, ttl_seconds: float = 30.0) -> None:
        self._leases = Leases(redis, keys, ttl_seconds=ttl_seconds)
        self._local: KeyedLocks[str] = KeyedLocks()

    @asynccontextmanager
    async def hold(
        self, user_id: str, message_id: str | None = None, *, load: bool = False
    ) -> AsyncIterator[Begun]:
        """Hold the user's turn lease for the block; what taking it found is yielded.

        With `message_id`, a message already answered yields its answer and no lease;
        with `load`, the customer as stored and their referral counts come along. A
        commit inside the block is fenced by the lease (see `Turns.commit`).
        """
        async with self._local.hold(user_id):
            begun = await self._leases.take(user_id, message_id, load=load)
            reset = current_lease.set(begun.lease)
            try:
                yield begun
            finally:
                current_lease.reset(reset)
                if begun.lease is not None:
                    await self._leases.release(begun.lease)

    @property
    def leases(self) -> Leases:
        """The Redis side, for commits that end a lease."""
        return self._leases
