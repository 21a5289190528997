"""A turn while a person owns the conversation: recorded, and the bot stays silent."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from bot.effects import Reply
from bot.handoff import HandoffDesk
from bot.inbound import Inbound
from bot.policies.handoff_texts import BACK_TO_BOT
from bot.turn.apply import Performer
from bot.turn.context import Turn

Notify = Callable[[], Awaitable[None]]


def during_handoff(
    inbound: Inbound, turn: Turn, handoffs: HandoffDesk, performer: Performer
) -> tuple[list[Reply], Notify]:
    """The replies (only when the customer takes the bot back) and what relays must hear."""
    user = turn.user
    if inbound.text.strip() != BACK_TO_BOT:
        return [], partial(handoffs.customer_message, user, inbound)
    effects, record = handoffs.customer_back_to_bot(user)
    replies = [r for effect in effects for r in performer.apply(turn, effect)]
    return replies, partial(handoffs.ended, user, record)
