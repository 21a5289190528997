"""`/language`: the customer picks the bot's language (vi or en), overriding their app's."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import CHANNEL, external_id, locale_hint, profile_of
from bot.channels.telegram.notices import LANGUAGE_PAYLOAD, LANGUAGE_SET, language_menu
from bot.channels.telegram.routers.buttons import keyboard_id, mark_chosen
from bot.channels.telegram.routers.text import START_PAYLOAD
from bot.effects import Reply
from bot.inbound import Inbound
from bot.lifecycle import LOCALES, Locale


async def ask(message: Message, chats: Chats, default_locale: Locale) -> None:
    """Offer the two languages as buttons."""
    assert message.from_user is not None
    hint = locale_hint(message.from_user)
    locale = await chats.locale(external_id(message.from_user), hint, default_locale)
    await chats.reply(message.chat.id, [language_menu(locale)])


async def choose(query: CallbackQuery, chats: Chats) -> None:
    """Store the choice; a customer the bot does not know yet is greeted in it."""
    assert query.data is not None and query.message is not None
    locale: Locale = "vi" if query.data.endswith("vi") else "en"
    customer = external_id(query.from_user)
    await query.answer()
    await mark_chosen(query)
    if await chats.engine.set_locale(CHANNEL, customer, locale):
        await chats.reply(query.message.chat.id, [Reply(LANGUAGE_SET[locale])])
        return
    inbound = Inbound(
        channel=CHANNEL,
        external_id=customer,
        text=START_PAYLOAD,
        message_id=keyboard_id(query),
        locale=locale,
        profile=profile_of(query.from_user),
    )
    await chats.turn(query.message.chat.id, inbound)


async def unknown(query: CallbackQuery) -> None:
    """A language button this version does not offer (an old keyboard)."""
    await query.answer()


def build_router() -> Router:
    """A new router (aiogram routers attach to one dispatcher only)."""
    router = Router(name="language")
    router.message.register(ask, Command("language"), F.from_user)
    choices = {f"{LANGUAGE_PAYLOAD}{locale}" for locale in LOCALES}
    router.callback_query.register(choose, F.data.in_(choices), F.message)
    router.callback_query.register(unknown, F.data.startswith(LANGUAGE_PAYLOAD))
    return router
