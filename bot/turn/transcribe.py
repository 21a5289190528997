"""Writing an inbound turn: its change set and its commit.

Also the messages that are only transcribed (no NLU, no policy), like a sticker.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

from bot.customer_state import HANDOFF, LAST_SEEN
from bot.effects import Reply
from bot.handoff import HandoffDesk
from bot.inbound import Inbound
from bot.lifecycle import INITIAL_STAGE, Locale, Transition
from bot.store.lease import Begun
from bot.store.transcript import Entry
from bot.store.turns import TurnWrite
from bot.turn.deliver import notify
from bot.turn.handoff_turn import Notify
from bot.turn.initiated import Initiated
from bot.turn.load import belongs, load_or_create, repeated, turn_id_of

# A turn under the lease: (user id, what the lease's script read, what relays must hear).
Step = Callable[[str, Begun, list[Notify]], Awaitable[list[Reply] | None]]


class Transcribing(Initiated):
    """Loads and commits inbound turns; `transcribe_only` for what no policy handles."""

    _default_locale: Locale
    _handoffs: HandoffDesk | None

    async def transcribe_only(
        self, inbound: Inbound, replies_for: Callable[[Locale], list[Reply]], *, again: bool = True
    ) -> list[Reply]:
        """Transcribe a message no policy handles (a sticker, an edit) with its replies.

        No NLU and no policy run; the customer is created if new, so staff find them.
        `replies_for` gets the customer's language. Idempotent by `message_id`.
        """

        async def transcribe(user_id: str, begun: Begun, after: list[Notify]) -> list[Reply] | None:
            write, _ = self._load(user_id, begun.user, inbound, self._clock())
            if again and not belongs(write.user, inbound):
                return None  # merged into another customer, or erased: resolve again
            user, turn_id = write.user, turn_id_of(inbound)
            # While a person owns the conversation the bot stays silent here too.
            handoffs = self._handoffs if user.state.get(HANDOFF) else None
            replies = [] if handoffs else replies_for(user.locale)
            write.entries.append(Entry("in", inbound.channel, inbound.text, write.at, turn_id))
            await self._commit(write, replies, inbound.channel, turn_id)
            if handoffs is not None:
                after.append(partial(handoffs.customer_message, user, inbound))
            return replies

        replies = await self._inbound(inbound, transcribe)
        if replies is None and again:
            self._users.forget(inbound.channel, inbound.external_id)
            return await self.transcribe_only(inbound, replies_for, again=False)
        return replies or []

    async def _inbound(self, inbound: Inbound, run: Step) -> list[Reply] | None:
        """Resolve the sender, take their lease, `run` the turn, tell the support relays.

        Taking the lease answers a retried message id with its stored answer and reads the
        customer; `run` returns None to have the caller start again.
        """
        user_id = await self._users.resolve(inbound.channel, inbound.external_id)
        after: list[Notify] = []
        try:
            async with self._locks.hold(user_id, inbound.message_id, load=True) as begun:
                if begun.answer is not None:
                    return await repeated(self._turns.answers, user_id, inbound, begun.answer)
                return await run(user_id, begun, after)
        finally:
            await notify(after)

    def _load(
        self, user_id: str, stored: dict[str, str], inbound: Inbound, now: float
    ) -> tuple[TurnWrite, bool]:
        """The customer, seen now, and a change set; a new customer enters the first stage."""
        user, created = load_or_create(stored, user_id, inbound, now, self._default_locale)
        user.profile.update(inbound.profile)
        user.state[LAST_SEEN] = now
        write = TurnWrite(user=user, message_id=inbound.message_id, at=now)
        if created:
            write.transitions.append(Transition(None, INITIAL_STAGE, now, "start"))
        return write, created

    async def _commit(
        self, write: TurnWrite, replies: list[Reply], channel: str, turn_id: str, revision: str = ""
    ) -> None:
        """Write the turn with its replies (kept for retries) in one atomic step.

        The lease ends in the same step.
        """
        write.replies = replies
        write.entries.extend(
            Entry.outbound(r, channel=channel, at=write.at, turn=turn_id, revision=revision)
            for r in replies
        )
        await self._turns.commit(write, release=True)
