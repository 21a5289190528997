"""The one fake clock of the suite: time moves when the test says so, or when code sleeps."""

from __future__ import annotations

import asyncio
import time


class Clock:
    """A clock the test moves by hand (`advance`, or set `now`); it starts at `start`.

    Without `start` it starts at the real time, so stored times look like today's.
    `sleep` moves it instead of waiting, for code that takes a sleep function.
    """

    def __init__(self, start: float | None = None) -> None:
        self.now = time.time() if start is None else start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds

    async def sleep(self, seconds: float) -> None:
        self.advance(seconds)
        await asyncio.sleep(0)
