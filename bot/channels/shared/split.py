"""Splitting long texts into the messages a platform accepts.

Platforms count length differently (Telegram in UTF-16 code units, Zalo and Messenger in
characters), so the measure is a parameter.
"""

from __future__ import annotations

from collections.abc import Callable

Measure = Callable[[str], int]


def split_text(text: str, limit: int, measure: Measure = len) -> list[str]:
    """`text` in parts of at most `limit`, cut at paragraph, then line, then word breaks.

    A single word longer than `limit` is cut where it must be.
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
    # Every measure in use is additive over characters, so a running total suffices.
    parts: list[str] = []
    current: list[str] = []
    length = 0
    for char in text:
        units = measure(char)
        if current and length + units > limit:
            parts.append("".join(current))
            current, length = [], 0
        current.append(char)
        length += units
    return [*parts, "".join(current)] if current else parts


def shorten(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, with an ellipsis when it was cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
