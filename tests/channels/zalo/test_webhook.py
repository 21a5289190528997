"""Zalo webhook requests: the signature rule, the accepted age, every event.

Replays (the same signature again) are refused by the channel: tests/channels/zalo/test_channel.py.
"""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.shared.events import Followed, Message, Unfollowed, WebhookRefused
from bot.channels.zalo.webhook import ZaloWebhook
from tests.fakes import zalo_events as events
from tests.fakes.clock import Clock
from tests.fakes.zalo_events import APP_ID, OA_SECRET_KEY

USER = "2468458835296117922"  # past 2**53: a float-based JSON parser would round it


@pytest.fixture
def webhook(clock: Clock) -> ZaloWebhook:
    return ZaloWebhook(
        app_id=APP_ID,
        oa_secret_key=OA_SECRET_KEY,
        max_age_seconds=3600,
        clock=clock,
    )


def ms(clock: Clock, offset: float = 0) -> str:
    return str(int((clock.now + offset) * 1000))


async def one(webhook: ZaloWebhook, event: dict[str, Any]) -> Any:
    parsed = webhook.verify(*events.signed(event)).events
    assert len(parsed) == 1
    return parsed[0]


async def test_a_signed_text_becomes_an_inbound_message(webhook: ZaloWebhook, clock: Clock) -> None:
    event = events.text(USER, "chào shop, giá gói pro?", msg_id="m1", timestamp=ms(clock))
    parsed = await one(webhook, event)
    assert isinstance(parsed, Message)
    inbound = parsed.inbound
    assert (inbound.channel, inbound.external_id, inbound.text) == (
        "zalo",
        USER,
        "chào shop, giá gói pro?",
    )
    assert inbound.message_id == "zalo:m1" and not inbound.media
    assert parsed.at == pytest.approx(clock.now, abs=0.001)


async def test_big_integer_ids_keep_every_digit(webhook: ZaloWebhook, clock: Clock) -> None:
    event = events.text(USER, "hi", timestamp=ms(clock), numeric_ids=True)
    raw, headers = events.signed(event)
    assert f'"id": {USER}' in raw.decode()  # a JSON number, not a string
    (parsed,) = webhook.verify(raw, headers).events
    assert isinstance(parsed, Message) and parsed.inbound.external_id == USER


async def test_a_tapped_button_brings_its_payload(webhook: ZaloWebhook, clock: Clock) -> None:
    parsed = await one(webhook, events.text(USER, "/request_trial", timestamp=ms(clock)))
    assert parsed.inbound.text == "/request_trial"


@pytest.mark.parametrize(
    ("kind", "payload", "caption", "described"),
    [
        ("image", {"url": "https://z/p.jpg"}, "lỗi này", "[image] lỗi này"),
        ("sticker", {"id": "st1", "url": "https://z/s.png"}, None, "[sticker]"),
        ("gif", {"url": "https://z/g.gif"}, None, "[gif]"),
        ("audio", {"url": "https://z/a.aac"}, None, "[audio]"),
        ("video", {"url": "https://z/v.mp4"}, None, "[video]"),
        (
            "file",
            {"url": "https://z/f", "name": "hoadon.pdf", "size": "1024"},
            None,
            "[file hoadon.pdf]",
        ),
        ("link", {"url": "https://salemate.vn"}, None, "[link https://salemate.vn]"),
        (
            "location",
            {"coordinates": {"latitude": "10.7769", "longitude": "106.7009"}},
            None,
            "[location 10.7769,106.7009]",
        ),
    ],
)
async def test_non_text_messages_are_described(
    webhook: ZaloWebhook,
    clock: Clock,
    kind: str,
    payload: dict[str, Any],
    caption: str | None,
    described: str,
) -> None:
    event = events.attachment(kind, USER, payload, timestamp=ms(clock))
    if caption:
        event["message"]["text"] = caption
    parsed = await one(webhook, event)
    assert parsed.inbound.media and parsed.inbound.text == described


async def test_follow_and_unfollow_are_their_own_events(webhook: ZaloWebhook, clock: Clock) -> None:
    followed = await one(webhook, events.follow(USER, timestamp=ms(clock)))
    unfollowed = await one(webhook, events.follow(USER, unfollow=True, timestamp=ms(clock, 1)))
    assert isinstance(followed, Followed) and followed.external_id == USER
    assert isinstance(unfollowed, Unfollowed) and unfollowed.external_id == USER
    assert followed.event_id != unfollowed.event_id


async def test_receipts_and_the_oa_s_own_messages_give_nothing(
    webhook: ZaloWebhook, clock: Clock
) -> None:
    for name in ("user_seen_message", "user_received_message", "oa_send_text", "add_user_to_tag"):
        event = events.message(name, USER, text="x", timestamp=ms(clock))
        assert webhook.verify(*events.signed(event)).events == []


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda raw, h: (raw, {**h, "X-ZEvent-Signature": "mac=" + "0" * 64}), "bad signature"),
        (lambda raw, h: (raw.replace(b"hello", b"hellO"), h), "bad signature"),
        (lambda raw, h: (raw, {"Content-Type": "application/json"}), "bad signature"),
        (lambda raw, h: (b"not json", h), "malformed event"),
    ],
)
async def test_forged_requests_are_refused(
    webhook: ZaloWebhook, clock: Clock, tamper: Any, reason: str
) -> None:
    raw, headers = events.signed(events.text(USER, "hello", timestamp=ms(clock)))
    with pytest.raises(WebhookRefused) as refused:
        webhook.verify(*tamper(raw, headers))
    assert refused.value.reason == reason


async def test_the_oa_secret_key_not_another_secret_signs(
    webhook: ZaloWebhook, clock: Clock
) -> None:
    event = events.text(USER, "hello", timestamp=ms(clock))
    with pytest.raises(WebhookRefused, match="bad signature"):
        webhook.verify(*events.signed(event, oa_secret_key="the-app-secret"))
    other_app = {**event, "app_id": "999"}
    with pytest.raises(WebhookRefused, match="another app"):
        webhook.verify(*events.signed(other_app))


async def test_old_or_future_timestamps_are_refused(webhook: ZaloWebhook, clock: Clock) -> None:
    for offset in (-3601, 301):
        event = events.text(USER, "hello", timestamp=ms(clock, offset))
        with pytest.raises(WebhookRefused, match="stale"):
            webhook.verify(*events.signed(event))
    fresh = events.text(USER, "hello", timestamp=ms(clock, -3500))
    assert len(webhook.verify(*events.signed(fresh)).events) == 1
