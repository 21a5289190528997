"""Builders of the updates Telegram sends, as plain JSON dicts."""

from __future__ import annotations

import time
from typing import Any

BOT_ID = 123456


def user(
    user_id: int, *, language_code: str | None = "vi", first_name: str = "An"
) -> dict[str, Any]:
    """A Telegram user."""
    data: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": first_name}
    if language_code is not None:
        data["language_code"] = language_code
    return data


def private_chat(user_id: int) -> dict[str, Any]:
    """The private chat of a customer with the bot (its id is the user id)."""
    return {"id": user_id, "type": "private", "first_name": "An"}


def group_chat(chat_id: int) -> dict[str, Any]:
    """A group the bot is in."""
    return {"id": chat_id, "type": "group", "title": "Shop friends"}


def message(
    from_user: dict[str, Any],
    message_id: int,
    *,
    chat: dict[str, Any] | None = None,
    text: str | None = None,
    **content: Any,
) -> dict[str, Any]:
    """A message; `content` adds e.g. `sticker={...}` or `photo=[...]`."""
    data: dict[str, Any] = {
        "message_id": message_id,
        "date": int(time.time()),
        "chat": chat or private_chat(from_user["id"]),
        "from": from_user,
        **content,
    }
    if text is not None:
        data["text"] = text
        if text.startswith("/"):
            command = text.split()[0]
            data["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return data


def callback_query(
    from_user: dict[str, Any], data: str, *, message: dict[str, Any], query_id: str
) -> dict[str, Any]:
    """A press on an inline button of `message` (a bot message, as it is now)."""
    return {
        "id": query_id,
        "from": from_user,
        "chat_instance": "1",
        "data": data,
        "message": message,
    }


def chat_member_update(from_user: dict[str, Any], old: str, new: str) -> dict[str, Any]:
    """`my_chat_member`: the bot's status in the customer's chat changed (blocked: kicked)."""
    bot = {"id": BOT_ID, "is_bot": True, "first_name": "SaleMate"}

    def member(status: str) -> dict[str, Any]:
        return {"user": bot, "status": status, **({"until_date": 0} if status == "kicked" else {})}

    return {
        "chat": private_chat(from_user["id"]),
        "from": from_user,
        "date": int(time.time()),
        "old_chat_member": member(old),
        "new_chat_member": member(new),
    }


STICKER: dict[str, Any] = {
    "sticker": {
        "file_id": "st1",
        "file_unique_id": "u1",
        "type": "regular",
        "width": 512,
        "height": 512,
        "is_animated": False,
        "is_video": False,
        "emoji": "👍",
    }
}
PHOTO: dict[str, Any] = {
    "photo": [{"file_id": "ph1", "file_unique_id": "u2", "width": 90, "height": 90}],
    "caption": "ảnh màn hình lỗi",
}
VOICE: dict[str, Any] = {"voice": {"file_id": "v1", "file_unique_id": "u3", "duration": 3}}
DOCUMENT: dict[str, Any] = {
    "document": {"file_id": "d1", "file_unique_id": "u4", "file_name": "hoadon.pdf"}
}
LOCATION: dict[str, Any] = {"location": {"latitude": 10.7769, "longitude": 106.7009}}
CONTACT: dict[str, Any] = {"contact": {"phone_number": "+84901234567", "first_name": "An"}}
