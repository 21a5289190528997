"""Replies made to fit a channel's limits: long texts split, buttons within bounds."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from bot.channels.base import ChannelLimits
from bot.channels.shared.split import shorten, split_text
from bot.effects import Button, Reply

log = logging.getLogger(__name__)


def fit(replies: Sequence[Reply], limits: ChannelLimits) -> list[Reply]:
    """`replies` as messages the platform accepts; a split reply has its buttons last."""
    messages: list[Reply] = []
    for reply in replies:
        parts = (
            [reply.text]
            if limits.text_length is None
            else split_text(reply.text, limits.text_length, limits.measure)
        )
        messages += [Reply(part, author=reply.author) for part in parts[:-1]]
        messages.append(Reply(parts[-1], fit_buttons(reply.buttons, limits), reply.author))
    return messages


def fit_buttons(buttons: Sequence[Button], limits: ChannelLimits) -> tuple[Button, ...]:
    """The buttons the platform takes; one it would refuse is left out and logged.

    The policy loader keeps payloads short; a longer one would make the platform refuse
    the whole message.
    """
    kept: list[Button] = []
    for button in buttons:
        payload = limits.payload_bytes
        if payload is not None and len(button.payload.encode()) > payload:
            log.error("button %r: payload over %d bytes left out", button.title, payload)
            continue
        kept.append(Button(_title(button.title, limits.button_title_length), button.payload))
    most = limits.buttons_per_message
    if most is not None and len(kept) > most:
        log.error("%d buttons in one message; the last %d left out", len(kept), len(kept) - most)
        kept = kept[:most]
    return tuple(kept)


def _title(title: str, limit: int | None) -> str:
    return title if limit is None else shorten(title, limit)
