"""Referral codes and who joined or earned a reward through them.

A customer's friends are kept in sets on the referrer's keys; adding to a set is
idempotent, so a retried turn never counts a friend twice.
"""

from __future__ import annotations

from redis.asyncio import Redis

from actions.context import Referrals
from bot.store.keys import Keys

JOINED = "joined"
CREDITED = "credited"


class ReferralStore:
    """Looks up referral codes and counts a referrer's friends."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._redis = redis
        self._keys = keys

    async def owner(self, code: str) -> str | None:
        """The user id a referral code belongs to, if any."""
        value = await self._redis.get(self._keys.code("referral", code.strip().lower()))
        return None if value is None else str(value)

    async def counts(self, user_id: str) -> Referrals:
        """How many friends joined with the customer's code, and how many were credited."""
        async with self._redis.pipeline(transaction=False) as pipe:
            pipe.scard(self._keys.referrals(user_id, JOINED))
            pipe.scard(self._keys.referrals(user_id, CREDITED))
            joined, credited = await pipe.execute()
        return Referrals(joined=int(joined), credited=int(credited))
