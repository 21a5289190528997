"""The customer's turn lease across replicas: exactly once, fenced, woken without polling."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from redis.asyncio import Connection, ConnectionPool, Redis

from bot.config import Settings
from bot.inbound import Inbound
from bot.lifecycle import Stage
from bot.store.keys import Keys
from bot.store.lease import LockLost
from bot.store.ordering import TurnLocks
from bot.store.transcript import Transcript
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.user import User
from bot.wiring import build_components
from tests.conftest import REDIS_URL


class Counting(Connection):
    """Counts the requests this client writes to Redis (not a new connection's handshake)."""

    sent = 0

    async def send_packed_command(self, command: Any, check_health: bool = True) -> None:
        packed = command if isinstance(command, bytes) else b"".join(command)
        if b"SETINFO" not in packed:
            Counting.sent += 1
        await super().send_packed_command(command, check_health)


@pytest.fixture
async def second() -> AsyncIterator[Redis]:
    """Another replica's connection to the same Redis, counting its requests."""
    pool = ConnectionPool.from_url(REDIS_URL, decode_responses=True, connection_class=Counting)
    client = Redis(connection_pool=pool)
    yield client
    await client.aclose()
    await pool.disconnect()


def customer(user_id: str, stage: Stage = Stage.AWARENESS) -> User:
    return User(id=user_id, created=1.0, locale="en", stage=stage, stage_entered_at=1.0)


async def test_a_redelivered_message_is_processed_once_across_replicas(
    settings: Settings, redis: Redis, second: Redis
) -> None:
    replicas = [build_components(settings, redis, None), build_components(settings, second, None)]
    message = Inbound("rest", "twice", "/ask_price", message_id="tg-42")
    first = await asyncio.gather(*(replicas[i % 2].engine.handle(message) for i in range(6)))
    again = await replicas[1].engine.handle(message)
    assert all(replies == first[0] for replies in [*first, again])
    user = await replicas[0].users.find("rest", "twice")
    assert user is not None
    entries = await replicas[0].transcript.read(user.id)
    assert [e["turn"] for e in entries if e["dir"] == "in"] == ["tg-42"]


async def test_a_holder_whose_lease_expired_cannot_commit(redis: Redis, prefix: str) -> None:
    keys = Keys(prefix)
    turns = Turns(redis, keys, Transcript(redis, keys))
    stalled, other = TurnLocks(redis, keys, lease_seconds=0.2), TurnLocks(redis, keys)
    async with stalled.hold("u1"):
        # A replica stalled past its lease (no renewal ran): the lease ran out.
        await redis.delete(keys.turn_lock("u1"))
        async with other.hold("u1"):
            await turns.commit(TurnWrite(user=customer("u1", Stage.DECISION)), release=True)
        with pytest.raises(LockLost):
            await turns.commit(TurnWrite(user=customer("u1", Stage.AWARENESS)))
    assert await stage_of(redis, keys, "u1") == "decision"


async def test_a_waiting_replica_sleeps_until_the_release_wakes_it(
    redis: Redis, second: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    holder, waiter = TurnLocks(redis, keys), TurnLocks(second, keys)
    order: list[str] = []

    async def wait_for_turn() -> None:
        async with waiter.hold("u2"):
            order.append("waiter")

    async with holder.hold("u2"):
        Counting.sent = 0
        waiting = asyncio.create_task(wait_for_turn())
        await asyncio.sleep(0.5)
        asked_while_held = Counting.sent
        order.append("holder")
    await asyncio.wait_for(waiting, timeout=10)  # the lease would last 30 s
    assert order == ["holder", "waiter"]
    # One attempt and one blocking wait: no polling while the lease was held.
    assert asked_while_held <= 2


async def test_a_crashed_holder_delays_the_next_turn_only_until_its_lease_ends(
    redis: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    await redis.set(keys.turn_lock("u3"), "crashed", px=300)  # never released
    locks = TurnLocks(redis, keys)
    async with asyncio.timeout(10):
        async with locks.hold("u3") as begun:
            assert begun.lease is not None and begun.lease.token != "crashed"


async def test_turns_of_one_process_queue_in_memory_behind_the_holder(
    settings: Settings, second: Redis
) -> None:
    engine = build_components(settings, second, None).engine
    await engine.handle(Inbound("rest", "busy", "/greet", message_id="0"))
    Counting.sent = 0
    await asyncio.gather(
        *(engine.handle(Inbound("rest", "busy", "/thank", message_id=str(i))) for i in range(1, 21))
    )
    # Each turn takes the lease and commits: nobody waits, or polls, in Redis.
    assert Counting.sent <= 2 * 20


async def stage_of(redis: Redis, keys: Keys, user_id: str) -> str | None:
    """The stored customer's stage, as the bot loads it."""
    user = await Users(redis, keys).load(user_id)
    return None if user is None else user.stage.value
