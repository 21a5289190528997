"""The bot's own short replies on Telegram, outside the stage policies."""

from __future__ import annotations

from bot.effects import Button, Reply
from bot.lifecycle import Locale

EDITED: dict[Locale, str] = {
    "vi": "Mình chỉ đọc tin nhắn mới, chưa đọc được tin đã sửa. Bạn gửi lại giúp mình nhé.",
    "en": "I only read new messages, not edits. Could you send it again?",
}
ALREADY_CHOSEN: dict[Locale, str] = {
    "vi": "Bạn đã chọn rồi ạ.",
    "en": "You already chose.",
}
ASK_LANGUAGE: dict[Locale, str] = {
    "vi": "Bạn muốn mình nói tiếng nào?",
    "en": "Which language would you like me to use?",
}
LANGUAGE_SET: dict[Locale, str] = {
    "vi": "Từ giờ mình sẽ nói tiếng Việt.",
    "en": "I'll speak English from now on.",
}
LANGUAGE_PAYLOAD = "lang:"  # callback data `lang:vi` / `lang:en`; never a policy payload


def language_menu(locale: Locale) -> Reply:
    """The `/language` question with one button per language."""
    return Reply(
        ASK_LANGUAGE[locale],
        (
            Button("Tiếng Việt", f"{LANGUAGE_PAYLOAD}vi"),
            Button("English", f"{LANGUAGE_PAYLOAD}en"),
        ),
    )
