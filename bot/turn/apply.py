"""Running a policy's actions and applying the effects they return to the turn's draft."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from actions import ACTIONS, ActionContext
from actions.context import Links
from bot import referral
from bot.effects import (
    ClaimCode,
    CountReferral,
    Effect,
    KeepHandoff,
    MoveStage,
    Record,
    Reply,
    RequestHandoff,
    SetState,
    UpdateProfile,
)
from bot.lifecycle import Transition
from bot.policies.render import Renderer
from bot.policies.schema import ActionCallBase, PolicySet
from bot.support_relay import open_handoff
from bot.turn import digression
from bot.turn.context import Turn
from bot.user import User

# on_enter actions may move the customer again; this bounds a misconfigured cycle.
MAX_ENTER_DEPTH = 3


@dataclass(frozen=True, slots=True)
class Performer:
    """Runs action calls for a turn; only here do effects change the customer."""

    links: Links
    renderer: Renderer
    new_code: Callable[[], str]
    support_wait_minutes: float = 15

    def render_for(self, user: User, policies: PolicySet) -> Callable[..., str]:
        """The customer's text renderer (their profile, stage and the catalog)."""
        return self.renderer.for_customer(user, policies.catalog)

    def perform(
        self, turn: Turn, calls: list[ActionCallBase], reason: str, depth: int = 0
    ) -> list[Reply]:
        """Run `calls` in order; returns the replies, applies every other effect."""
        replies: list[Reply] = []
        for call in calls:
            ctx = self._context(turn, reason)
            for effect in ACTIONS[call.name].run(call.args, ctx):
                if isinstance(effect, SetState) and effect.key == digression.AWAITING:
                    digression.remember_question(turn.user, replies)
                replies += self.apply(turn, effect, depth)
        return replies

    def apply(self, turn: Turn, effect: Effect, depth: int = 0) -> list[Reply]:
        """Apply one effect to the turn's draft; a stage move runs the stage's on_enter."""
        user, write = turn.user, turn.write
        match effect:
            case Reply():
                return [effect]
            case MoveStage(stage=stage, reason=why) if stage != user.stage:
                write.transitions.append(Transition(user.stage, stage, turn.now, why))
                user.stage, user.stage_entered_at = stage, turn.now
                credited = referral.credit(user, turn.policies.common.referral)
                replies = [r for e in credited for r in self.apply(turn, e, depth)]
                if depth < MAX_ENTER_DEPTH:
                    on_enter = turn.policies.stages[stage].on_enter
                    replies += self.perform(turn, on_enter, f"on_enter:{stage.value}", depth + 1)
                return replies
            case UpdateProfile(values=values):
                user.profile.update(values)
            case SetState(key=key, value=value):
                user.state[key] = value
            case RequestHandoff(reason=why):
                if open_handoff(user, why, "bot", turn.now) is not None:
                    write.handoff_opened = True
                    write.events.append(Record("handoff_started", {"reason": why}))
            case ClaimCode():
                write.claims.append(effect)
            case Record():
                write.events.append(effect)
            case CountReferral(referrer=referrer, which=which):
                write.referrals.append((referrer, which))
            case KeepHandoff(record=record):
                user.state.pop("handoff", None)
                write.handoffs.append(record)
                write.events.append(Record("handoff_closed", record))
        return []

    def _context(self, turn: Turn, reason: str) -> ActionContext:
        user = turn.user
        return ActionContext(
            user=user,
            message=turn.message,
            parse=turn.parse,
            locale=user.locale,
            reason=reason,
            now=turn.now,
            catalog=turn.policies.catalog,
            checklist=turn.policies.stages[user.stage].checklist,
            referrals=turn.referrals,
            links=self.links,
            render=self.render_for(user, turn.policies),
            new_code=self.new_code,
            support_wait_minutes=self.support_wait_minutes,
            referral=turn.policies.common.referral,
        )
