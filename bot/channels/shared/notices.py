"""The bot's own short replies on every channel, outside the stage policies."""

from __future__ import annotations

from collections.abc import Callable

from bot.effects import Reply
from bot.lifecycle import Locale

NOT_TEXT: dict[Locale, str] = {
    "vi": "Cảm ơn bạn! Hiện mình chỉ đọc được tin nhắn chữ, bạn nhắn giúp mình nội dung nhé.",
    "en": "Thanks! I can only read text messages for now; could you type it for me?",
}


def polite(texts: dict[Locale, str]) -> Callable[[Locale], list[Reply]]:
    """The replies of a notice in the customer's language (for `Engine.note`)."""
    return lambda locale: [Reply(texts[locale])]
