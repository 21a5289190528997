"""Messenger webhook requests: the subscription check, signatures and every event kind."""

from __future__ import annotations

from typing import Any

import pytest

from bot.channels.messenger.webhook import MessengerWebhook
from bot.channels.shared.events import Message, Referred, WebhookRefused
from tests.fakes import messenger_events as events
from tests.fakes.messenger_events import APP_SECRET, VERIFY_TOKEN

PSID = "24681357902468135"


@pytest.fixture
def webhook() -> MessengerWebhook:
    return MessengerWebhook(app_secret=APP_SECRET, verify_token=VERIFY_TOKEN)


async def parsed(webhook: MessengerWebhook, *items: dict[str, Any]) -> list[Any]:
    return await webhook.handle_webhook(*events.signed(events.page(*items)))


def test_the_subscription_check_echoes_the_challenge(webhook: MessengerWebhook) -> None:
    assert webhook.verify_subscription(events.verification(challenge="42")) == "42"
    for params in (
        events.verification(token="guess"),
        {**events.verification(), "hub.mode": "unsubscribe"},
        {},
    ):
        with pytest.raises(WebhookRefused):
            webhook.verify_subscription(params)


async def test_text_quick_reply_and_postback_become_messages(webhook: MessengerWebhook) -> None:
    got = await parsed(
        webhook,
        events.text(PSID, "giá gói pro bao nhiêu?", timestamp=1_700_000_000_123),
        events.quick_reply(PSID, "Gói Pro", "/ask_price"),
        events.postback(PSID, "/request_trial", title="Dùng thử"),
    )
    assert [g.inbound.text for g in got] == [
        "giá gói pro bao nhiêu?",
        "/ask_price",
        "/request_trial",
    ]
    first = got[0]
    assert isinstance(first, Message) and first.at == 1_700_000_000.123
    assert first.inbound.channel == "messenger" and first.inbound.external_id == PSID
    assert all(g.inbound.message_id.startswith("fb:m_") for g in got)
    assert len({g.inbound.message_id for g in got}) == 3


async def test_an_m_me_referral_starts_a_conversation_with_its_code(
    webhook: MessengerWebhook,
) -> None:
    (started,) = await parsed(webhook, events.postback(PSID, "GET_STARTED", ref="ref_AN123"))
    assert isinstance(started, Message) and started.inbound.referral == "AN123"
    (other,) = await parsed(webhook, events.postback(PSID, "GET_STARTED", ref="summer_ads"))
    assert other.inbound.referral is None


async def test_a_referral_into_an_existing_conversation_is_its_own_event(
    webhook: MessengerWebhook,
) -> None:
    (referred,) = await parsed(webhook, events.referral(PSID, "ref_BINH42"))
    assert isinstance(referred, Referred)
    assert (referred.external_id, referred.ref, referred.code) == (PSID, "ref_BINH42", "BINH42")


@pytest.mark.parametrize(
    ("kind", "payload", "described"),
    [
        ("image", {"url": "https://fb/x.jpg"}, "[image]"),
        ("image", {"url": "https://fb/s.png", "sticker_id": 369239263222822}, "[sticker]"),
        ("sticker", {"url": "https://fb/s.png", "sticker_id": 1}, "[sticker]"),
        ("audio", {"url": "https://fb/a.mp4"}, "[audio]"),
        ("video", {"url": "https://fb/v.mp4"}, "[video]"),
        ("file", {"url": "https://fb/f.pdf"}, "[file]"),
        ("location", {"coordinates": {"lat": 10.77, "long": 106.7}}, "[location 10.77,106.7]"),
        ("fallback", {"url": "https://salemate.vn"}, "[link https://salemate.vn]"),
    ],
)
async def test_attachments_are_described(
    webhook: MessengerWebhook, kind: str, payload: dict[str, Any], described: str
) -> None:
    (got,) = await parsed(webhook, events.attachment(PSID, kind, payload))
    assert got.inbound.media and got.inbound.text == described


async def test_echoes_receipts_and_other_objects_give_nothing(webhook: MessengerWebhook) -> None:
    read = {
        "sender": {"id": PSID},
        "recipient": {"id": "1"},
        "timestamp": 1,
        "read": {"watermark": 1},
    }
    assert await parsed(webhook, events.echo(PSID, "our own reply"), read) == []
    instagram = {**events.page(events.text(PSID, "hi")), "object": "instagram"}
    assert await webhook.handle_webhook(*events.signed(instagram)) == []


async def test_bad_signatures_are_refused(webhook: MessengerWebhook) -> None:
    raw, headers = events.signed(events.page(events.text(PSID, "hi")))
    for forged in (
        (raw, {**headers, "X-Hub-Signature-256": "sha256=" + "0" * 64}),
        (raw.replace(b"hi", b"ho"), headers),
        (raw, {"Content-Type": "application/json"}),
        events.signed(events.page(events.text(PSID, "hi")), app_secret="another-app"),
    ):
        with pytest.raises(WebhookRefused, match="bad signature"):
            await webhook.handle_webhook(*forged)
    lower = {k.lower(): v for k, v in headers.items()}  # header names are case-insensitive
    assert len(await webhook.handle_webhook(raw, lower)) == 1
