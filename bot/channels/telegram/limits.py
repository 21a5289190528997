"""Telegram's sending limits as a rate limiter with an injectable clock.

Telegram allows about one message a second to one chat, 20 a minute to one group and
30 a second in all; going faster earns 429 errors and, repeated, a longer ban.
"""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Limits:
    """How fast the bot may send."""

    chat_interval: float = 1.0
    group_per_minute: int = 20
    overall_per_second: int = 30


class Window:
    """At most `count` events in any `period` seconds (a sliding log of event times)."""

    def __init__(self, count: int, period: float) -> None:
        self.count = count
        self.period = period
        self._times: deque[float] = deque()

    def wait(self, now: float) -> float:
        """Seconds to wait before one more event would fit; 0 when it fits now."""
        while self._times and self._times[0] <= now - self.period:
            self._times.popleft()
        if len(self._times) < self.count:
            return 0.0
        return self._times[0] + self.period - now

    def record(self, now: float) -> None:
        """Count one event at `now`."""
        self._times.append(now)

    def idle(self, now: float) -> bool:
        """Whether no event of the window is still counted at `now`."""
        return not self._times or self._times[-1] <= now - self.period


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative chat ids; customers positive."""
    return chat_id < 0


class RateLimiter:
    """Waits until a message to a chat fits every limit, then counts it."""

    def __init__(
        self, limits: Limits, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._overall = Window(limits.overall_per_second, 1.0)
        self._chats: dict[int, list[Window]] = {}
        self._acquired = 0

    async def acquire(self, chat_id: int) -> None:
        """Return when one message to `chat_id` may be sent now; it is counted."""
        while True:
            now = self._clock()
            windows = [self._overall, *self._chat_windows(chat_id)]
            # No await between the check and the record: concurrent callers cannot both fit.
            wait = max(window.wait(now) for window in windows)
            if wait <= 0:
                for window in windows:
                    window.record(now)
                self._forget_idle_chats(now)
                return
            await self._sleep(wait)

    def _chat_windows(self, chat_id: int) -> list[Window]:
        windows = self._chats.get(chat_id)
        if windows is None:
            windows = [Window(1, self.limits.chat_interval)]
            if is_group(chat_id):
                windows.append(Window(self.limits.group_per_minute, 60.0))
            self._chats[chat_id] = windows
        return windows

    def _forget_idle_chats(self, now: float) -> None:
        # Every so often, so the map does not grow with every chat ever messaged.
        self._acquired += 1
        if self._acquired % 1000:
            return
        for chat_id in [c for c, ws in self._chats.items() if all(w.idle(now) for w in ws)]:
            del self._chats[chat_id]
