"""An inbound message, as every channel adapter hands it to the turn engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.lifecycle import Locale

MAX_TEXT_LENGTH = 4096  # Telegram's limit; the REST channel enforces the same


@dataclass(frozen=True, slots=True)
class Inbound:
    """One customer message.

    `message_id` makes the turn idempotent: the same id is processed once and later
    copies get the stored replies. `locale` is a hint (Telegram's `language_code`).
    `referral` is the code a new customer arrived with, if any. `media` marks a message
    that is not text (a photo, a sticker): `text` only describes it.
    """

    channel: str
    external_id: str
    text: str
    message_id: str | None = None
    locale: Locale | None = None
    profile: dict[str, Any] = field(default_factory=dict)
    referral: str | None = None
    media: bool = False
