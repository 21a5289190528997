"""Pacing toward a platform: batches to one recipient in order, a per-recipient rate."""

from __future__ import annotations

import asyncio
import time

from bot.channels.shared.pacing import Backoff, Pacing, Rates
from bot.channels.shared.split import shorten, split_text


async def test_batches_to_one_recipient_run_in_arrival_order() -> None:
    pacing = Pacing(Rates(overall_per_second=1000, recipient_per_second=1000))
    order: list[str] = []

    async def batch(name: str, pause: float) -> None:
        async with pacing.turn("u1"):
            order.append(f"{name}-start")
            await asyncio.sleep(pause)
            order.append(f"{name}-end")

    first = asyncio.create_task(batch("a", 0.05))
    await asyncio.sleep(0)
    await asyncio.gather(first, batch("b", 0), batch("c", 0))
    assert order == ["a-start", "a-end", "b-start", "b-end", "c-start", "c-end"]
    assert pacing._turns == {}  # idle recipients are forgotten


async def test_one_recipient_gets_at_most_its_rate_others_are_not_held() -> None:
    pacing = Pacing(Rates(overall_per_second=1000, recipient_per_second=20))
    started = time.monotonic()
    for _ in range(4):
        await pacing.slot("u1")
    assert time.monotonic() - started >= 0.14  # 4 messages at 20/s: ~0.15 s
    quick = time.monotonic()
    await pacing.slot("u2")
    assert time.monotonic() - quick < 0.05


def test_backoff_doubles_up_to_the_cap_and_honours_retry_after() -> None:
    backoff = Backoff(attempts=6, base=0.5, cap=3)
    assert [backoff.delay(n) for n in range(1, 6)] == [0.5, 1.0, 2.0, 3, 3]
    assert backoff.delay(1, retry_after=7) == 3 and backoff.delay(2, retry_after=1.5) == 1.5


def test_split_counts_characters_and_shorten_marks_the_cut() -> None:
    assert split_text("a b c d", 3) == ["a b", "c d"]
    assert split_text("x" * 5, 2) == ["xx", "xx", "x"]
    assert shorten("Xem bảng giá", 20) == "Xem bảng giá"
    assert shorten("Xem bảng giá gói Enterprise", 20) == "Xem bảng giá gói En…"
