"""Consuming one shard: entries in stream order per customer, acknowledged after their turn.

The consumer first runs what is pending for it (entries it read before and did not
acknowledge, and those it claimed from a previous owner), then new entries. In a batch,
different customers run concurrently and one customer's entries one after another; an
entry that fails stops its customer's entries of the batch (they stay pending and run
again, in order, before anything newer). An outage of Redis is waited out; an entry that
fails for another reason `max_failures` times is moved to the dead-letter stream.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from redis.asyncio import Redis
from redis.exceptions import RedisError, ResponseError

from bot.ingest.queue import GROUP, Entry, IngestUnavailable
from bot.store.keys import Keys
from bot.store.ordering import LockLost

log = logging.getLogger(__name__)

Handle = Callable[[Entry], Awaitable[None]]

# A lost turn lease is transient too: the entry runs again under a fresh lock.
TRANSIENT: tuple[type[BaseException], ...] = (
    RedisError,
    OSError,
    TimeoutError,
    IngestUnavailable,
    LockLost,
)


def transient(exc: BaseException) -> bool:
    """Whether a failure is the store's or the network's, to wait out, not the update's."""
    return isinstance(exc, TRANSIENT)


class ShardConsumer:
    """Reads one shard's stream as `consumer` of the group, while this replica holds it."""

    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        shard: int,
        consumer: str,
        handle: Handle,
        *,
        batch: int = 64,
        block_ms: int = 1000,
        max_failures: int = 5,
    ) -> None:
        self._redis = redis
        self._keys = keys
        self._stream = keys.ingest(shard, "stream")
        self.shard = shard
        self._consumer = consumer
        self._handle = handle
        self._batch = batch
        self._block_ms = block_ms
        self._max_failures = max_failures
        self._failures: dict[str, int] = {}
        self._backlog = True
        self.stopping = False
        self.reading = False  # waiting for new entries: safe to cancel

    async def run(self) -> None:
        """Consume until `stopping` is set (or the task is cancelled while reading)."""
        pause = 0.05
        while not self.stopping:
            try:
                failed = await self._round()
            except TRANSIENT as exc:
                log.warning("ingest shard %s: %s; retrying", self.shard, exc)
                self._backlog, failed = True, True
            if failed:
                await asyncio.sleep(pause)
                pause = min(pause * 2, 1.0)
            else:
                pause = 0.05

    async def claim_pending(self) -> int:
        """Take over every entry the group's other consumers left pending (a dead owner's)."""
        claimed, cursor = 0, "0-0"
        while True:
            # (redis-py drops the cursor from a JUSTID answer, so the entries come along.)
            reply = await self._redis.xautoclaim(
                self._stream, GROUP, self._consumer, 0, cursor, count=500
            )
            cursor = str(reply[0])
            claimed += len(reply[1])
            if cursor == "0-0":
                return claimed

    async def ensure_group(self) -> None:
        """Create the stream and its group if missing (a fresh Redis)."""
        try:
            await self._redis.xgroup_create(self._stream, GROUP, id="0", mkstream=True)
        except ResponseError as exc:
            if "BUSYGROUP" not in str(exc):
                raise

    async def _round(self) -> bool:
        """Read and run one batch; True when something failed and must run again."""
        entries = await self._read()
        if not entries:
            if self._backlog:
                self._backlog = False
            return False
        by_key: dict[str, list[Entry]] = {}
        for entry in entries:
            by_key.setdefault(entry.key, []).append(entry)
        results = await asyncio.gather(*(self._run_in_order(group) for group in by_key.values()))
        failed = not all(results)
        self._backlog = self._backlog or failed
        return failed

    async def _read(self) -> list[Entry]:
        start = "0" if self._backlog else ">"
        self.reading = not self._backlog
        try:
            reply = await self._redis.xreadgroup(
                GROUP,
                self._consumer,
                {self._stream: start},
                count=self._batch,
                block=None if self._backlog else self._block_ms,
            )
        except ResponseError as exc:
            if "NOGROUP" not in str(exc):
                raise
            await self.ensure_group()
            return []
        finally:
            self.reading = False
        return [entry for _, items in reply or [] for entry in self._entries(items)]

    def _entries(self, items: list[tuple[str, dict[str, Any] | None]]) -> list[Entry]:
        found = []
        for entry_id, fields in items:
            if not fields:  # deleted while pending: nothing to run; acknowledged below
                found.append(Entry(str(entry_id), "", "", ""))
                continue
            found.append(Entry(str(entry_id), fields["kind"], fields["key"], fields["body"]))
        return found

    async def _run_in_order(self, entries: list[Entry]) -> bool:
        """Run one customer's entries; False at the first that must run again later."""
        try:
            for entry in entries:
                if entry.kind and not await self._run(entry):
                    return False
                await self._ack(entry.id)
        except TRANSIENT as exc:
            # The turn may have committed before Redis went away: it runs again, and its
            # message id makes that a no-op.
            log.warning("ingest shard %s: %s; the entry runs again", self.shard, exc)
            return False
        return True

    async def _run(self, entry: Entry) -> bool:
        """Run one entry; False when it must run again later."""
        try:
            await self._handle(entry)
        except TRANSIENT:
            raise
        except Exception:
            failures = self._failures.get(entry.id, 0) + 1
            self._failures[entry.id] = failures
            log.exception("ingest: %s entry %s failed (%d)", entry.kind, entry.id, failures)
            if failures < self._max_failures:
                return False
            await self._bury(entry)
        self._failures.pop(entry.id, None)
        return True

    async def _bury(self, entry: Entry) -> None:
        log.error("ingest: %s entry %s given up; kept in the dead letters", entry.kind, entry.id)
        fields = {"kind": entry.kind, "key": entry.key, "body": entry.body, "id": entry.id}
        await self._redis.xadd(self._keys.ingest_dead(), fields, maxlen=10_000, approximate=True)  # type: ignore[arg-type]

    async def _ack(self, entry_id: str) -> None:
        async with self._redis.pipeline(transaction=True) as pipe:
            pipe.xack(self._stream, GROUP, entry_id)
            pipe.xdel(self._stream, entry_id)
            await pipe.execute()
