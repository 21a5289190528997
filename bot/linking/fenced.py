"""Writes under a held turn lease that go beyond one turn's appends (a merge replaces lists).

The turn commit's script runs any list of commands after checking the lease's fencing
token; reusing it keeps one definition of what "fenced" means.
"""

from __future__ import annotations

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.lease import Lease, LockLost
from bot.store.turns import _COMMIT, WAKE_LIST_MS, _script_form

Command = tuple[str, ...]


class FencedWrites:
    """Runs commands on one customer's slot only while their lease is still ours."""

    def __init__(self, redis: Redis, keys: Keys) -> None:
        self._keys = keys
        self._script = redis.register_script(_COMMIT)

    async def run(self, lease: Lease, commands: list[Command]) -> None:
        """All of `commands` in one script, or none when the lease was lost (`LockLost`)."""
        if not commands:
            return
        k = self._keys
        end = [k.turn_lock(lease.user_id), k.wake(lease.user_id), k.wanted(lease.user_id)]
        keys, args = _script_form(end, commands)
        if not await self._script(keys=keys, args=[lease.token, WAKE_LIST_MS, "0", *args]):
            raise LockLost(f"the lease of user {lease.user_id} ran out during a merge")
