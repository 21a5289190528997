"""Everything else Telegram sends: media, shared places and contacts, edits, blocks.

Each gets a polite reply where one makes sense and an entry in the transcript; none
runs the stage policies. Channel posts have no customer and are only logged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import F, Router
from aiogram.enums import ChatMemberStatus, ChatType, ContentType
from aiogram.types import ChatMemberUpdated, Message

from bot.channels.shared.notices import NOT_TEXT
from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import (
    CHANNEL,
    external_id,
    inbound_from,
    locale_hint,
    message_key,
)
from bot.channels.telegram.notices import EDITED
from bot.effects import Reply
from bot.inbound import Inbound
from bot.lifecycle import Locale
from bot.store.reachability import Reachability

log = logging.getLogger(__name__)


def describe(message: Message) -> str:
    """A transcript line for a message that is not text."""
    if message.sticker:
        return f"[sticker {message.sticker.emoji or ''}]".replace(" ]", "]")
    if message.location:
        return f"[location {message.location.latitude},{message.location.longitude}]"
    if message.contact:
        return f"[contact {message.contact.first_name} {message.contact.phone_number}]"
    if message.document and message.document.file_name:
        label = f"[document {message.document.file_name}]"
    else:
        label = f"[{ContentType(message.content_type).value}]"
    return f"{label} {message.caption}" if message.caption else label


def _polite(texts: dict[Locale, str]) -> Callable[[Locale], list[Reply]]:
    return lambda locale: [Reply(texts[locale])]


async def not_text(message: Message, chats: Chats) -> None:
    """A sticker, photo, voice note, document, location, contact, poll, ...: not readable."""
    assert message.from_user is not None
    inbound = inbound_from(
        message.from_user,
        describe(message),
        message_key(message),
        media=True,
    )
    await chats.transcribe_only(message.chat.id, inbound, _polite(NOT_TEXT))


async def edited(message: Message, chats: Chats) -> None:
    """An edit of an earlier message: the turn of the original stands."""
    assert message.from_user is not None
    content = message.text or describe(message)
    inbound = inbound_from(
        message.from_user,
        f"[edited] {content}",
        f"{message_key(message)}:edit:{message.edit_date}",
    )
    await chats.transcribe_only(message.chat.id, inbound, _polite(EDITED))


async def membership(update: ChatMemberUpdated, chats: Chats, reachability: Reachability) -> None:
    """The customer blocked the bot (`kicked`) or started it again (`member`)."""
    status = update.new_chat_member.status
    if status not in (ChatMemberStatus.KICKED, ChatMemberStatus.MEMBER):
        return
    blocked = status == ChatMemberStatus.KICKED
    inbound = Inbound(
        channel=CHANNEL,
        external_id=external_id(update.from_user),
        text="[blocked the bot]" if blocked else "[restarted the bot]",
        message_id=f"tg:{update.chat.id}:member:{update.date.timestamp():.0f}:{status}",
        locale=locale_hint(update.from_user),
    )
    await chats.transcribe_only(update.chat.id, inbound, lambda _: [])
    user_id = await chats.users.find_id(CHANNEL, inbound.external_id)
    assert user_id is not None  # the note created the customer
    if blocked:
        await reachability.mark_unreachable(user_id, CHANNEL, "blocked")
    else:
        await reachability.mark_reachable(user_id, CHANNEL)


async def channel_post(message: Message) -> None:
    """A post in a channel the bot administers: no customer to answer."""
    log.info("telegram: ignored a post in channel %s", message.chat.id)


def build_router() -> Router:
    """A new router (aiogram routers attach to one dispatcher only)."""
    router = Router(name="other_updates")
    router.message.register(not_text, F.from_user)
    router.edited_message.register(edited, F.from_user)
    router.my_chat_member.register(membership, F.chat.type == ChatType.PRIVATE)
    router.channel_post.register(channel_post)
    router.edited_channel_post.register(channel_post)
    return router
