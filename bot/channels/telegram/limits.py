"""Telegram's limits: what one message may hold, and a rate limiter with an injectable clock.

Telegram allows about one message a second to one chat, 20 a minute to one group and
30 a second in all; going faster earns 429 errors and, repeated, a longer ban.

Telegram counts messages when they arrive, and the time a request takes on the way
varies (a new connection, a slow hop). So a message holds its place in the limits from
the moment it may go until its answer is back: a later message then cannot arrive
within the limit's period of it, however the latency varies.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass

from bot.channels.base import ChannelLimits
from bot.channels.telegram.split import MAX_MESSAGE_LENGTH, telegram_length

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]

# What one message may hold (Bot API): text in UTF-16 units, callback data in bytes,
# at most 100 buttons to an inline keyboard; titles are not limited.
MESSAGE_LIMITS = ChannelLimits(
    text_length=MAX_MESSAGE_LENGTH,
    buttons_per_message=100,
    button_title_length=None,
    payload_bytes=64,
    seconds_between_messages=1.0,
    measure=telegram_length,
)

# How often a full limit whose messages are all still in flight is looked at again.
_IN_FLIGHT_POLL_SECONDS = 0.01


@dataclass(frozen=True, slots=True)
class Limits:
    """How fast the bot may send."""

    chat_interval: float = 1.0
    group_per_minute: int = 20
    overall_per_second: int = 30


class _Mark:
    """One message in the limits: `at` is infinite while it is in flight."""

    __slots__ = ("at",)

    def __init__(self) -> None:
        self.at = math.inf


class Window:
    """At most `count` messages in any `period` seconds."""

    def __init__(self, count: int, period: float) -> None:
        self.count = count
        self.period = period
        self._marks: list[_Mark] = []

    def wait(self, now: float) -> float:
        """Seconds until one more message fits (0: now; infinite: when one lands)."""
        self._marks = [m for m in self._marks if m.at > now - self.period]
        if len(self._marks) < self.count:
            return 0.0
        times = sorted(m.at for m in self._marks)
        return times[len(times) - self.count] + self.period - now

    def add(self, mark: _Mark) -> None:
        """Count one message."""
        self._marks.append(mark)

    def idle(self, now: float) -> bool:
        """Whether no message of the window counts any more at `now`."""
        return all(m.at <= now - self.period for m in self._marks)


def is_group(chat_id: int) -> bool:
    """Groups, supergroups and channels have negative chat ids; customers positive."""
    return chat_id < 0


class RateLimiter:
    """Waits until a message to a chat fits every limit and counts it while it is sent."""

    def __init__(
        self, limits: Limits, *, clock: Clock = time.monotonic, sleep: Sleep = asyncio.sleep
    ) -> None:
        self.limits = limits
        self._clock = clock
        self._sleep = sleep
        self._overall = Window(limits.overall_per_second, 1.0)
        self._chats: dict[int, list[Window]] = {}
        self._granted = 0

    @asynccontextmanager
    async def slot(self, chat_id: int) -> AsyncIterator[None]:
        """Hold a place for one message to `chat_id` while the block sends it."""
        mark = await self._acquire(chat_id)
        try:
            yield
        finally:
            mark.at = self._clock()

    async def _acquire(self, chat_id: int) -> _Mark:
        while True:
            now = self._clock()
            windows = [self._overall, *self._chat_windows(chat_id)]
            # No await between the check and the count: concurrent callers cannot both fit.
            wait = max(window.wait(now) for window in windows)
            if wait <= 0:
                mark = _Mark()
                for window in windows:
                    window.add(mark)
                self._forget_idle_chats(now)
                return mark
            await self._sleep(_IN_FLIGHT_POLL_SECONDS if math.isinf(wait) else wait)

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
        self._granted += 1
        if self._granted % 1000:
            return
        for chat_id in [c for c, ws in self._chats.items() if all(w.idle(now) for w in ws)]:
            del self._chats[chat_id]
