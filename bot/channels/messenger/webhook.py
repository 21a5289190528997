"""Receiving Messenger webhook requests: the subscription check and signed notifications."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.channels.messenger import parse
from bot.channels.messenger.signature import HEADER, challenge, verify
from bot.channels.shared.events import ParsedEvent, WebhookRefused, decode, well_formed


class MessengerWebhook:
    """Verifies and parses what Meta sends to the bot's webhook URL."""

    def __init__(self, *, app_secret: str, verify_token: str) -> None:
        self._secret = app_secret
        self._verify_token = verify_token

    def verify_subscription(self, params: Mapping[str, str]) -> str:
        """The challenge to answer (200, text/plain) to `GET` with our verify token.

        Raises:
            WebhookRefused: not our token (answer 403).

        """
        return challenge(params, self._verify_token)

    async def handle_webhook(
        self, raw_body: bytes, headers: Mapping[str, str]
    ) -> list[ParsedEvent]:
        """The events of one signed notification.

        Meta signs no timestamp, so replays are caught later by the message ids (`fb:<mid>`),
        which make turns idempotent.

        Raises:
            WebhookRefused: bad or missing signature, or not JSON (answer 401).

        """
        return [
            event
            for item in self.handle_items(raw_body, headers)
            for event in well_formed(parse.events_of, item)
        ]

    def handle_items(self, raw_body: bytes, headers: Mapping[str, str]) -> list[dict[str, Any]]:
        """The events of one signed notification, each as a notification of its own.

        Meta batches events of several customers; apart, each can be stored under its
        customer's ordering key and parsed later with `parse.events_of`.

        Raises:
            WebhookRefused: bad or missing signature, or not JSON (answer 401).

        """
        header = next((v for k, v in headers.items() if k.lower() == HEADER.lower()), None)
        verify(self._secret, raw_body, header)
        try:
            body = decode(raw_body)
        except ValueError:
            raise WebhookRefused("malformed notification") from None
        if body.get("object") != "page":
            return []
        try:
            return [
                {"object": "page", "entry": [{"id": entry.get("id"), "messaging": [item]}]}
                for entry in _list(body.get("entry"))
                for item in _list(entry.get("messaging"))
            ]
        except AttributeError:  # an entry that is not an object
            raise WebhookRefused("malformed notification") from None


def _list(value: Any) -> list[Any]:
    """A list of the notification, or none; anything else is malformed."""
    if value is None:
        return []
    if not isinstance(value, list):
        raise WebhookRefused("malformed notification")
    return value
