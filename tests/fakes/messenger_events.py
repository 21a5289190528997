"""Messenger webhook notifications as Meta posts them, with their `X-Hub-Signature-256`."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import time
from typing import Any

APP_SECRET = "fb-app-secret-123"
VERIFY_TOKEN = "verify-me-456"
PAGE_ID = "107654321098765"

_mids = itertools.count(1)


def now_ms() -> int:
    """Meta's timestamps: milliseconds, as a number."""
    return int(time.time() * 1000)


def _item(psid: str, timestamp: int | None, **content: Any) -> dict[str, Any]:
    return {
        "sender": {"id": psid},
        "recipient": {"id": PAGE_ID},
        "timestamp": timestamp or now_ms(),
        **content,
    }


def text(psid: str, content: str, *, timestamp: int | None = None, **extra: Any) -> dict[str, Any]:
    """The customer typed `content`."""
    message = {"mid": f"m_{next(_mids)}", "text": content, **extra}
    return _item(psid, timestamp, message=message)


def quick_reply(psid: str, title: str, payload: str, **options: Any) -> dict[str, Any]:
    """The customer tapped a quick reply: its title as text, its payload beside."""
    return text(psid, title, quick_reply={"payload": payload}, **options)


def postback(
    psid: str,
    payload: str,
    *,
    title: str = "Get Started",
    ref: str | None = None,
    timestamp: int | None = None,
) -> dict[str, Any]:
    """The customer pressed a postback button (or Get Started, with an m.me `ref`)."""
    body: dict[str, Any] = {"mid": f"m_{next(_mids)}", "title": title, "payload": payload}
    if ref is not None:
        body["referral"] = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
    return _item(psid, timestamp, postback=body)


def referral(psid: str, ref: str, *, timestamp: int | None = None) -> dict[str, Any]:
    """An existing conversation reopened through `m.me/<page>?ref=<ref>`."""
    body = {"ref": ref, "source": "SHORTLINK", "type": "OPEN_THREAD"}
    return _item(psid, timestamp, referral=body)


def attachment(psid: str, kind: str, payload: dict[str, Any], **options: Any) -> dict[str, Any]:
    """A message with one attachment."""
    message = {"mid": f"m_{next(_mids)}", "attachments": [{"type": kind, "payload": payload}]}
    return _item(psid, options.get("timestamp"), message=message)


def echo(psid: str, content: str) -> dict[str, Any]:
    """The page's own message, echoed back."""
    message = {"mid": f"m_{next(_mids)}", "text": content, "is_echo": True, "app_id": 1}
    return {**_item(PAGE_ID, None, message=message), "recipient": {"id": psid}}


def page(*items: dict[str, Any]) -> dict[str, Any]:
    """One notification carrying `items` (Meta may batch several)."""
    entry = {"id": PAGE_ID, "time": now_ms(), "messaging": list(items)}
    return {"object": "page", "entry": [entry]}


def signed(body: dict[str, Any], *, app_secret: str = APP_SECRET) -> tuple[bytes, dict[str, str]]:
    """The raw body and headers Meta would post."""
    raw = json.dumps(body, ensure_ascii=False).encode()
    digest = hmac.new(app_secret.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"Content-Type": "application/json", "X-Hub-Signature-256": f"sha256={digest}"}


def verification(token: str = VERIFY_TOKEN, challenge: str = "1158201444") -> dict[str, str]:
    """The query of Meta's GET that confirms the callback URL."""
    return {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": challenge}
