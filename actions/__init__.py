"""Actions: one module per family; each action returns effects and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from actions import (
    catalog,
    flags,
    handoff,
    onboarding,
    referral,
    stage,
    subscription,
    survey,
    trial,
)
from actions.context import ActionContext
from actions.messaging import ReplyArgs, reply
from bot.effects import Effect
from bot.lifecycle import Stage


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action: the model of its arguments and the function that runs it.

    `shorthand` names the argument a scalar stands for (`- move_to: decision`);
    `variables` are the template variables its texts see besides the common ones;
    `moves` lists the stages it can move a customer to (for the validator).
    """

    args: type[BaseModel]
    run: Callable[[Any, ActionContext], list[Effect]]
    shorthand: str | None = None
    variables: frozenset[str] = frozenset()
    moves: Callable[[Any], set[Stage]] = lambda _args: set()


ACTIONS: dict[str, ActionSpec] = {
    "reply": ActionSpec(ReplyArgs, reply),
    "move_to": ActionSpec(
        stage.MoveArgs, stage.move_to, shorthand="stage", moves=lambda a: {a.stage}
    ),
    "plan_info": ActionSpec(
        catalog.PlanInfoArgs, catalog.plan_info, variables=frozenset({"plan", "plans"})
    ),
    "plan_compare": ActionSpec(
        catalog.CompareArgs, catalog.plan_compare, variables=frozenset({"a", "b"})
    ),
    "trial_offer": ActionSpec(
        trial.TrialArgs, trial.trial_offer, variables=frozenset({"code", "expires", "days_left"})
    ),
    "discount": ActionSpec(
        trial.DiscountArgs, trial.discount, variables=frozenset({"coupon", "percent", "left"})
    ),
    "checklist": ActionSpec(onboarding.ChecklistArgs, onboarding.checklist, shorthand="do"),
    "nps_ask": ActionSpec(survey.AskArgs, survey.nps_ask),
    "nps_record": ActionSpec(
        survey.NpsArgs,
        survey.nps_record,
        variables=frozenset({"score"}),
        moves=lambda a: {a.promoter_to} if a.promoter_to else set(),
    ),
    "csat_ask": ActionSpec(survey.AskArgs, survey.csat_ask),
    "csat_record": ActionSpec(survey.CsatArgs, survey.csat_record, variables=frozenset({"score"})),
    "await_comment": ActionSpec(survey.AwaitArgs, survey.await_comment),
    "save_comment": ActionSpec(survey.CommentArgs, survey.save_comment),
    "referral_link": ActionSpec(
        referral.ReferralArgs,
        referral.referral_link,
        variables=frozenset({"code", "telegram_link", "web_link", "joined", "credited"}),
    ),
    "handoff": ActionSpec(
        handoff.HandoffArgs, handoff.handoff, variables=frozenset({"wait_minutes"})
    ),
    "flag": ActionSpec(flags.FlagArgs, flags.flag, shorthand="name"),
    "unflag": ActionSpec(flags.FlagArgs, flags.unflag, shorthand="name"),
    "opt_out": ActionSpec(ReplyArgs, subscription.opt_out),
    "opt_in": ActionSpec(ReplyArgs, subscription.opt_in),
}

__all__ = ["ACTIONS", "ActionContext", "ActionSpec"]
