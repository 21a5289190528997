"""The decide step: which policy rules answer the message, run on the turn's draft.

Before the policy runs, a short answer takes the meaning the last reply gave it and a
pending free-text question yields to a clear request (a digression). A transition that
replays the message lets the next stage answer it, and that stage's own transitions
too, so "I'll buy it" in awareness lands in onboarding via decision: a chain bounded by
`MAX_CHAIN` stages and never visiting a stage twice.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace

from bot.customer_state import AWAITING, AWAITING_ASK, EXPECTS, LAST_INTENT
from bot.effects import Reply, UpdateProfile
from bot.errors import BotError
from bot.lifecycle import Locale
from bot.nlu.parse import FALLBACK_INTENT
from bot.payload import is_payload
from bot.policies.conditions import TurnFacts
from bot.turn import digression
from bot.turn.apply import Performer
from bot.turn.changes import draft_of, merge
from bot.turn.context import Turn
from bot.turn.meanings import reinterpret

log = logging.getLogger(__name__)

MAX_CHAIN = 3  # stages a message may pass through after the first
APOLOGY: dict[Locale, str] = {
    "vi": "Xin lỗi, mình đang gặp sự cố nhỏ. Bạn thử lại sau ít phút nhé.",
    "en": "Sorry, something went wrong on our side. Please try again in a few minutes.",
}
PLAN_INTENTS = frozenset({"purchase"})


@dataclass(slots=True)
class Decided:
    """The replies of a turn and the reasons (rules) that gave them."""

    replies: list[Reply] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    @property
    def fallback(self) -> bool:
        """Whether the generic fallback answered."""
        return "fallback" in self.reasons


def decide_on_draft(
    turn: Turn, performer: Performer, *, understood: bool, digression_confidence: float
) -> Decided:
    """`decide` on a draft of the turn, merged into it only if the policy succeeds.

    A failing action (a `BotError`) leaves the customer as they were and apologises.
    """
    draft = replace(turn, write=draft_of(turn.write))
    try:
        decided = decide(
            draft, performer, understood=understood, digression_confidence=digression_confidence
        )
    except BotError:
        log.exception("turn of user %s failed; apologising", turn.user.id)
        return Decided([Reply(APOLOGY[turn.user.locale])], ["error"])
    merge(turn.write, draft.write)
    turn.parse = draft.parse
    return decided


def decide(
    turn: Turn, performer: Performer, *, understood: bool, digression_confidence: float = 0.8
) -> Decided:
    """The policy's decision for the turn; its effects land on the turn's draft."""
    user, policies = turn.user, turn.policies
    awaiting = user.state.pop(AWAITING, None)
    asked = user.state.pop(AWAITING_ASK, None)
    turn.parse = reinterpret(turn.parse, user.state.pop(EXPECTS, None))
    free_text = not is_payload(turn.message)
    digressed = awaiting is not None and digression.digresses(
        turn.parse,
        turn.message,
        free_text=free_text,
        confidence=digression_confidence,
        asked_after=user.state.get(LAST_INTENT),
    )
    facts = TurnFacts(
        parse=turn.parse,
        profile=user.profile,
        previous_intent=user.state.get(LAST_INTENT),
        awaiting=None if digressed else awaiting,
        free_text=free_text,
    )
    if not understood:
        awaited = policies.awaited(user.stage, facts)
        if awaited is not None:
            return Decided(performer.perform(turn, awaited.calls, awaited.reason), [awaited.reason])
        unavailable = policies.common.nlu_unavailable
        return Decided(performer.perform(turn, unavailable, "nlu_unavailable"), ["nlu_unavailable"])
    _remember_plan(turn, performer)
    decided = _chain(turn, performer, facts)
    if (
        digressed
        and awaiting is not None
        and AWAITING not in user.state
        and not digression.offered(asked, turn.message)
    ):
        decided.replies += digression.ask_again(user, awaiting, asked)
    fallbacks = user.state.get("fallbacks_in_row", 0)
    is_fallback = turn.parse.intent == FALLBACK_INTENT
    user.state["fallbacks_in_row"] = fallbacks + 1 if is_fallback else 0
    user.state[LAST_INTENT] = turn.parse.intent
    return decided


def _chain(turn: Turn, performer: Performer, facts: TurnFacts) -> Decided:
    """The stage's decision, then each stage a replaying transition leads to."""
    user, policies = turn.user, turn.policies
    seen = {user.stage}
    decision = policies.decide(user.stage, facts)
    decided = Decided(performer.perform(turn, decision.calls, decision.reason), [decision.reason])
    while decision.replay and user.stage not in seen and len(seen) <= MAX_CHAIN:
        seen.add(user.stage)
        decision = policies.decide(user.stage, replace(facts, awaiting=None))
        decided.replies += performer.perform(turn, decision.calls, decision.reason)
        decided.reasons.append(decision.reason)
    return decided


def _remember_plan(turn: Turn, performer: Performer) -> None:
    """A plan named while buying is the customer's plan from now on."""
    plan = turn.parse.entity("plan")
    if turn.parse.intent in PLAN_INTENTS and isinstance(plan, str):
        performer.apply(turn, UpdateProfile({"plan": plan}))
