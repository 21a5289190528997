"""The sender through the real aiogram Bot and the fake Bot API server."""

from __future__ import annotations

import asyncio
import itertools
import time

from aiogram import Bot

from bot.channels.telegram.limits import Limits, RateLimiter
from bot.channels.telegram.pacing import Retry, pace
from bot.channels.telegram.sender import Sender, SendOutcome
from bot.effects import Button, Reply
from tests.fakes.telegram_server import DISCONNECT, FakeTelegram

FAST = Limits(chat_interval=0.001, group_per_minute=1000, overall_per_second=1000)


class Recorder:
    """Records blocked chats and sleeps; sleeps pass quickly."""

    def __init__(self) -> None:
        self.blocked: list[int] = []
        self.sleeps: list[float] = []

    async def on_blocked(self, chat_id: int) -> None:
        self.blocked.append(chat_id)

    async def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        await asyncio.sleep(0.001)


def sender(
    bot: Bot,
    recorder: Recorder,
    limits: Limits = FAST,
    *,
    real_sleep: bool = False,
    retry: Retry | None = None,
) -> Sender:
    """A sender through `bot`, paced by the session as the channel sets it up."""
    pace(bot, RateLimiter(limits), retry, sleep=asyncio.sleep if real_sleep else recorder.sleep)
    return Sender(bot, on_blocked=recorder.on_blocked)


async def test_long_reply_split_with_keyboard_on_the_last_part(
    tg_bot: Bot, telegram: FakeTelegram
) -> None:
    out = sender(tg_bot, Recorder())
    text = "\n\n".join(f"Phần {i} " + "nội dung " * 200 for i in range(6))
    buttons = (Button("Bảng giá", "/ask_price"), Button("NPS 9", '/nps{"score": 9}'))
    assert await out.send(42, [Reply(text, buttons)]) is SendOutcome.SENT
    calls = telegram.sent(42)
    assert len(calls) > 1
    assert all(len(c.params["text"]) <= 4096 for c in calls)
    assert "\n\n".join(c.params["text"] for c in calls) == text
    assert all("reply_markup" not in c.params for c in calls[:-1])
    rows = calls[-1].params["reply_markup"]["inline_keyboard"]
    assert [b["callback_data"] for row in rows for b in row] == ["/ask_price", '/nps{"score": 9}']


async def test_429_waits_retry_after_and_keeps_order(tg_bot: Bot, telegram: FakeTelegram) -> None:
    out = sender(tg_bot, Recorder(), real_sleep=True)
    telegram.fail("sendMessage", 429, chat_id=7, retry_after=1)
    batches = [out.submit(7, [Reply(f"m{i}")]) for i in range(3)]
    other = out.submit(8, [Reply("other chat")])
    assert await asyncio.gather(*batches, other) == [SendOutcome.SENT] * 4
    assert telegram.texts(7) == ["m0", "m1", "m2"]
    refused = telegram.calls_to("sendMessage", ok=False)
    assert [(c.status, c.params["text"]) for c in refused] == [(429, "m0")]
    retried = telegram.sent(7)[0]
    assert retried.at - refused[0].at >= 1.0  # measured at the server
    assert telegram.sent(8)[0].at < retried.at  # the other chat did not wait


async def test_403_marks_the_chat_and_drops_its_queue(tg_bot: Bot, telegram: FakeTelegram) -> None:
    recorder = Recorder()
    out = sender(tg_bot, recorder)
    telegram.block(5)
    first, second = out.submit(5, [Reply("a"), Reply("b")]), out.submit(5, [Reply("c")])
    third = out.submit(6, [Reply("d")])
    assert list(await asyncio.gather(first, second, third)) == [
        SendOutcome.BLOCKED,
        SendOutcome.BLOCKED,
        SendOutcome.SENT,
    ]
    assert recorder.blocked == [5]
    assert len(telegram.calls_to("sendMessage", ok=False)) == 1  # "b" and "c" not tried


async def test_5xx_and_network_errors_retried_with_backoff(
    tg_bot: Bot, telegram: FakeTelegram
) -> None:
    recorder = Recorder()
    out = sender(tg_bot, recorder)
    telegram.fail("sendMessage", 502, times=2)
    telegram.fail("sendMessage", DISCONNECT)
    assert await out.send(3, [Reply("finally")]) is SendOutcome.SENT
    assert telegram.texts(3) == ["finally"]
    assert [c.status for c in telegram.calls_to("sendMessage")] == [502, 502, DISCONNECT, 200]
    assert recorder.sleeps == [0.5, 1.0, 2.0]


async def test_gives_up_after_the_attempts_and_goes_on(tg_bot: Bot, telegram: FakeTelegram) -> None:
    out = sender(tg_bot, Recorder(), retry=Retry(attempts=3, base=0.001))
    telegram.fail("sendMessage", 500, times=3)
    assert await out.send(3, [Reply("lost")]) is SendOutcome.FAILED
    assert await out.send(3, [Reply("next")]) is SendOutcome.SENT
    assert telegram.texts(3) == ["next"]


async def test_rejected_message_does_not_hold_up_the_chat(
    tg_bot: Bot, telegram: FakeTelegram
) -> None:
    out = sender(tg_bot, Recorder())
    telegram.fail("sendMessage", 400)
    results = await asyncio.gather(out.submit(4, [Reply("bad")]), out.submit(4, [Reply("good")]))
    assert list(results) == [SendOutcome.FAILED, SendOutcome.SENT]
    assert telegram.texts(4) == ["good"]


async def test_burst_to_many_chats_respects_the_limits(tg_bot: Bot, telegram: FakeTelegram) -> None:
    out = sender(tg_bot, Recorder(), Limits())
    started = time.monotonic()
    busy = [out.submit(900, [Reply(f"busy {i}")]) for i in range(3)]
    burst = [out.submit(chat, [Reply("hello")]) for chat in range(1, 46)]
    assert set(await asyncio.gather(*busy, *burst)) == {SendOutcome.SENT}
    times = sorted(c.at for c in telegram.sent())
    assert len(times) == 48
    # Measured where Telegram counts: on arrival at the server.
    assert max(sum(t <= s < t + 1.0 for s in times) for t in times) <= 30
    busy_times = [c.at for c in telegram.sent(900)]
    assert all(b - a >= 1.0 for a, b in itertools.pairwise(busy_times))
    assert time.monotonic() - started < 4.0


async def test_close_drops_what_cannot_go_out(tg_bot: Bot, telegram: FakeTelegram) -> None:
    out = sender(tg_bot, Recorder(), Limits(chat_interval=60.0))
    first, second = out.submit(9, [Reply("now")]), out.submit(9, [Reply("in a minute")])
    await telegram.wait_for(lambda: len(telegram.sent(9)) == 1)
    await out.close(grace_seconds=0.05)
    assert await first is SendOutcome.SENT
    assert await second is SendOutcome.FAILED
    assert await out.send(9, [Reply("after close")]) is SendOutcome.FAILED
    assert telegram.texts(9) == ["now"]
