"""Splitting long texts into messages Telegram accepts (it counts UTF-16 code units)."""

from __future__ import annotations

from bot.channels.shared import split

MAX_MESSAGE_LENGTH = 4096  # in UTF-16 code units, as Telegram counts


def telegram_length(text: str) -> int:
    """The length of `text` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """`text` in parts of at most `limit`, cut at paragraph, then line, then word breaks.

    A single word longer than `limit` is cut where it must be.
    """
    return split.split_text(text, limit, telegram_length)
