"""The inbox's services over the core, and its relay on the handoff desk."""

from __future__ import annotations

import time
from collections.abc import Callable

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


def build_inbox(
    redis: Redis,
    keys: Keys,
    users: Users,
    transcript: Transcript,
    handoffs: HandoffDesk,
    turns: ObservedTurns,
    clock: Callable[[], float] = time.time,
) -> Inbox:
    """The inbox; every handoff's start and close reaches it from now on.

    Every committed turn's problem reports, detractors and churn risks open tickets.
    """
    inbox = Inbox(
        handoffs=handoffs,
        users=users,
        transcript=transcript,
        assignments=Assignments(redis, keys, clock),
        closed=ClosedLog(redis, keys),
        tickets=Tickets(redis, keys),
        notes=Notes(redis, keys),
        canned=CannedReplies(redis, keys),
        clock=clock,
    )
    handoffs.relays.append(InboxRelay(inbox.assignments, inbox.closed))
    turns.after_commit.append(inbox.tickets.after_commit)
    return inbox
