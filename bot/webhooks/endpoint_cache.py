"""The endpoint list a turn's webhook observer reads, kept in the process.

Reading `{webhooks}:endpoints` after every commit with events cost a turn one Redis
round trip; endpoints change a few times a year. A change made in this process drops
the list at once (`Endpoints.changed`); one made by another replica is announced on
pub/sub (`Keys.webhooks_channel`). `max_age` bounds how stale the list can be when an
announcement is missed (a reconnect, or a Redis Cluster, which has no pub/sub here).
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable

from redis.asyncio import Redis
from redis.exceptions import RedisError

from bot.store.connection import supports_pubsub
from bot.webhooks.endpoints import Endpoint, Endpoints

log = logging.getLogger(__name__)
MAX_AGE = 5.0


class EndpointCache:
    """Every endpoint, oldest first, read from Redis at most once per change or `max_age`."""

    def __init__(
        self,
        redis: Redis,
        endpoints: Endpoints,
        *,
        max_age: float = MAX_AGE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._redis = redis
        self._endpoints = endpoints
        self._max_age = max_age
        self._clock = clock
        self._list: list[Endpoint] | None = None
        self._read_at = 0.0
        # Bumped by every change: a read that started before one is not kept.
        self._generation = 0
        endpoints.changed.append(self.invalidate)

    def invalidate(self) -> None:
        """Forget the list; the next `all` reads Redis."""
        self._generation += 1
        self._list = None

    async def all(self) -> list[Endpoint]:
        """Every endpoint, as of at most `max_age` seconds ago or the last announced change."""
        if self._list is not None and self._clock() - self._read_at < self._max_age:
            return self._list
        generation, started = self._generation, self._clock()
        fresh = await self._endpoints.all()
        if generation == self._generation:
            self._list, self._read_at = fresh, started
        return fresh

    async def run(self) -> None:
        """Drop the list on every announced change until cancelled."""
        if not supports_pubsub(self._redis):
            return  # a cluster client: `max_age` alone keeps the list fresh
        while True:
            try:
                await self._listen()
            except RedisError as exc:
                log.warning("webhook endpoint changes: Redis error %s; retrying", exc)
                self.invalidate()
                await asyncio.sleep(1.0)

    async def _listen(self) -> None:
        async with self._redis.pubsub(ignore_subscribe_messages=True) as pubsub:
            await pubsub.subscribe(self._endpoints.channel)
            self.invalidate()  # whatever changed while nobody listened
            while True:
                if await pubsub.get_message(timeout=self._max_age) is not None:
                    self.invalidate()
