"""Inline keyboards from the policies' buttons."""

from __future__ import annotations

from collections.abc import Sequence

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.effects import Button

CHOSEN = "chosen"  # callback data of the marker that replaces a used keyboard


def inline_keyboard(buttons: Sequence[Button]) -> InlineKeyboardMarkup | None:
    """One button a row, the payload as callback data; None without buttons.

    The buttons fit Telegram's limits already (`fit` with `MESSAGE_LIMITS`).
    """
    rows = [[InlineKeyboardButton(text=b.title, callback_data=b.payload)] for b in buttons]
    return InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def chosen_marker(title: str) -> InlineKeyboardMarkup:
    """What a keyboard becomes once the customer chose: one inert `✓ <title>` button."""
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=f"✓ {title}", callback_data=CHOSEN)]]
    )
