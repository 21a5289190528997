"""Replies made to fit a channel's limits: long texts split, buttons within bounds."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from bot.channels.base import ChannelLimits
from bot.effects import Button, Reply

log = logging.getLogger(__name__)

Measure = Callable[[str], int]


def fit(replies: Sequence[Reply], limits: ChannelLimits) -> list[Reply]:
    """`replies` as messages the platform accepts; a split reply has its buttons last."""
    messages: list[Reply] = []
    for reply in replies:
        parts = (
            [reply.text]
            if limits.text_length is None
            else split_text(reply.text, limits.text_length, limits.measure)
        )
        messages += [Reply(part) for part in parts[:-1]]
        messages.append(Reply(parts[-1], fit_buttons(reply.buttons, limits)))
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
        kept.append(Button(_shorten(button.title, limits.button_title_length), button.payload))
    most = limits.buttons_per_message
    if most is not None and len(kept) > most:
        log.error("%d buttons in one message; the last %d left out", len(kept), len(kept) - most)
        kept = kept[:most]
    return tuple(kept)


def _shorten(title: str, limit: int | None) -> str:
    return title if limit is None or len(title) <= limit else title[: limit - 1] + "…"


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """`text` in parts of at most `limit`, cut at paragraph, then line, then word breaks.

    `measure` counts length as the platform does; a single word longer than `limit` is
    cut where it must be.
    """
    if measure(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit, measure)
    return _cut(text, limit, measure)


def _pack(pieces: list[str], separator: str, limit: int, measure: Measure) -> list[str]:
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if measure(piece) <= limit:
            current = piece
        else:
            *whole, current = split_text(piece, limit, measure)
            parts.extend(whole)
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def _cut(text: str, limit: int, measure: Measure) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for char in text:
        units = measure(char)
        if length + units > limit:
            parts.append("".join(current))
            current, length = [], 0
        current.append(char)
        length += units
    return [*parts, "".join(current)] if current else parts
