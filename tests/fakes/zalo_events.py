"""Zalo OA webhook events as Zalo posts them, and their `X-ZEvent-Signature`.

Ids are 64-bit integers; `numeric_ids=True` writes them as JSON numbers (past 2**53, where
a float-based parser would round them) to test that the bot keeps their exact digits.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import time
from typing import Any

APP_ID = "4291763606161179100"
OA_ID = "1365410903334518373"
OA_SECRET_KEY = "oa-secret-KEY-123"
APP_SECRET = "app-secret-XYZ"

_ids = itertools.count(1)


def now_ms() -> str:
    """Zalo's timestamp: milliseconds, as a string."""
    return str(int(time.time() * 1000))


def _id(value: str, numeric: bool) -> str | int:
    return int(value) if numeric else value


def message(
    name: str,
    user_id: str,
    *,
    text: str | None = None,
    attachments: list[dict[str, Any]] | None = None,
    timestamp: str | None = None,
    msg_id: str | None = None,
    numeric_ids: bool = False,
) -> dict[str, Any]:
    """A `user_send_*` event from `user_id` to the OA."""
    body: dict[str, Any] = {"msg_id": msg_id or f"msg{next(_ids):06d}"}
    if text is not None:
        body["text"] = text
    if attachments is not None:
        body["attachments"] = attachments
    return {
        "app_id": APP_ID,
        "user_id_by_app": _id("5" + user_id[1:], numeric_ids) if user_id else "",
        "event_name": name,
        "timestamp": timestamp or now_ms(),
        "sender": {"id": _id(user_id, numeric_ids)},
        "recipient": {"id": _id(OA_ID, numeric_ids)},
        "message": body,
    }


def text(user_id: str, content: str, **options: Any) -> dict[str, Any]:
    """The follower typed `content` (or tapped a button whose payload it is)."""
    return message("user_send_text", user_id, text=content, **options)


def attachment(kind: str, user_id: str, payload: dict[str, Any], **options: Any) -> dict[str, Any]:
    """`user_send_<kind>` with one attachment of that kind."""
    attached = [{"type": kind, "payload": payload}]
    return message(f"user_send_{kind}", user_id, attachments=attached, **options)


def follow(user_id: str, *, unfollow: bool = False, timestamp: str | None = None) -> dict[str, Any]:
    """The user followed (or unfollowed) the OA."""
    return {
        "app_id": APP_ID,
        "oa_id": OA_ID,
        "user_id_by_app": "5" + user_id[1:],
        "event_name": "unfollow" if unfollow else "follow",
        "timestamp": timestamp or now_ms(),
        "source": "oa_profile",
        "follower": {"id": user_id},
    }


def signed(
    event: dict[str, Any], *, app_id: str = APP_ID, oa_secret_key: str = OA_SECRET_KEY
) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Zalo would post for `event`."""
    raw = json.dumps(event, ensure_ascii=False).encode()
    # Written from Zalo's rule, independently of the bot's code, so a test can catch it.
    signed_text = f"{app_id}{raw.decode()}{event['timestamp']}{oa_secret_key}"
    mac = "mac=" + hashlib.sha256(signed_text.encode()).hexdigest()
    return raw, {"Content-Type": "application/json", "X-ZEvent-Signature": mac}
