"""Where support staff see conversations, and the open handoff as kept on the customer."""

from __future__ import annotations

import uuid
from typing import Any, Protocol

from bot.customer_state import HANDOFF, Handoff
from bot.inbound import Inbound
from bot.user import User


class SupportRelay(Protocol):
    """Where support staff see conversations (the Telegram support group)."""

    async def opened(self, user: User) -> None:
        """A handoff started."""
        ...

    async def customer_message(self, user: User, inbound: Inbound) -> None:
        """The customer wrote (or sent a photo, a sticker, ...) during a handoff."""
        ...

    async def closed(self, user: User, record: dict[str, Any]) -> None:
        """The handoff ended."""
        ...

    async def sla_missed(self, user: User, minutes: float) -> None:
        """Nobody answered within `minutes`; the customer was offered the bot back."""
        ...

    async def rated(self, user: User, answer: dict[str, Any]) -> None:
        """The customer answered the CSAT question of a closed handoff."""
        ...


def open_handoff(user: User, reason: str, by: str, now: float) -> Handoff | None:
    """Mark a handoff open on `user` (in memory); None when one is open already."""
    if user.state.get(HANDOFF):
        return None
    handoff: Handoff = {
        "id": uuid.uuid4().hex[:12],
        "started": now,
        "reason": reason,
        "by": by,
        "stage": user.stage.value,
        "first_response": None,
    }
    user.state[HANDOFF] = handoff
    return handoff
