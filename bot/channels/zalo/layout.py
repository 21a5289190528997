"""A `Reply` as Zalo customer-service messages, within the platform's limits.

Long texts are split (at most 2000 characters a message); buttons become `oa.query.hide`
buttons (the payload comes back as the customer's message without showing in the chat),
at most 5 a message, on the last part; more buttons follow in further messages. Titles
are shortened to 100 characters; a payload over 1000 bytes cannot be cut without
changing its meaning, so that button is dropped (and logged) by `fit_buttons`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from bot.channels.fitting import fit_buttons
from bot.channels.shared.split import split_text
from bot.channels.zalo.rules import LIMITS, MAX_BUTTONS, MAX_TEXT
from bot.effects import Button, Reply

# Every button that fits; the count is handled here, by further messages.
_EACH = replace(LIMITS, buttons_per_message=None)

MORE = "…"  # the text of a message that only carries further buttons


def messages_of(reply: Reply) -> list[dict[str, Any]]:
    """The `message` objects of the OA API for one reply, in sending order."""
    parts = split_text(reply.text, MAX_TEXT)
    buttons = list(fit_buttons(reply.buttons, _EACH))
    groups = [buttons[i : i + MAX_BUTTONS] for i in range(0, len(buttons), MAX_BUTTONS)]
    messages: list[dict[str, Any]] = [{"text": part} for part in parts[:-1]]
    messages.append(_message(parts[-1], groups[0] if groups else []))
    messages += [_message(MORE, group) for group in groups[1:]]
    return messages


def _message(text: str, buttons: list[Button]) -> dict[str, Any]:
    if not buttons:
        return {"text": text}
    return {
        "text": text,
        "attachment": {
            "type": "template",
            "payload": {
                "buttons": [
                    {
                        "title": b.title,
                        "type": "oa.query.hide",
                        "payload": b.payload,
                    }
                    for b in buttons
                ]
            },
        },
    }
