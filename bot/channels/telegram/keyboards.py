"""Inline keyboards from the policies' buttons."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.effects import Button

log = logging.getLogger(__name__)

MAX_CALLBACK_DATA = 64  # bytes, Telegram's limit on callback_data
CHOSEN = "chosen"  # callback data of the marker that replaces a used keyboard


def inline_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One button a row, the payload as callback data; None without buttons.

    The policy loader keeps payloads within 64 bytes; a longer one (which Telegram
    would reject with the whole message) is left out and logged.
    """
    rows = []
    for button in buttons:
        if len(button.payload.encode()) > MAX_CALLBACK_DATA:
            log.error("button %r: payload over %d bytes left out", button.title, MAX_CALLBACK_DATA)
            continue
        rows.append([InlineKeyboardButton(text=button.title, callback_data=button.payload)])
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def chosen_marker(title: str) -> InlineKeyboardMarkup:
    """What a keyboard becomes once the customer chose: one inert `✓ <title>` button."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=f"✓ {title}", callback_data=CHOSEN)]]
    )
