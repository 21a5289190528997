"""Splitting long texts into messages Telegram accepts."""

from __future__ import annotations

MAX_MESSAGE_LENGTH = 4096  # in UTF-16 code units, as Telegram counts


def telegram_length(text: str) -> int:
    """The length of `text` as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_MESSAGE_LENGTH) -> list[str]:
    """`text` in parts of at most `limit`, cut at paragraph, then line, then word breaks.

    A single word longer than `limit` is cut where it must be.
    """
    if telegram_length(text) <= limit:
        return [text]
    for separator in ("\n\n", "\n", " "):
        pieces = text.split(separator)
        if len(pieces) > 1:
            return _pack(pieces, separator, limit)
    return _cut(text, limit)


def _pack(pieces: list[str], separator: str, limit: int) -> list[str]:
    parts: list[str] = []
    current = ""
    for piece in pieces:
        candidate = f"{current}{separator}{piece}" if current else piece
        if telegram_length(candidate) <= limit:
            current = candidate
            continue
        if current:
            parts.append(current)
        if telegram_length(piece) <= limit:
            current = piece
        else:
            *whole, current = split_text(piece, limit)
            parts.extend(whole)
    if current:
        parts.append(current)
    return [part for part in parts if part.strip()]


def _cut(text: str, limit: int) -> list[str]:
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for char in text:
        units = 2 if ord(char) > 0xFFFF else 1
        if length + units > limit:
            parts.append("".join(current))
            current, length = [], 0
        current.append(char)
        length += units
    return [*parts, "".join(current)] if current else parts
