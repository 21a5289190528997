"""The seam after a turn's commit: observers hear what a committed turn wrote.

`ObservedTurns` is `Turns` with an `after_commit` list (filled by `bot/wiring.py`). Each
observer runs after the atomic write succeeded, so it never sees a turn that did not
happen; an observer that fails is logged and the turn stands. Observers must be quick
(queue work, never do it): they may run before the turn's lease is released.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

from bot.store.keys import Keys
from bot.store.transcript import Transcript
from bot.store.turns import Turns, TurnWrite

log = logging.getLogger(__name__)

Observer = Callable[[TurnWrite], Awaitable[None]]


class ObservedTurns(Turns):
    """`Turns` whose commits are told to `after_commit`."""

    def __init__(self, redis: Redis, keys: Keys, transcript: Transcript) -> None:
        super().__init__(redis, keys, transcript)
        self.after_commit: list[Observer] = []

    async def commit(self, write: TurnWrite, *, release: bool = False) -> None:
        """Commit `write`, then tell each observer (their failures are only logged)."""
        await super().commit(write, release=release)
        for observer in self.after_commit:
            try:
                await observer(write)
            except Exception:
                log.exception("an observer of user %s's commit failed", write.user.id)
