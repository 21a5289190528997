"""Customer traffic in groups is ignored: customers talk to the bot in private chats.

Included first, so no other router sees group updates. The support group is used by the
handoff feature through its own router.
"""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.types import CallbackQuery, ChatMemberUpdated, Message

log = logging.getLogger(__name__)

GROUPS = {ChatType.GROUP, ChatType.SUPERGROUP}


async def ignore_message(message: Message) -> None:
    """Say nothing in groups."""
    log.debug("telegram: ignored a message in group %s", message.chat.id)


async def ignore_press(query: CallbackQuery) -> None:
    """Answer the press so the client stops waiting, and do nothing else."""
    await query.answer()


async def ignore_membership(update: ChatMemberUpdated) -> None:
    """The bot was added to or removed from a group: nothing to do."""
    log.info("telegram: bot is now %s in group %s", update.new_chat_member.status, update.chat.id)


def build_router() -> Router:
    """A new router (aiogram routers attach to one dispatcher only)."""
    router = Router(name="groups")
    in_group = F.chat.type.in_(GROUPS)
    router.message.register(ignore_message, in_group)
    router.edited_message.register(ignore_message, in_group)
    router.callback_query.register(ignore_press, F.message.chat.type.in_(GROUPS))
    router.my_chat_member.register(ignore_membership, in_group)
    return router
