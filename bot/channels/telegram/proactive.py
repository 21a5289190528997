"""Proactive messages (follow-ups, broadcasts, staff replies) to Telegram customers."""

from __future__ import annotations

import logging

from bot.channels.telegram.sender import Delivery, Sender
from bot.effects import Reply

log = logging.getLogger(__name__)


class TelegramDeliverer:
    """Sends through the channel's sender, so the limits, retries and 403 marks apply."""

    def __init__(self, sender: Sender) -> None:
        self._sender = sender

    async def deliver(self, user_id: str, external_id: str, replies: list[Reply]) -> None:
        """Queue `replies` to the customer's private chat and wait for Telegram's answer."""
        outcome = await self._sender.send(int(external_id), replies)
        if outcome is not Delivery.SENT:
            log.warning("proactive message to user %s on Telegram: %s", user_id, outcome.value)
