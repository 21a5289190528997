"""A `Reply` as Send API message objects, within Messenger's limits.

Texts over 2000 characters are split. Up to 13 buttons become quick replies on the last
part (titles shortened to 20 characters). More buttons do not fit quick replies, so they
go as button templates of 3 postback buttons each, the first carrying the last text part
when it fits a template's 640 characters. A payload over 1000 bytes cannot be cut
without changing its meaning: `fit_buttons` drops that button (and logs it).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.channels.fitting import fit_buttons
from bot.channels.messenger.rules import (
    LIMITS,
    MAX_QUICK_REPLIES,
    MAX_TEMPLATE_BUTTONS,
    MAX_TEMPLATE_TEXT,
    MAX_TEXT,
)
from bot.channels.shared.split import split_text
from bot.effects import Button, Reply

# Every button that fits; past 13 they go as templates instead of being left out.
_EACH = replace(LIMITS, buttons_per_message=None)

MORE = "…"  # the text of a template that only carries further buttons


def messages_of(reply: Reply) -> list[dict[str, Any]]:
    """The `message` objects for one reply, in sending order."""
    parts = split_text(reply.text, MAX_TEXT)
    buttons = list(fit_buttons(reply.buttons, _EACH))
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


def _quick_reply(button: Button) -> dict[str, str]:
    return {"content_type": "text", "title": button.title, "payload": button.payload}


def _template(text: str, buttons: list[Button]) -> dict[str, Any]:
    postbacks = [{"type": "postback", "title": b.title, "payload": b.payload} for b in buttons]
    payload = {"template_type": "button", "text": text, "buttons": postbacks}
    return {"attachment": {"type": "template", "payload": payload}}
