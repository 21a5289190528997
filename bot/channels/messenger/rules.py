"""Messenger Platform rules the bot enforces (sources in docs/platforms.md)."""

from __future__ import annotations

from bot.channels.base import ChannelLimits
from bot.channels.shared.window import DAY, WindowVerdict, within

CHANNEL = "messenger"
MAX_TEXT = 2000  # characters of a text message
MAX_QUICK_REPLIES = 13
MAX_TEMPLATE_TEXT = 640  # characters of a button template's text
MAX_TEMPLATE_BUTTONS = 3
MAX_TITLE = 20  # characters of a quick reply or button title
MAX_PAYLOAD = 1000  # characters of a quick reply or postback payload
STANDARD_WINDOW = DAY  # free-form messages: 24 h after the customer's last message
HUMAN_AGENT_WINDOW = 7 * DAY  # the HUMAN_AGENT tag: a person's reply, up to 7 days
HUMAN_AGENT = "HUMAN_AGENT"

# Up to 13 buttons go as quick replies, more as button templates of 3; the payload limit
# is counted in bytes here (Meta counts characters: the stricter reading).
LIMITS = ChannelLimits(
    text_length=MAX_TEXT,
    buttons_per_message=MAX_QUICK_REPLIES,
    button_title_length=MAX_TITLE,
    payload_bytes=MAX_PAYLOAD,
    seconds_between_messages=1.0,
)


def window(last_inbound: float | None, now: float, *, staff_reply: bool = False) -> WindowVerdict:
    """May a message go to the customer now; a staff reply may use the human-agent tag."""
    standard = within(CHANNEL, last_inbound, now, STANDARD_WINDOW, "24-hour")
    if standard.allowed or not staff_reply:
        return standard
    human = within(CHANNEL, last_inbound, now, HUMAN_AGENT_WINDOW, "7-day human agent")
    if human.allowed:
        return WindowVerdict(True, closes_at=human.closes_at, tag=HUMAN_AGENT)
    return human
