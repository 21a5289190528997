"""The aiogram dispatcher: the routers in order, dependencies as workflow data."""

from __future__ import annotations

from aiogram import Dispatcher

from bot.channels.telegram.chats import Chats
from bot.channels.telegram.routers import (
    buttons,
    errors,
    groups,
    language,
    other_updates,
    support,
)
from bot.channels.telegram.routers import text as text_router
from bot.channels.telegram.support.group import SupportGroup
from bot.lifecycle import Locale
from bot.store.reachability import Reachability


def build_dispatcher(
    *,
    chats: Chats,
    reachability: Reachability,
    default_locale: Locale,
    support_group: SupportGroup | None = None,
) -> Dispatcher:
    """A dispatcher whose handlers get `chats`, `reachability` and `default_locale`.

    Order matters: the support group (when there is one) first, then other groups are
    filtered out; `/language` and `/start` come before plain text; anything that is not
    text last.
    """
    dispatcher = Dispatcher(
        chats=chats,
        reachability=reachability,
        default_locale=default_locale,
        support_group=support_group,
    )
    if support_group is not None:
        dispatcher.include_router(support.build_router(support_group.relay.chat_id))
    dispatcher.include_routers(
        groups.build_router(),
        language.build_router(),
        text_router.build_router(),
        buttons.build_router(),
        other_updates.build_router(),
    )
    dispatcher.errors.register(errors.failed)
    return dispatcher
