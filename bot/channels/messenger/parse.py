"""Messenger webhook notifications as typed results.

A notification batches events: `entry[].messaging[]`. Messages, quick-reply taps and
postbacks become `Message`s (a tap or postback brings its payload as the text, which the
engine reads as a button); attachments are described; an `m.me/<page>?ref=ref_<code>`
referral rides on the first postback or message (a new conversation) or arrives alone
(`Referred`, an existing conversation). Echoes of the page's own messages, receipts and
reactions give nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.messenger.rules import CHANNEL
from bot.channels.shared.events import Message, ParsedEvent, Referred
from bot.channels.shared.refs import referral_code
from bot.inbound import Inbound

log = logging.getLogger(__name__)


def events_of(body: dict[str, Any]) -> list[ParsedEvent]:
    """Every event the bot acts on, in the order Meta sent them."""
    if body.get("object") != "page":
        return []
    found: list[ParsedEvent] = []
    for entry in body.get("entry") or []:
        for item in entry.get("messaging") or []:
            event = _event(item)
            if event is not None:
                found.append(event)
    return found


def _event(item: dict[str, Any]) -> ParsedEvent | None:
    psid = str(item.get("sender", {}).get("id", ""))
    at = int(str(item.get("timestamp") or 0)) / 1000
    message, postback = item.get("message"), item.get("postback")
    if not psid or (message and message.get("is_echo")):
        return None
    ref = _ref(item, message, postback)
    if postback:
        text = str(postback.get("payload") or postback.get("title") or "")
        mid = postback.get("mid") or f"{psid}:{item.get('timestamp')}:postback"
        return Message(_inbound(psid, text, mid, ref), at)
    if message:
        return _message(psid, message, ref, at)
    if ref is not None:
        event_id = f"fb:{psid}:{item.get('timestamp')}:referral"
        return Referred(psid, ref, referral_code(ref), at, event_id)
    log.debug("messenger: ignored %s", sorted(item))
    return None


def _ref(item: dict[str, Any], message: Any, postback: Any) -> str | None:
    for holder in (item, message or {}, postback or {}):
        referral = holder.get("referral")
        if referral and referral.get("ref"):
            return str(referral["ref"])
    return None


def _message(psid: str, message: dict[str, Any], ref: str | None, at: float) -> Message | None:
    mid = str(message.get("mid") or "")
    quick = message.get("quick_reply") or {}
    if quick.get("payload"):
        return Message(_inbound(psid, str(quick["payload"]), mid, ref), at)
    attachments = message.get("attachments") or []
    text = str(message.get("text") or "").strip()
    if attachments:
        described = " ".join(describe(a) for a in attachments)
        return Message(_inbound(psid, f"{described} {text}".strip(), mid, ref, media=True), at)
    return Message(_inbound(psid, text, mid, ref), at) if text else None


def _inbound(psid: str, text: str, mid: str, ref: str | None, *, media: bool = False) -> Inbound:
    return Inbound(CHANNEL, psid, text, f"fb:{mid}", referral=referral_code(ref), media=media)


def describe(attachment: dict[str, Any]) -> str:
    """A transcript label for one attachment, e.g. `[sticker]`, `[location 10.7,106.7]`."""
    kind = str(attachment.get("type") or "attachment")
    payload = attachment.get("payload") or {}
    if kind == "sticker" or (kind == "image" and payload.get("sticker_id")):
        return "[sticker]"
    if kind == "location":
        place = payload.get("coordinates") or {}
        return f"[location {place.get('lat')},{place.get('long')}]"
    if kind == "fallback" and payload.get("url"):
        return f"[link {payload['url']}]"
    return f"[{kind}]"
