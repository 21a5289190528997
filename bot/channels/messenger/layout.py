"""A `Reply` as Send API message objects, within Messenger's limits.

Texts over 2000 characters are split. Up to 13 buttons become quick replies on the last
part (titles shortened to 20 characters). More buttons do not fit quick replies, so they
go as button templates of 3 postback buttons each, the first carrying the last text part
when it fits a template's 640 characters. A payload over 1000 characters cannot be cut
without changing its meaning: that button is dropped (and logged).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.channels.messenger.rules import (
    MAX_PAYLOAD,
    MAX_QUICK_REPLIES,
    MAX_TEMPLATE_BUTTONS,
    MAX_TEMPLATE_TEXT,
    MAX_TEXT,
    MAX_TITLE,
)
from bot.channels.shared.split import shorten, split_text
from bot.effects import Button, Reply

log = logging.getLogger(__name__)

MORE = "…"  # the text of a template that only carries further buttons


def messages_of(reply: Reply) -> list[dict[str, Any]]:
    """The `message` objects for one reply, in sending order."""
    parts = split_text(reply.text, MAX_TEXT)
    buttons = [button for button in reply.buttons if _fits(button)]
    if len(buttons) <= MAX_QUICK_REPLIES:
        messages: list[dict[str, Any]] = [{"text": part} for part in parts[:-1]]
        last: dict[str, Any] = {"text": parts[-1]}
        if buttons:
            last["quick_replies"] = [_quick_reply(b) for b in buttons]
        return [*messages, last]
    texts = parts
    lead = MORE
    if len(parts[-1]) <= MAX_TEMPLATE_TEXT:
        *texts, lead = parts
    size = MAX_TEMPLATE_BUTTONS
    groups = [buttons[i : i + size] for i in range(0, len(buttons), size)]
    templates = [_template(lead if i == 0 else MORE, g) for i, g in enumerate(groups)]
    return [{"text": text} for text in texts] + templates


def _fits(button: Button) -> bool:
    if len(button.payload) <= MAX_PAYLOAD:
        return True
    log.warning("messenger: button %r dropped, payload over %d chars", button.title, MAX_PAYLOAD)
    return False


def _quick_reply(button: Button) -> dict[str, str]:
    title = shorten(button.title, MAX_TITLE)
    return {"content_type": "text", "title": title, "payload": button.payload}


def _template(text: str, buttons: list[Button]) -> dict[str, Any]:
    postbacks = [
        {"type": "postback", "title": shorten(b.title, MAX_TITLE), "payload": b.payload}
        for b in buttons
    ]
    payload = {"template_type": "button", "text": text, "buttons": postbacks}
    return {"attachment": {"type": "template", "payload": payload}}
