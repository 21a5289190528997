"""The inbox's services over the core, and its relay on the handoff desk."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.handoff import HandoffDesk
from bot.inbox.assignments import Assignments
from bot.inbox.canned import CannedReplies
from bot.inbox.closed import ClosedLog, InboxRelay
from bot.inbox.listing import Inbox
from bot.inbox.notes import Notes
from bot.inbox.tickets import TicketingTurns, Tickets
from bot.store.keys import Keys
from bot.store.transcript import Transcript
from bot.store.users import Users

__all__ = ["Assignments", "Inbox", "TicketingTurns", "build_inbox"]


def build_inbox(
    redis: Redis, keys: Keys, users: Users, transcript: Transcript, handoffs: HandoffDesk
) -> Inbox:
    """The inbox; from now on every handoff's start and close reaches it."""
    inbox = Inbox(
        handoffs=handoffs,
        users=users,
        transcript=transcript,
        assignments=Assignments(redis, keys),
        closed=ClosedLog(redis, keys),
        tickets=Tickets(redis, keys),
        notes=Notes(redis, keys),
        canned=CannedReplies(redis, keys),
    )
    handoffs.relays.append(InboxRelay(inbox.assignments, inbox.closed))
    return inbox
