"""Zalo OA rules the bot enforces (sources in docs/platforms.md)."""

from __future__ import annotations

from bot.channels.base import ChannelLimits
from bot.channels.shared.window import DAY, WindowVerdict, within

CHANNEL = "zalo"
MAX_TEXT = 2000  # characters of a customer-service text message
MAX_BUTTONS = 5  # buttons on one message
MAX_BUTTON_TITLE = 100  # characters
MAX_BUTTON_PAYLOAD = 1000  # characters of an oa.query.hide payload
WINDOW_SECONDS = 7 * DAY  # customer-service messages: 7 days after the last interaction
TOKEN_LIFETIME_SECONDS = 90000  # 25 h, what the OAuth v4 endpoint answers in `expires_in`

# Buttons past 5 go in further messages; the payload limit is counted in bytes here
# (Zalo counts characters, so this is the stricter reading for non-ASCII payloads).
LIMITS = ChannelLimits(
    text_length=MAX_TEXT,
    buttons_per_message=MAX_BUTTONS,
    button_title_length=MAX_BUTTON_TITLE,
    payload_bytes=MAX_BUTTON_PAYLOAD,
    seconds_between_messages=1.0,
)


def window(last_inbound: float | None, now: float) -> WindowVerdict:
    """May a customer-service ("tư vấn") message go to a follower now."""
    return within(CHANNEL, last_inbound, now, WINDOW_SECONDS, "7-day")
