"""The interface every messaging channel implements: Telegram, REST / web chat, and the next.

A channel is one folder under `bot/channels/` with a class that satisfies `Channel`, and
one registration line in `bot/wiring.py`. The core never imports a channel: it sends
proactive messages and asks about reachability through `Channels` (`registry.py`).

Inbound: the channel turns its platform's updates (webhook requests, long polling)
into `Inbound` messages and gives them to a `TurnHandler` (the engine), in order per
customer; it answers the platform as the platform expects (a webhook checks its
signature or secret first). Outbound: replies of a turn and proactive messages go out
within the channel's `ChannelLimits`. Reachability: the channel says whether a
customer may get a proactive message now (not blocked, inside the platform's messaging
window, such as Messenger's 24 hours after the customer's last message).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from aiohttp import web

from bot.effects import Reply
from bot.inbound import Inbound
from bot.user import User


@dataclass(frozen=True, slots=True)
class ChannelLimits:
    """What one message may hold on the platform, and how fast messages may go.

    None means the platform sets no limit. `fit` (`bot/channels/fitting.py`) applies the
    message limits; keeping the pace is the channel's sender's job.
    """

    text_length: int | None  # longer texts are split, at paragraph breaks if possible
    buttons_per_message: int | None  # the buttons past it are left out
    button_title_length: int | None  # longer titles are shortened with "…"
    payload_bytes: int | None  # a button whose payload is longer is left out (UTF-8)
    seconds_between_messages: float | None  # to one customer
    measure: Callable[[str], int] = len  # how the platform counts a text's length


class TurnHandler(Protocol):
    """What a channel needs of the core for an inbound message: its turn's replies."""

    async def handle(self, inbound: Inbound) -> list[Reply]:
        """Run the customer's turn (once per `message_id`) and return the replies."""
        ...


class Channel(Protocol):
    """One messaging platform, as the rest of the bot sees it."""

    @property
    def name(self) -> str:
        """The `channel` of its customers' identities and `Inbound`s (`telegram`, `rest`)."""
        ...

    @property
    def limits(self) -> ChannelLimits:
        """What a message may hold and how fast messages may go."""
        ...

    def register_routes(self, app: web.Application) -> None:
        """Add the channel's HTTP routes (webhooks, pages) to the bot's web app."""
        ...

    async def start(self) -> None:
        """Start background work (long polling, a webhook registration); the app is serving."""
        ...

    async def stop(self) -> None:
        """Stop background work; let queued messages go out for a short grace time."""
        ...

    async def deliver(
        self, user_id: str, external_id: str, replies: Sequence[Reply], *, staff: bool = False
    ) -> None:
        """Send messages that arose outside a request (follow-ups, staff replies, broadcasts).

        `staff` marks a message a person wrote in a handoff (Messenger lets those go later
        than the bot's own). The transcript is the caller's job; a failure is logged, and
        a customer who cannot be reached any more (blocked the bot) is marked unreachable.
        """
        ...

    async def unreachable(self, user: User, external_id: str, now: float) -> str | None:
        """Why a proactive message may not go to the customer now; None when it may.

        A reason when they blocked the bot (marked in `Reachability`), or, on a platform
        with a messaging window, when their last message is too long ago.
        """
        ...

    async def health(self) -> dict[str, Any]:
        """The channel's state for `/healthz`: token valid, webhook verified, last error."""
        ...
