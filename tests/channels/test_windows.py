"""The messaging windows: when Zalo and Messenger accept a free-form message, and why not."""

from __future__ import annotations

from bot.channels.messenger import rules as messenger
from bot.channels.zalo import rules as zalo

NOW = 1_800_000_000.0
HOUR = 3600.0
DAY = 24 * HOUR


def test_zalo_allows_customer_service_messages_for_7_days() -> None:
    open_ = zalo.window(NOW - 6 * DAY, NOW)
    assert open_.allowed and open_.closes_at == NOW + DAY
    closed = zalo.window(NOW - 8 * DAY, NOW)
    assert not closed.allowed
    assert closed.reason == "outside the zalo 7-day window (last message 8.0 days ago)"
    never = zalo.window(None, NOW)
    assert not never.allowed and "has not written" in never.reason


def test_messenger_allows_24_hours_and_a_staff_reply_7_days() -> None:
    assert messenger.window(NOW - 23 * HOUR, NOW).allowed
    bot = messenger.window(NOW - 30 * HOUR, NOW)
    assert not bot.allowed and bot.reason == (
        "outside the messenger 24-hour window (last message 30h ago)"
    )
    staff = messenger.window(NOW - 30 * HOUR, NOW, staff_reply=True)
    assert staff.allowed and staff.tag == "HUMAN_AGENT" and staff.closes_at == NOW + 5.75 * DAY
    within_24h = messenger.window(NOW - HOUR, NOW, staff_reply=True)
    assert within_24h.allowed and within_24h.tag is None  # no tag needed inside 24 h
    late = messenger.window(NOW - 8 * DAY, NOW, staff_reply=True)
    assert not late.allowed and "7-day human agent" in late.reason
