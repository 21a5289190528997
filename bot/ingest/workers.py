"""The ingest of one replica: what webhooks push to, and the consumers of its shards.

Channels register a handler for their kind of update (`handle`) and push updates
(`push`); the replica consumes its share of the shards while at least one channel that
uses the ingest runs (`start`/`stop` are counted, so every channel can call them).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import uuid

from bot.errors import BotError
from bot.ingest.consumer import TRANSIENT, Handle, ShardConsumer
from bot.ingest.leases import ShardLeases
from bot.ingest.queue import Entry, IngestQueue

log = logging.getLogger(__name__)


class UnknownKind(BotError):
    """An entry no registered channel handles (a channel enabled on another replica only)."""


class Ingest:
    """Durable ingest for the channels of this replica."""

    def __init__(
        self,
        queue: IngestQueue,
        *,
        claim_seconds: float,
        block_ms: int = 1000,
        stop_grace_seconds: float = 5.0,
    ) -> None:
        self.queue = queue
        self.replica = uuid.uuid4().hex[:12]
        self._leases = ShardLeases(
            queue.redis,
            queue.keys,
            shards=queue.shards,
            replica=self.replica,
            ttl_seconds=claim_seconds,
        )
        self._period = claim_seconds / 3
        self._block_ms = block_ms
        self._grace = stop_grace_seconds
        self._handlers: dict[str, Handle] = {}
        self._consumers: dict[int, tuple[ShardConsumer, asyncio.Task[None]]] = {}
        self._users = 0
        self._balancing: asyncio.Task[None] | None = None

    def handle(self, kind: str, handler: Handle) -> None:
        """Run `handler` for every entry of `kind` (a channel's name)."""
        self._handlers[kind] = handler

    async def push(
        self, kind: str, key: str, body: str, *, once: str | None = None, once_ttl: int = 0
    ) -> bool:
        """Store an update durably (see `IngestQueue.push`); False for a replay of `once`."""
        return await self.queue.push(kind, key, body, once=once, once_ttl=once_ttl)

    @property
    def shards(self) -> list[int]:
        """The shards this replica consumes now."""
        return sorted(self._consumers)

    async def start(self) -> None:
        """Start consuming (the first caller starts it; later calls only count)."""
        self._users += 1
        if self._users == 1:
            self._balancing = asyncio.create_task(self._balance_forever(), name="ingest")

    async def stop(self) -> None:
        """Stop consuming when the last user stops: finish what runs, free the shards."""
        self._users = max(0, self._users - 1)
        if self._users or self._balancing is None:
            return
        self._balancing.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self._balancing
        self._balancing = None
        await asyncio.gather(*(self._drop(shard, release=True) for shard in list(self._consumers)))
        with contextlib.suppress(*TRANSIENT):
            await self._leases.leave()

    async def balance(self) -> None:
        """Keep this replica's leases, give up shards over its share, take free ones."""
        share = await self._leases.share()
        for shard in list(self._consumers):
            if not await self._leases.renew(shard):
                log.warning("ingest: lost shard %s to another replica", shard)
                await self._drop(shard, release=False)
        for shard in list(self._consumers)[share:]:
            await self._drop(shard, release=True)
        free = [s for s in range(self.queue.shards) if s not in self._consumers]
        random.shuffle(free)  # replicas starting together try different shards first
        for shard in free:
            if len(self._consumers) >= share:
                break
            if await self._leases.acquire(shard):
                await self._take(shard)

    async def _balance_forever(self) -> None:
        while True:
            try:
                await self.balance()
            except TRANSIENT as exc:
                log.warning("ingest: cannot renew the shard leases (%s)", exc)
            except Exception:  # a bug here must not stop the consumption for good
                log.exception("ingest: balancing the shards failed")
            await asyncio.sleep(self._period)

    async def _take(self, shard: int) -> None:
        consumer = ShardConsumer(
            self.queue.redis,
            self.queue.keys,
            shard,
            self.replica,
            self._dispatch,
            block_ms=self._block_ms,
        )
        await consumer.ensure_group()
        claimed = await consumer.claim_pending()
        if claimed:
            log.info("ingest: shard %s taken over with %d pending entries", shard, claimed)
        task = asyncio.create_task(consumer.run(), name=f"ingest-shard-{shard}")
        self._consumers[shard] = (consumer, task)

    async def _drop(self, shard: int, *, release: bool) -> None:
        consumer, task = self._consumers.pop(shard)
        consumer.stopping = True
        if consumer.reading:
            task.cancel()
        try:
            await asyncio.wait_for(asyncio.shield(task), self._grace)
        except TimeoutError:
            log.warning("ingest: shard %s still busy after %s s; cancelled", shard, self._grace)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        except asyncio.CancelledError:
            if not task.cancelled():
                raise
        if release:
            with contextlib.suppress(*TRANSIENT):
                await self._leases.release(shard)

    async def _dispatch(self, entry: Entry) -> None:
        handler = self._handlers.get(entry.kind)
        if handler is None:
            raise UnknownKind(f"no channel handles {entry.kind!r} updates here")
        await handler(entry)
