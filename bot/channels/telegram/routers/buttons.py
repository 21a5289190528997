"""Presses on inline keyboards: answered, the keyboard marked, each keyboard used once."""

from __future__ import annotations

import logging

from aiogram import F, Router
from aiogram.exceptions import TelegramAPIError
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import external_id, inbound_from, locale_hint
from bot.channels.telegram.keyboards import CHOSEN, chosen_marker
from bot.channels.telegram.notices import ALREADY_CHOSEN
from bot.lifecycle import Locale

log = logging.getLogger(__name__)


def keyboard_id(query: CallbackQuery) -> str:
    """The idempotency id of a press: one per keyboard, so a second press is a repeat."""
    assert query.message is not None
    return f"tg:kb:{query.message.chat.id}:{query.message.message_id}"


async def chosen(query: CallbackQuery, chats: Chats, default_locale: Locale) -> None:
    """A press on the marker of a used keyboard."""
    hint = locale_hint(query.from_user)
    locale = await chats.locale(external_id(query.from_user), hint, default_locale)
    await query.answer(ALREADY_CHOSEN[locale])


async def pressed(query: CallbackQuery, chats: Chats, default_locale: Locale) -> None:
    """Run the button's payload as the customer's message, once per keyboard."""
    assert query.data is not None and query.message is not None
    inbound = inbound_from(query.from_user, query.data, keyboard_id(query))
    if await chats.turn(query.message.chat.id, inbound):
        await query.answer()
        await mark_chosen(query)
        return
    # A double tap, or a keyboard whose marking failed: the first choice stands.
    hint = locale_hint(query.from_user)
    locale = await chats.locale(inbound.external_id, hint, default_locale)
    await query.answer(ALREADY_CHOSEN[locale])


async def mark_chosen(query: CallbackQuery) -> None:
    """Replace the keyboard by a `✓ <choice>` marker, so the customer sees it is used."""
    message = query.message
    if not isinstance(message, Message) or message.reply_markup is None:
        return  # too old to edit, or already marked
    buttons = [b for row in message.reply_markup.inline_keyboard for b in row]
    if all(b.callback_data == CHOSEN for b in buttons):
        return
    title = next((b.text for b in buttons if b.callback_data == query.data), None)
    try:
        markup = None if title is None else chosen_marker(title)
        await message.edit_reply_markup(reply_markup=markup)
    except TelegramAPIError as exc:
        # The choice is already made and recorded; a stale keyboard is only cosmetic.
        log.warning("telegram: could not mark keyboard %s: %s", keyboard_id(query), exc)


def build_router() -> Router:
    """A new router (aiogram routers attach to one dispatcher only)."""
    router = Router(name="buttons")
    router.callback_query.register(chosen, F.data == CHOSEN)
    router.callback_query.register(pressed, F.data, F.message)
    return router
