"""What a Telegram update says about the customer: identity, language hint, profile."""

from __future__ import annotations

import re
from typing import Any

from aiogram.types import Message
from aiogram.types import User as TelegramUser

from bot.inbound import Inbound
from bot.lifecycle import Locale

CHANNEL = "telegram"
_REFERRAL = re.compile(r"ref_(?P<code>[A-Za-z0-9_-]{1,60})")
_MESSAGE_KEY = re.compile(r"tg:(?P<chat>-?\d+):(?P<message>\d+)")


def message_key(message: Message) -> str:
    """The idempotency id of a message: stable when Telegram delivers it again."""
    return f"tg:{message.chat.id}:{message.message_id}"


def message_source(key: str | None) -> tuple[int, int] | None:
    """(chat id, message id) back from a `message_key`; None for any other id."""
    match = _MESSAGE_KEY.fullmatch(key or "")
    return (int(match["chat"]), int(match["message"])) if match else None


def external_id(user: TelegramUser) -> str:
    """The customer's external id: their Telegram user id."""
    return str(user.id)


def locale_hint(user: TelegramUser) -> Locale | None:
    """`vi` for a Vietnamese Telegram app (`vi`, `vi-VN`), `en` for any other language."""
    if not user.language_code:
        return None
    return "vi" if user.language_code.lower().startswith("vi") else "en"


def profile_of(user: TelegramUser) -> dict[str, Any]:
    """The profile fields Telegram tells us (names and username, when set)."""
    fields = {"first_name": user.first_name, "last_name": user.last_name}
    fields["username"] = user.username
    return {key: value for key, value in fields.items() if value}


def referral_code(start_args: str | None) -> str | None:
    """The code of a `/start ref_<code>` deep link; None for any other payload."""
    if not start_args:
        return None
    match = _REFERRAL.fullmatch(start_args.strip())
    return match.group("code") if match else None


def inbound_from(
    user: TelegramUser,
    text: str,
    message_id: str,
    *,
    referral: str | None = None,
    media: bool = False,
) -> Inbound:
    """What a Telegram customer sent, for the engine: identity, language hint, profile."""
    return Inbound(
        channel=CHANNEL,
        external_id=external_id(user),
        text=text,
        message_id=message_id,
        locale=locale_hint(user),
        profile=profile_of(user),
        referral=referral,
        media=media,
    )
