"""The rate limiter against a fake clock: per chat, per group and overall limits."""

from __future__ import annotations

import asyncio

from bot.channels.telegram.limits import Limits, RateLimiter, Window, _Mark
from tests.fakes.clock import Clock


def limiter(clock: Clock) -> RateLimiter:
    return RateLimiter(Limits(), clock=clock, sleep=clock.sleep)


async def send(rate: RateLimiter, clock: Clock, chat: int, latency: float = 0.0) -> float:
    """Send one message through the limiter; returns when it was allowed to go."""
    async with rate.slot(chat):
        started = clock.now
        clock.now += latency
    return started


def max_in_window(times: list[float], period: float) -> int:
    return max(sum(t <= s < t + period for s in times) for t in times)


async def test_one_message_a_second_per_chat() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    assert [await send(rate, clock, 7) for _ in range(4)] == [0.0, 1.0, 2.0, 3.0]


async def test_the_interval_counts_from_when_the_answer_came_back() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    times = [await send(rate, clock, 7, latency=0.25) for _ in range(3)]
    assert times == [0.0, 1.25, 2.5]


async def test_different_chats_do_not_wait_for_each_other() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    for chat in range(1, 21):
        await send(rate, clock, chat)
    assert clock.now == 0.0


async def test_thirty_a_second_overall_under_a_burst() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    times = await asyncio.gather(*(send(rate, clock, chat) for chat in range(1, 101)))
    assert len(times) == 100
    assert max_in_window(list(times), 1.0) <= 30
    assert max(times) < 4.0  # and not slower than the limit needs


async def test_messages_in_flight_hold_their_place() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    entered = asyncio.Event()
    release = asyncio.Event()

    async def slow(chat: int) -> None:
        async with rate.slot(chat):
            entered.set()
            await release.wait()

    slow_sends = [asyncio.create_task(slow(chat)) for chat in range(1, 31)]
    await entered.wait()
    late = asyncio.create_task(send(rate, clock, 99))
    for _ in range(50):
        await asyncio.sleep(0)
    assert not late.done()  # all 30 places are taken until their answers are back
    moment = clock.now
    release.set()
    await asyncio.gather(*slow_sends)
    assert await late >= moment + 1.0


async def test_twenty_a_minute_per_group() -> None:
    clock = Clock(0.0)
    rate = limiter(clock)
    times = [await send(rate, clock, -100123) for _ in range(25)]
    assert max_in_window(times, 60.0) <= 20
    assert times[19] == 19.0 and times[20] == 60.0


def test_window_counts_and_forgets() -> None:
    window = Window(2, 1.0)
    assert window.wait(0.0) == 0.0
    first, second = _Mark(), _Mark()
    window.add(first)
    window.add(second)
    assert window.wait(0.0) == float("inf")
    first.at, second.at = 0.0, 0.5
    assert window.wait(0.6) == 0.4
    assert window.wait(1.0) == 0.0
    assert window.idle(1.5) and not window.idle(1.4)
