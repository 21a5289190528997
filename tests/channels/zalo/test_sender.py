"""Sending to Zalo followers: buttons and lengths within the limits, errors as outcomes."""

from __future__ import annotations

import asyncio
import time

import httpx
import pytest

from bot.channels.shared.outcome import Outcome
from bot.channels.shared.pacing import Pacing, Rates
from bot.channels.zalo.sender import ZaloSender
from bot.effects import Button, Reply
from tests.channels.conftest import Sleeps
from tests.channels.zalo.conftest import TokensFactory
from tests.fakes.clock import Clock
from tests.fakes.zalo_server import FakeZalo

USER = "2468458835296117922"

PLANS = (Button("Gói Basic", '/ask_price{"plan": "basic"}'), Button("Gói Pro", "/ask_price"))


@pytest.fixture(autouse=True)
def follower(zalo: FakeZalo) -> None:
    zalo.follow(USER)


async def test_text_and_buttons_go_as_hidden_query_buttons(
    sender: ZaloSender, zalo: FakeZalo
) -> None:
    result = await sender.send(USER, [Reply("Bạn quan tâm gói nào?", PLANS)])
    assert result.ok and result.sent == 1
    assert zalo.texts(USER) == ["Bạn quan tâm gói nào?"]
    assert zalo.buttons(USER) == [
        [
            {
                "title": "Gói Basic",
                "type": "oa.query.hide",
                "payload": '/ask_price{"plan": "basic"}',
            },
            {"title": "Gói Pro", "type": "oa.query.hide", "payload": "/ask_price"},
        ]
    ]


async def test_long_texts_and_many_buttons_are_split_within_the_limits(
    sender: ZaloSender, zalo: FakeZalo
) -> None:
    text = "\n\n".join(f"Đoạn {i}: " + "chữ " * 180 for i in range(6))  # ~4400 characters
    buttons = tuple(Button(f"Lựa chọn {i}", f'/choose{{"n": {i}}}') for i in range(7))
    result = await sender.send(USER, [Reply(text, buttons)])
    texts = zalo.texts(USER)
    assert result.ok and result.sent == len(texts) == 4
    assert all(len(t) <= 2000 for t in texts)
    assert "\n\n".join(texts[:3]) == text  # cut at paragraph breaks, nothing lost
    assert [len(b) for b in zalo.buttons(USER)] == [0, 0, 5, 2]
    assert texts[3] == "…"


async def test_long_titles_are_shortened_and_oversized_payloads_dropped(
    sender: ZaloSender, zalo: FakeZalo
) -> None:
    long_title = Button("Xem " + "rất " * 40 + "nhiều", "/more")
    huge = Button("Quá dài", "/x" + "y" * 1000)
    assert (await sender.send(USER, [Reply("Chọn", (long_title, huge))])).ok
    (buttons,) = zalo.buttons(USER)
    assert [b["payload"] for b in buttons] == ["/more"]
    assert len(buttons[0]["title"]) == 100 and buttons[0]["title"].endswith("…")


async def test_a_follower_who_left_is_unreachable(sender: ZaloSender, zalo: FakeZalo) -> None:
    zalo.unfollow(USER)
    result = await sender.send(USER, [Reply("a"), Reply("b")])
    assert (result.outcome, result.reason, result.sent) == (Outcome.UNREACHABLE, "not_following", 0)
    assert zalo.calls == 1  # the second message is not tried


async def test_outside_the_window_is_its_own_outcome(
    sender: ZaloSender, zalo: FakeZalo, clock: Clock
) -> None:
    zalo.follow(USER, at=clock.now - 7 * 86400 - 60)
    result = await sender.send(USER, [Reply("Nhắc bạn: bản dùng thử sắp hết hạn")])
    assert result.outcome is Outcome.OUTSIDE_WINDOW and zalo.sent == []


async def test_an_expired_token_is_renewed_and_the_message_sent(
    sender: ZaloSender, zalo: FakeZalo, make_tokens: TokensFactory
) -> None:
    seeded = await make_tokens().access_token()
    zalo.expire(seeded)
    assert (await sender.send(USER, [Reply("xin chào")])).ok
    assert zalo.refreshes == 1 and zalo.sent[0].token != seeded


async def test_throttling_is_retried_after_the_server_s_delay(
    sender: ZaloSender, zalo: FakeZalo, sleeps: Sleeps
) -> None:
    zalo.fail(status=429, retry_after=3)
    zalo.fail(error=-32)
    assert (await sender.send(USER, [Reply("xin chào")])).ok
    assert sleeps.delays == [3.0, 1.0] and zalo.texts(USER) == ["xin chào"]


@pytest.mark.parametrize(
    ("failure", "outcome"),
    [({"status": 503}, Outcome.FAILED), ({"error": -32}, Outcome.RATE_LIMITED)],
)
async def test_retries_end_after_the_attempts(
    sender: ZaloSender, zalo: FakeZalo, sleeps: Sleeps, failure: dict[str, int], outcome: Outcome
) -> None:
    zalo.fail(times=10, **failure)
    result = await sender.send(USER, [Reply("xin chào")])
    assert result.outcome is outcome and zalo.calls == 4
    assert sleeps.delays == [0.5, 1.0, 2.0]


async def test_an_exhausted_quota_is_not_retried(sender: ZaloSender, zalo: FakeZalo) -> None:
    zalo.fail(error=-211)
    result = await sender.send(USER, [Reply("xin chào")])
    assert result.outcome is Outcome.RATE_LIMITED and zalo.calls == 1


async def test_a_refused_renewal_fails_the_batch(
    sender: ZaloSender, zalo: FakeZalo, make_tokens: TokensFactory
) -> None:
    zalo.expire(await make_tokens().access_token())
    zalo._refresh_tokens.clear()  # revoked: the OA admin must authorise the app again
    result = await sender.send(USER, [Reply("xin chào")])
    assert result.outcome is Outcome.FAILED and "refresh" in result.reason


async def test_batches_to_one_follower_never_interleave(sender: ZaloSender, zalo: FakeZalo) -> None:
    first = [Reply(f"A{i}") for i in range(4)]
    second = [Reply(f"B{i}") for i in range(4)]
    results = await asyncio.gather(sender.send(USER, first), sender.send(USER, second))
    assert all(r.ok for r in results)
    assert zalo.texts(USER) == [f"A{i}" for i in range(4)] + [f"B{i}" for i in range(4)]


async def test_messages_to_one_follower_are_paced(
    zalo: FakeZalo, http: httpx.AsyncClient, make_tokens: TokensFactory
) -> None:
    paced = ZaloSender(
        http,
        make_tokens(),
        api_base=zalo.base,
        pacing=Pacing(Rates(overall_per_second=100, recipient_per_second=10)),
    )
    started = time.monotonic()
    assert (await paced.send(USER, [Reply(str(i)) for i in range(5)])).ok
    assert time.monotonic() - started >= 0.35  # 5 messages at 10/s: the last waits ~0.4 s
