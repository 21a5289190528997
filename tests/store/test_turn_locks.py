"""Turn locks are short leases: renewed while a turn runs, fenced on commit and release."""

from __future__ import annotations

import asyncio
import time

import pytest
from redis.asyncio import Redis

from bot.lifecycle import Stage
from bot.store.keys import Keys
from bot.store.ordering import LockLost, TurnLocks
from bot.store.transcript import Transcript
from bot.store.turns import Turns, TurnWrite
from bot.store.users import Users
from bot.user import User

LEASE = 0.3  # seconds: short, so the tests see several renewals


def customer(user_id: str = "42") -> User:
    return User(id=user_id, created=1.0, locale="en", stage=Stage.AWARENESS, stage_entered_at=1.0)


async def test_a_turn_longer_than_the_lease_keeps_the_customer_to_itself(
    redis: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    first, second = (
        TurnLocks(redis, keys, lease_seconds=LEASE),
        TurnLocks(redis, keys, lease_seconds=LEASE),
    )  # two replicas
    order: list[str] = []

    async def long_turn() -> None:
        async with first.hold("42"):
            order.append("first in")
            await asyncio.sleep(LEASE * 5)
            order.append("first out")

    async def next_turn() -> None:
        await asyncio.sleep(LEASE)
        async with second.hold("42"):
            order.append("second in")

    await asyncio.gather(long_turn(), next_turn())
    assert order == ["first in", "first out", "second in"]
    assert await redis.exists(keys.turn_lock("42")) == 0  # released at once


async def test_a_lock_left_behind_frees_the_customer_within_one_lease(
    redis: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    await redis.set(keys.turn_lock("42"), "a crashed replica", px=int(LEASE * 1000))
    started = time.monotonic()
    async with TurnLocks(redis, keys, lease_seconds=LEASE).hold("42"):
        waited = time.monotonic() - started
    assert waited < LEASE + 0.2


async def test_a_commit_after_the_lease_changed_hands_writes_nothing(
    redis: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    turns = Turns(redis, keys, Transcript(redis, keys))
    locks = TurnLocks(redis, keys, lease_seconds=LEASE)
    lock = keys.turn_lock("42")
    with pytest.raises(LockLost):
        async with locks.hold("42"):
            # The turn stalled past its lease and another replica took the customer.
            await redis.set(lock, "another replica", px=10_000)
            await turns.commit(TurnWrite(user=customer(), message_id="m1"))
    assert await redis.exists(keys.user("42")) == 0
    assert await turns.answered("42", "m1") is None
    assert await redis.get(lock) == "another replica"  # its lock was not released


async def test_a_commit_under_its_own_lease_is_written(redis: Redis, prefix: str) -> None:
    keys = Keys(prefix)
    turns = Turns(redis, keys, Transcript(redis, keys))
    async with TurnLocks(redis, keys, lease_seconds=LEASE).hold("42"):
        await asyncio.sleep(LEASE * 2)  # renewed meanwhile
        await turns.commit(TurnWrite(user=customer(), message_id="m1"))
    assert await stage_of(redis, keys, "42") == "awareness"
    assert await turns.answered("42", "m1") == []


async def test_another_customers_lock_does_not_fence_this_commit(redis: Redis, prefix: str) -> None:
    keys = Keys(prefix)
    turns = Turns(redis, keys, Transcript(redis, keys))
    locks = TurnLocks(redis, keys, lease_seconds=LEASE)
    async with locks.hold("42"), locks.hold("43"):
        await redis.set(keys.turn_lock("43"), "another replica", px=10_000)
        await turns.commit(TurnWrite(user=customer("42")))
    assert await Users(redis, keys).load("42") is not None


async def test_a_renewal_during_the_commit_does_not_lose_the_turn(
    redis: Redis, prefix: str
) -> None:
    keys = Keys(prefix)
    turns = Turns(redis, keys, Transcript(redis, keys))
    locks = TurnLocks(redis, keys, lease_seconds=LEASE)
    async with locks.hold("42"):
        # The commit is one script that checks the token, so a renewal next to it (which
        # touches the lock's expiry, not its holder) cannot make it fail.
        renewed = await redis.pexpire(keys.turn_lock("42"), 10_000)
        await turns.commit(TurnWrite(user=customer()))
    assert renewed
    assert await stage_of(redis, keys, "42") == "awareness"


async def stage_of(redis: Redis, keys: Keys, user_id: str) -> str | None:
    """The stored customer's stage, as the bot loads it."""
    user = await Users(redis, keys).load(user_id)
    return None if user is None else user.stage.value
