"""Buttons that an enabled channel could not send: payloads over its limit.

Telegram's 64-byte callback data is checked by the schema itself (the smallest limit, so
policies stay portable); this check takes the limits of the channels a bot runs
(`ChannelLimits` of each registered channel), so a channel with a stricter limit added
later refuses a policy it could not send, on start and on publish.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from pydantic import BaseModel

from bot.channels.base import ChannelLimits
from bot.policies.texts import MAX_PAYLOAD_BYTES, ButtonSpec

Path = tuple[str | int, ...]


def stricter_than_schema(limits: ChannelLimits) -> bool:
    """Whether a channel's payload limit is below what the schema already enforces."""
    return limits.payload_bytes is not None and limits.payload_bytes < MAX_PAYLOAD_BYTES


def limit_problems(model: BaseModel, limits: Mapping[str, ChannelLimits]) -> list[tuple[Path, str]]:
    """`(path, message)` for each button payload over an enabled channel's limit."""
    found = []
    for path, button in _buttons(model, ()):
        size = len(button.payload.encode())
        for channel, limit in sorted(limits.items()):
            if limit.payload_bytes is not None and size > limit.payload_bytes:
                message = f"payload is {size} bytes; {channel} allows {limit.payload_bytes}"
                found.append(((*path, "payload"), message))
    return found


def _buttons(value: Any, path: Path) -> Iterator[tuple[Path, ButtonSpec]]:
    if isinstance(value, ButtonSpec):
        yield path, value
    elif isinstance(value, BaseModel):
        for field in type(value).model_fields:
            yield from _buttons(getattr(value, field), (*path, field))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _buttons(item, (*path, index))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _buttons(item, (*path, str(key)))
