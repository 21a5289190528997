"""The linking services of a bot process, built by `bot.customers.services`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from redis.asyncio import Redis

from actions.context import Links
from bot.channels.registry import Channels
from bot.config import Settings
from bot.customers.intake import EventIntake
from bot.engine import Engine
from bot.linking.contacts import VerifiedContacts
from bot.linking.desk import LinkDesk
from bot.linking.merge import Merger
from bot.linking.reach import ProactiveRoute
from bot.store.keys import Keys
from bot.store.transcript import Transcript
from bot.store.turns import Turns
from bot.store.users import Users

DAY = 86400.0


@dataclass(frozen=True, slots=True)
class Linking:
    """Merges (and unmerges) customers; answers link codes."""

    merger: Merger
    desk: LinkDesk
    contacts: VerifiedContacts


def build_linking(
    redis: Redis,
    keys: Keys,
    users: Users,
    turns: Turns,
    engine: Engine,
    intake: EventIntake,
    *,
    channels: Channels,
    transcript: Transcript,
    settings: Settings,
    clock: Callable[[], float],
) -> Linking:
    """The services; the engine answers link codes, events verify contacts."""
    merger = Merger(
        redis,
        keys,
        turns,
        clock=clock,
        retention_seconds=settings.merge_retention_days * DAY,
        transcript_keep=settings.transcript_keep,
    )
    links = Links(settings.telegram_bot_username, settings.web_chat_url)
    desk = LinkDesk(redis, keys, users, merger, links, settings.default_locale)
    engine.linking = desk
    channels.route = route = ProactiveRoute(channels, transcript)
    channels.reply_route = route.reply
    contacts = VerifiedContacts(redis, keys, users, merger)
    intake.after_store.append(contacts.from_event)
    return Linking(merger, desk, contacts)
