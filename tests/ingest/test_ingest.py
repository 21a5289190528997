"""The durable ingest on a real Redis: order per customer, shares, takeover, failures."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from redis.asyncio import Redis

from bot.ingest.queue import Entry, IngestQueue, shard_of
from bot.ingest.workers import Ingest
from bot.store.keys import Keys


class Runs:
    """A handler recording the bodies it ran, by ordering key; it can be told to fail."""

    def __init__(self) -> None:
        self.by_key: dict[str, list[str]] = {}
        self.fail: Callable[[Entry], bool] = lambda _: False
        self.attempts = 0

    async def __call__(self, entry: Entry) -> None:
        self.attempts += 1
        await asyncio.sleep(0.001)
        if self.fail(entry):
            raise RuntimeError(f"cannot run {entry.body}")
        self.by_key.setdefault(entry.key, []).append(entry.body)

    def count(self) -> int:
        return sum(len(bodies) for bodies in self.by_key.values())


def replica(redis: Redis, prefix: str, runs: Runs, *, claim: float = 1.0) -> Ingest:
    ingest = Ingest(IngestQueue(redis, Keys(prefix), shards=4), claim_seconds=claim, block_ms=100)
    ingest.handle("test", runs)
    return ingest


async def until(condition: Callable[[], bool], within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        await asyncio.sleep(0.02)


async def test_each_customer_in_order_across_two_replicas(redis: Redis, prefix: str) -> None:
    runs = Runs()
    one, two = replica(redis, prefix, runs), replica(redis, prefix, runs)
    await one.start()
    try:
        await until(lambda: len(one.shards) == 4)  # alone, it takes every shard
        await two.start()
        # A replica that joins gets its share from the others within a renewal period or
        # two (a third of the claim time each); on the way the split may be 3/1.
        await until(lambda: len(one.shards) == len(two.shards) == 2, within=5.0)
        sent = {f"c{c}": [f"c{c}-{n}" for n in range(25)] for c in range(12)}
        for n in range(25):
            for key, bodies in sent.items():
                assert await one.push("test", key, bodies[n])
        await until(lambda: runs.count() == 300)
        assert runs.by_key == sent
    finally:
        await one.stop()
        await two.stop()
    assert not await redis.xlen(Keys(prefix).ingest(shard_of("c0", 4), "stream"))  # acked


async def test_a_replay_of_a_once_key_is_not_stored(redis: Redis, prefix: str) -> None:
    ingest = replica(redis, prefix, Runs())
    assert await ingest.push("test", "c", "first", once="sig-1", once_ttl=60)
    assert not await ingest.push("test", "c", "again", once="sig-1", once_ttl=60)


async def test_a_dead_replicas_pending_entries_are_claimed(redis: Redis, prefix: str) -> None:
    stuck, runs = Runs(), Runs()
    stuck.fail = lambda _: True  # it reads, fails, never acknowledges
    dying = replica(redis, prefix, stuck)
    await dying.start()
    await until(lambda: len(dying.shards) == 4)
    for n in range(5):
        await dying.push("test", "c1", f"m{n}")
    await until(lambda: stuck.attempts >= 1)
    # The replica dies: its tasks end, its leases are not released.
    assert dying._balancing is not None
    dying._balancing.cancel()
    for _, task in dying._consumers.values():
        task.cancel()
    heir = replica(redis, prefix, runs)
    await heir.start()
    try:
        await until(lambda: runs.count() == 5, within=10)
        assert runs.by_key == {"c1": [f"m{n}" for n in range(5)]}
    finally:
        await heir.stop()


async def test_a_failing_entry_is_retried_then_kept_aside(redis: Redis, prefix: str) -> None:
    runs = Runs()
    tries: dict[str, int] = {}

    def fail(entry: Entry) -> bool:
        tries[entry.body] = tries.get(entry.body, 0) + 1
        return entry.body == "poison" or (entry.body == "flaky" and tries["flaky"] < 3)

    runs.fail = fail
    ingest = replica(redis, prefix, runs)
    await ingest.start()
    try:
        for body in ("a", "flaky", "b", "poison", "c"):
            await ingest.push("test", "c1", body)
        await until(lambda: runs.count() == 4)
    finally:
        await ingest.stop()
    assert runs.by_key == {"c1": ["a", "flaky", "b", "c"]}  # the order held through retries
    assert tries["flaky"] == 3 and tries["poison"] == 5
    dead = await redis.xrange(Keys(prefix).ingest_dead())
    assert [fields["body"] for _, fields in dead] == ["poison"]
