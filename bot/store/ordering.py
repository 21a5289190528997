"""Per-user ordering: one turn per user at a time, across every bot replica.

The Redis lock is a short lease (`bot.store.lease`), renewed while the turn runs, so a
lock stranded by a crash or a Redis restart (the append-only file keeps it) frees the
customer within one lease. Each holder has its own token: release and commit check it
(fencing), so a turn whose lease ran out while it was stalled cannot release or
overwrite its successor's work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from redis.asyncio import Redis
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.locks import KeyedLocks
from bot.store.keys import Keys
from bot.store.lease import Begun, Lease, Leases, LockLost, current_leases

__all__ = ["LEASE_SECONDS", "LockLost", "TurnLocks"]

log = logging.getLogger(__name__)

# Long enough that a renewal every third of it survives a busy event loop; short enough
# that a customer whose lock outlived its holder (a crash, a Redis restart) waits seconds.
LEASE_SECONDS = 5.0
_UNREACHABLE = (RedisConnectionError, RedisTimeoutError, ConnectionRefusedError)


class TurnLocks:
    """A Redis lease per user, fronted by a local FIFO lock.

    The local `asyncio.Lock` queues this process's turns of one user in arrival order,
    in memory; only its head talks to Redis, and it waits there without polling.
    """

    def __init__(self, redis: Redis, keys: Keys, *, lease_seconds: float = LEASE_SECONDS) -> None:
        self._leases = Leases(redis, keys, ttl_seconds=lease_seconds)
        self._lease = lease_seconds
        self._local: KeyedLocks[str] = KeyedLocks()

    @asynccontextmanager
    async def hold(
        self, user_id: str, message_id: str | None = None, *, load: bool = False
    ) -> AsyncIterator[Begun]:
        """Hold the user's turn lease for the block, renewing it.

        What taking the lease found is yielded. With `message_id`, a message already
        answered yields its answer and no lease; with `load`, the customer as stored and
        their referral counts come along. A commit inside the block is fenced by the
        lease (see `Turns.commit`).
        """
        async with self._local.hold(user_id):
            begun = await self._leases.take(user_id, message_id, load=load)
            lease = begun.lease
            if lease is None:
                yield begun
                return
            renewing = asyncio.create_task(self._keep(lease))
            held = current_leases.set({**(current_leases.get() or {}), user_id: lease})
            try:
                yield begun
            finally:
                current_leases.reset(held)
                renewing.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await renewing
                await self._let_go(lease)

    async def _keep(self, lease: Lease) -> None:
        """Renew the lease every third of it until cancelled, released or lost."""
        while True:
            await asyncio.sleep(self._lease / 3)
            if lease.released:
                return
            try:
                if not await self._leases.renew(lease):
                    log.warning("turn lock of %s lost its lease; its commit will be refused",
                                lease.user_id)  # fmt: skip
                    return
            except _UNREACHABLE:
                continue  # Redis is away; the turn itself will fail or the next renewal succeed

    async def _let_go(self, lease: Lease) -> None:
        try:
            await self._leases.release(lease)
        except _UNREACHABLE as exc:
            # The lease runs out on its own, within LEASE_SECONDS of its last renewal.
            log.warning("turn lock of %s not released (Redis unreachable: %s)", lease.user_id, exc)
