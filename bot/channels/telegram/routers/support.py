"""The support group's updates: staff work in topics; nothing here is a customer's turn.

Included before every customer router, and it takes every message of the support chat,
so a staff message can never run as a customer turn.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.support.group import SupportGroup

log = logging.getLogger(__name__)


async def message(message: Message, support_group: SupportGroup) -> None:
    """A message (or topic service message) in the support group."""
    await support_group.handle(message)


async def edited(message: Message) -> None:
    """An edited staff message: what was sent to the customer stays sent."""
    log.info("support: edit of message %s ignored", message.message_id)


async def press(query: CallbackQuery) -> None:
    """A button pressed in the support group (none of ours): stop the client waiting."""
    await query.answer()


def build_router(chat_id: int) -> Router:
    """A new router for the support group `chat_id`."""
    router = Router(name="support")
    router.message.register(message, F.chat.id == chat_id)
    router.edited_message.register(edited, F.chat.id == chat_id)
    router.callback_query.register(press, F.message.chat.id == chat_id)
    return router
