"""Replies fit to a channel's declared limits: texts split, buttons within bounds."""

from __future__ import annotations

from dataclasses import replace

from bot.channels.base import ChannelLimits
from bot.channels.fitting import fit
from bot.effects import Button, Reply

NONE = ChannelLimits(
    text_length=None,
    buttons_per_message=None,
    button_title_length=None,
    payload_bytes=None,
    seconds_between_messages=None,
)
SMALL = replace(
    NONE, text_length=20, buttons_per_message=2, button_title_length=8, payload_bytes=10
)


def test_without_limits_replies_go_as_they_are() -> None:
    replies = [Reply("x" * 5000, (Button("A very long title indeed", "/" + "p" * 100),))]
    assert fit(replies, NONE) == replies


def test_a_long_text_is_split_with_the_buttons_on_the_last_part() -> None:
    reply = Reply("first part here\n\nsecond part here", (Button("Yes", "/affirm"),))
    assert fit([reply], SMALL) == [
        Reply("first part here"),
        Reply("second part here", (Button("Yes", "/affirm"),)),
    ]


def test_buttons_past_the_limits_are_left_out_or_shortened() -> None:
    buttons = (
        Button("Pricing", "/ask_price"),
        Button("Too long payload", "/nps" + '{"score": 10}'),
        Button("Start a free trial", "/trial"),
        Button("Help", "/help"),
    )
    [fitted] = fit([Reply("Hi", buttons)], SMALL)
    assert fitted.buttons == (Button("Pricing", "/ask_price"), Button("Start a…", "/trial"))


def test_length_is_counted_as_the_platform_counts() -> None:
    utf16 = replace(NONE, text_length=4, measure=lambda t: len(t.encode("utf-16-le")) // 2)
    assert [r.text for r in fit([Reply("😀" * 3)], utf16)] == ["😀😀", "😀"]
