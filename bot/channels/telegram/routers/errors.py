"""The edge of the channel: a failed update is logged with its id and apologised for."""

from __future__ import annotations

import logging

from aiogram.enums import ChatType
from aiogram.types import ErrorEvent
from aiogram.types.update import UpdateTypeLookupError

from bot.channels.telegram.chats import Chats
from bot.channels.telegram.customer import locale_hint
from bot.effects import Reply
from bot.ingest.consumer import transient
from bot.lifecycle import Locale
from bot.turn.decide import APOLOGY

log = logging.getLogger(__name__)


async def failed(event: ErrorEvent, chats: Chats, default_locale: Locale) -> None:
    """Log the failure; tell a customer in a private chat that something went wrong.

    A failure of the store or the network is raised again instead: the update stays in
    the ingest and runs again once Redis answers, with no apology for a turn that will
    still happen.
    """
    if transient(event.exception):
        raise event.exception
    update = event.update
    if isinstance(event.exception, UpdateTypeLookupError):
        # An update type newer than this aiogram: nothing to answer.
        log.warning("telegram: update %s of an unknown type ignored", update.update_id)
        return
    log.error("telegram: update %s failed", update.update_id, exc_info=event.exception)
    if update.message is not None and update.message.from_user is not None:
        chat, user = update.message.chat, update.message.from_user
    elif update.callback_query is not None and update.callback_query.message is not None:
        chat, user = update.callback_query.message.chat, update.callback_query.from_user
    else:
        return
    if chat.type != ChatType.PRIVATE:
        return
    locale = locale_hint(user) or default_locale
    chats.sender.submit(chat.id, [Reply(APOLOGY[locale])])
