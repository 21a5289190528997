"""How the inbox names a customer and the reason a person was asked for."""

from __future__ import annotations

from bot.user import User

CHANNEL_NAMES = {
    "rest": "Web chat",
    "telegram": "Telegram",
    "zalo": "Zalo",
    "messenger": "Messenger",
    "cli": "Terminal",
}


def channel_of(user: User) -> str:
    """The channel the customer first came from."""
    return user.identities[0].partition(":")[0] if user.identities else "unknown"


def customer_name(user: User) -> str:
    """The profile's first name, else the channel's name for them, else a short id."""
    first = str(user.profile.get("first_name", "")).strip()
    if first:
        last = str(user.profile.get("last_name", "")).strip()
        return f"{first} {last}".strip()
    for key in ("name", "username"):
        value = str(user.profile.get(key, "")).strip()
        if value:
            return f"@{value}" if key == "username" else value
    channel = CHANNEL_NAMES.get(channel_of(user), channel_of(user))
    return f"{channel} #{user.id[-6:]}"
