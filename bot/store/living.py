"""The customer a stored user id stands for now.

Ids are stored in many places that a merge (`bot.linking`) does not rewrite: a friend's
`referred_by`, a support topic's customer, a product's own records. A merged customer's
record stays as a tombstone naming the survivor (`merged_into`), so such an id still
leads to the living customer. A survivor may itself be merged later: the chain is
followed, a few steps at most.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.store.keys import Keys

MERGED_INTO = "merged_into"  # the tombstone's field: the survivor's id
MAX_STEPS = 16  # more merges in a row than this are a loop, not a history


async def living_id(redis: Redis, keys: Keys, user_id: str) -> str:
    """`user_id`, or the customer it was merged into (at the end of the chain)."""
    current = user_id
    for _ in range(MAX_STEPS):
        merged = await redis.hget(keys.user(current), MERGED_INTO)  # type: ignore[misc]
        if merged is None:
            return current
        current = str(merged)
    return current
