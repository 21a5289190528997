"""A turn while a person owns the conversation.

The message is recorded and copied to the staff. The bot stays silent except: the
customer takes the bot back (button), opts out of messages (applied, staff told), or
writes again after a silence with no staff reply (one short acknowledgement). An answer
the bot asked for before the handoff (a detractor's reason) is still recorded.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from functools import partial

from bot.customer_state import AWAITING, AWAITING_ASK, HANDOFF, LAST_INTENT, Handoff
from bot.effects import Reply
from bot.handoff import HandoffDesk
from bot.inbound import Inbound
from bot.payload import is_payload
from bot.policies.conditions import TurnFacts
from bot.policies.handoff_texts import BACK_TO_BOT
from bot.turn.apply import Performer
from bot.turn.context import Turn

Notify = Callable[[], Awaitable[None]]
OPT_OUT = "stop_messages"
OPTED_OUT_NOTE = "[bot] The customer opted out of proactive messages."


@dataclass(frozen=True, slots=True)
class HandoffTurn:
    """Runs a message that arrives during a handoff."""

    handoffs: HandoffDesk
    performer: Performer
    ack_after_seconds: float
    confidence: float

    def run(self, inbound: Inbound, turn: Turn) -> tuple[list[Reply], list[Notify]]:
        """The replies, and what the support relays must hear once the turn is committed."""
        user = turn.user
        if inbound.text.strip() == BACK_TO_BOT:
            effects, record = self.handoffs.customer_back_to_bot(user)
            replies = [r for effect in effects for r in self.performer.apply(turn, effect)]
            calls = turn.policies.stages[user.stage].on_return
            replies += self.performer.perform(turn, calls, "on_return")
            return replies, [partial(self.handoffs.ended, user, record)]
        handoff = user.state[HANDOFF]
        notify: list[Notify] = [partial(self.handoffs.customer_message, user, inbound)]
        free_text = not is_payload(inbound.text)
        if turn.parse.intent == OPT_OUT and (
            not free_text or turn.parse.confidence >= self.confidence
        ):
            note = Inbound(inbound.channel, inbound.external_id, OPTED_OUT_NOTE)
            notify.append(partial(self.handoffs.customer_message, user, note))
            replies = self._policy(turn, free_text)
        else:
            self._record_answer(turn, free_text)
            replies = self._acknowledge(turn, handoff)
        handoff["last_customer"] = turn.now
        return replies, notify

    def _policy(self, turn: Turn, free_text: bool) -> list[Reply]:
        decision = turn.policies.decide(turn.user.stage, self._facts(turn, free_text, None))
        return self.performer.perform(turn, decision.calls, decision.reason)

    def _record_answer(self, turn: Turn, free_text: bool) -> None:
        """Keep the answer the bot asked for before the handoff, saying nothing."""
        awaiting = turn.user.state.get(AWAITING)
        if awaiting is None or not free_text:
            return
        awaited = turn.policies.awaited(turn.user.stage, self._facts(turn, free_text, awaiting))
        if awaited is None:
            return
        turn.user.state.pop(AWAITING, None)
        turn.user.state.pop(AWAITING_ASK, None)
        self.performer.perform(turn, awaited.calls, awaited.reason)

    def _acknowledge(self, turn: Turn, handoff: Handoff) -> list[Reply]:
        """One short acknowledgement after a silence, while no staff member has replied."""
        if self.ack_after_seconds <= 0 or handoff.get("first_response") is not None:
            return []
        last = float(handoff.get("last_customer") or handoff["started"])
        if handoff.get("acknowledged") or turn.now - last < self.ack_after_seconds:
            return []
        handoff["acknowledged"] = turn.now
        render = self.performer.render_for(turn.user, turn.policies)
        texts = turn.policies.common.handoff
        wait = round(self.performer.support_wait_minutes)
        return [Reply(render(texts.still_waiting, wait_minutes=wait))]

    @staticmethod
    def _facts(turn: Turn, free_text: bool, awaiting: str | None) -> TurnFacts:
        user = turn.user
        return TurnFacts(
            parse=turn.parse,
            profile=user.profile,
            previous_intent=user.state.get(LAST_INTENT),
            awaiting=awaiting,
            free_text=free_text,
        )
