"""Zalo OA webhook events as typed results.

Zalo's ids are 64-bit integers that some JSON parsers round; bodies come decoded with
every integer kept as its exact digits (`shared.events.decode`), so ids stay strings.
Events the bot does not act on (delivery and seen receipts, the OA's own messages, tags)
give nothing.
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.shared.events import Followed, Message, ParsedEvent, Unfollowed
from bot.channels.zalo.rules import CHANNEL
from bot.inbound import Inbound

log = logging.getLogger(__name__)

# What a non-text message is called in the transcript, by event name.
_MEDIA = {
    "user_send_image": "image",
    "user_send_gif": "gif",
    "user_send_sticker": "sticker",
    "user_send_audio": "audio",
    "user_send_video": "video",
    "user_send_file": "file",
    "user_send_location": "location",
    "user_send_link": "link",
    "user_send_business_card": "business card",
}
# A tapped oa.query button arrives as a message whose text is the button's payload.
_TEXT = frozenset({"user_send_text", "user_click_button"})


def seconds(timestamp: object) -> float:
    """Zalo's millisecond timestamp (a string or number) in seconds."""
    return int(str(timestamp)) / 1000


def events_of(body: dict[str, Any]) -> list[ParsedEvent]:
    """The typed result of one webhook event (Zalo posts one event per request)."""
    name = str(body.get("event_name", ""))
    at = seconds(body.get("timestamp", 0))
    if name in ("follow", "unfollow"):
        follower = str(body.get("follower", {}).get("id") or body.get("user_id_by_app", ""))
        event_id = f"zalo:{name}:{follower}:{body.get('timestamp')}"
        kind = Followed if name == "follow" else Unfollowed
        return [kind(follower, at, event_id)] if follower else []
    if name in _TEXT or name in _MEDIA:
        inbound = _inbound(name, body)
        return [Message(inbound, at)] if inbound is not None else []
    log.debug("zalo: ignored event %s", name)
    return []


def _inbound(name: str, body: dict[str, Any]) -> Inbound | None:
    sender = str(body.get("sender", {}).get("id", ""))
    message = body.get("message") or {}
    if not sender:
        return None
    msg_id = message.get("msg_id") or f"{sender}:{body.get('timestamp')}"
    message_id = f"zalo:{msg_id}"
    if name in _TEXT:
        text = str(message.get("text") or "").strip()
        return Inbound(CHANNEL, sender, text, message_id) if text else None
    return Inbound(CHANNEL, sender, describe(name, message), message_id, media=True)


def describe(name: str, message: dict[str, Any]) -> str:
    """A transcript line for a message that is not text, e.g. `[location 10.77,106.70]`."""
    label = _MEDIA[name]
    attachments = message.get("attachments") or [{}]
    payload = attachments[0].get("payload") or {}
    if name == "user_send_location":
        place = payload.get("coordinates") or {}
        label = f"location {place.get('latitude')},{place.get('longitude')}"
    elif name == "user_send_file" and payload.get("name"):
        label = f"file {payload['name']}"
    elif name == "user_send_link" and payload.get("url"):
        label = f"link {payload['url']}"
    caption = str(message.get("text") or "").strip()
    return f"[{label}] {caption}" if caption else f"[{label}]"
