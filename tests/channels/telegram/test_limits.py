"""The rate limiter against a fake clock: per chat, per group and overall limits."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.limits import Limits, RateLimiter, Window


class FakeClock:
    """Time that moves only when someone sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds
        await asyncio.sleep(0)


def limiter(clock: FakeClock, limits: Limits | None = None) -> RateLimiter:
    return RateLimiter(limits or Limits(), clock=clock, sleep=clock.sleep)


def max_in_window(times: list[float], period: float) -> int:
    return max(sum(t <= s < t + period for s in times) for t in times)


async def test_one_message_a_second_per_chat() -> None:
    clock = FakeClock()
    rate = limiter(clock)
    times = []
    for _ in range(4):
        await rate.acquire(7)
        times.append(clock.now)
    assert times == [0.0, 1.0, 2.0, 3.0]


async def test_different_chats_do_not_wait_for_each_other() -> None:
    clock = FakeClock()
    rate = limiter(clock)
    for chat in range(1, 21):
        await rate.acquire(chat)
    assert clock.now == 0.0


async def test_thirty_a_second_overall_under_a_burst() -> None:
    clock = FakeClock()
    rate = limiter(clock)
    times: list[float] = []

    async def send(chat: int) -> None:
        await rate.acquire(chat)
        times.append(clock.now)

    await asyncio.gather(*(send(chat) for chat in range(1, 101)))
    assert len(times) == 100
    assert max_in_window(times, 1.0) <= 30
    assert max(times) < 4.0  # and not slower than the limit needs


async def test_twenty_a_minute_per_group() -> None:
    clock = FakeClock()
    rate = limiter(clock)
    times = []
    for _ in range(25):
        await rate.acquire(-100123)
        times.append(clock.now)
    assert max_in_window(times, 60.0) <= 20
    assert times[19] == 19.0 and times[20] == 60.0


def test_window_counts_and_forgets() -> None:
    window = Window(2, 1.0)
    assert window.wait(0.0) == 0.0
    window.record(0.0)
    window.record(0.5)
    assert window.wait(0.6) == 0.4
    assert window.wait(1.0) == 0.0
    assert window.idle(1.5) and not window.idle(1.4)
