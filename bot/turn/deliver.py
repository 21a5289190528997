"""The deliver step's side: what support relays hear once the customer's lease is released.

Relays talk to Telegram within its rate limits and may wait; holding the lease meanwhile
could outlast it and let another replica run the customer's next turn at once.
"""

from __future__ import annotations

from bot.handoff import HandoffDesk
from bot.store.turns import TurnWrite
from bot.turn.handoff_turn import Notify


async def after_commit(write: TurnWrite, handoffs: HandoffDesk) -> None:
    """Tell the support relays what a committed turn did to a handoff."""
    if write.handoff_opened:
        await handoffs.opened(write.user)
    for event in write.events:
        if event.kind == "csat" and "handoff" in event.data:
            await handoffs.rated(write.user, event.data)


async def notify(after: list[Notify]) -> None:
    """Run what a turn tells the support relays, in order."""
    for told in after:
        await told()
