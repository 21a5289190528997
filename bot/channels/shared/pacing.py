"""Sending pace toward a platform: per-recipient order and rate, an overall rate, backoff.

Each recipient's messages go one batch at a time, in order (a later batch waits for the
earlier one, so two turns' replies never interleave); every message takes a slot from
the overall limiter and from the recipient's own limiter (aiolimiter leaky buckets).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from aiolimiter import AsyncLimiter

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Backoff:
    """Retries of throttled or failed calls: `base` seconds, doubled per attempt, up to `cap`."""

    attempts: int = 5
    base: float = 0.5
    cap: float = 30.0

    def delay(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait after failed attempt `attempt` (1-based); a server's hint wins."""
        if retry_after is not None and retry_after > 0:
            return min(self.cap, retry_after)
        return float(min(self.cap, self.base * 2 ** (attempt - 1)))


@dataclass(frozen=True, slots=True)
class Rates:
    """Messages per second in all, and per recipient."""

    overall_per_second: float
    recipient_per_second: float = 1.0


class _Turn:
    __slots__ = ("lock", "users")

    def __init__(self) -> None:
        self.lock = asyncio.Lock()  # asyncio locks wake their waiters in FIFO order
        self.users = 0


class Pacing:
    """Order and rate of the messages to one platform's recipients."""

    SWEEP_AT = 10_000  # recipient limiters kept before the idle ones are forgotten

    def __init__(self, rates: Rates) -> None:
        self.rates = rates
        self._overall = AsyncLimiter(rates.overall_per_second, 1.0)
        self._turns: dict[str, _Turn] = {}
        self._recipients: dict[str, AsyncLimiter] = {}

    @asynccontextmanager
    async def turn(self, recipient: str) -> AsyncIterator[None]:
        """Hold the recipient's queue while one batch is sent (FIFO across batches)."""
        turn = self._turns.setdefault(recipient, _Turn())
        turn.users += 1
        try:
            async with turn.lock:
                yield
        finally:
            turn.users -= 1
            if turn.users == 0:
                del self._turns[recipient]

    async def slot(self, recipient: str) -> None:
        """Wait until one more message to `recipient` fits both rates."""
        limiter = self._recipients.get(recipient)
        if limiter is None:
            if len(self._recipients) >= self.SWEEP_AT:
                self._sweep()
            # One message per interval, no burst: a chat should not get a volley at once.
            limiter = AsyncLimiter(1, 1 / self.rates.recipient_per_second)
            self._recipients[recipient] = limiter
        await limiter.acquire()
        await self._overall.acquire()

    def _sweep(self) -> None:
        idle = [r for r, limiter in self._recipients.items() if limiter.has_capacity(1)]
        for recipient in idle:
            if recipient not in self._turns:
                del self._recipients[recipient]
