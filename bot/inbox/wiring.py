"""The inbox's services over the core, and its relay on the handoff desk."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Protocol

from redis.asyncio import Redis

from bot.handoff import HandoffDesk
from bot.inbox.assignments import Assignments
from bot.inbox.canned import CannedReplies
from bot.inbox.closed import ClosedLog, InboxRelay
from bot.inbox.listing import Inbox
from bot.inbox.notes import Notes
from bot.inbox.tickets import Tickets
from bot.store.keys import Keys
from bot.store.observed import ObservedTurns
from bot.store.transcript import Transcript
from bot.store.users import Users

__all__ = ["Assignments", "Inbox", "build_inbox"]


class Core(Protocol):
    """What the inbox uses of the bot's core."""

    @property
    def keys(self) -> Keys: ...
    @property
    def users(self) -> Users: ...
    @property
    def transcript(self) -> Transcript: ...
    @property
    def handoffs(self) -> HandoffDesk: ...
    @property
    def turns(self) -> ObservedTurns: ...


def build_inbox(redis: Redis, core: Core, clock: Callable[[], float] = time.time) -> Inbox:
    """The inbox; every handoff's start and close reaches it from now on.

    Every committed turn's problem reports, detractors and churn risks open tickets.
    """
    keys, handoffs = core.keys, core.handoffs
    inbox = Inbox(
        handoffs=handoffs,
        users=core.users,
        transcript=core.transcript,
        assignments=Assignments(redis, keys, clock),
        closed=ClosedLog(redis, keys),
        tickets=Tickets(redis, keys),
        notes=Notes(redis, keys),
        canned=CannedReplies(redis, keys),
        clock=clock,
    )
    handoffs.relays.append(InboxRelay(inbox.assignments, inbox.closed))
    core.turns.after_commit.append(inbox.tickets.after_commit)
    return inbox
