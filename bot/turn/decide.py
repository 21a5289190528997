"""The decide step: which policy rule answers the message, run on the turn's draft."""

from __future__ import annotations

from bot.effects import Reply
from bot.nlu.parse import FALLBACK_INTENT
from bot.payload import is_payload
from bot.policies.conditions import TurnFacts
from bot.turn.apply import Performer
from bot.turn.context import Turn


def decide(turn: Turn, performer: Performer, *, understood: bool) -> list[Reply]:
    """The replies of the policy's decision; its effects land on the turn's draft."""
    user, policies = turn.user, turn.policies
    facts = TurnFacts(
        parse=turn.parse,
        profile=user.profile,
        previous_intent=user.state.get("last_intent"),
        awaiting=user.state.pop("awaiting", None),
        free_text=not is_payload(turn.message),
    )
    if not understood:
        awaited = policies.awaited(user.stage, facts)
        if awaited is not None:
            return performer.perform(turn, awaited.calls, awaited.reason)
        return performer.perform(turn, policies.common.nlu_unavailable, "nlu_unavailable")
    stage = user.stage
    decision = policies.decide(stage, facts)
    replies = performer.perform(turn, decision.calls, decision.reason)
    if decision.replay and user.stage != stage:
        again = policies.decide(user.stage, facts, transitions=False)
        replies += performer.perform(turn, again.calls, again.reason)
    fallbacks = user.state.get("fallbacks_in_row", 0)
    is_fallback = turn.parse.intent == FALLBACK_INTENT
    user.state["fallbacks_in_row"] = fallbacks + 1 if is_fallback else 0
    user.state["last_intent"] = turn.parse.intent
    return replies
