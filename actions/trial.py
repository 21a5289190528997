"""Trial offers and discount coupons (decision)."""

from __future__ import annotations

import math
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from actions.context import ActionContext
from actions.dates import format_date
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import ClaimCode, Effect, Record, Reply, SetState
from bot.policies.texts import ButtonSpec, LocalizedText

DAY = 86400.0


class TrialArgs(BaseModel):
    """`- trial_offer: {...}`: one trial per customer.

    `offer` announces a new trial, `again` repeats the active one, `expired` answers
    after it ended. Every text sees `code`, `expires` (a date) and `days_left`.
    `days` defaults to the catalog's `trial_days`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    offer: LocalizedText
    again: LocalizedText
    expired: LocalizedText
    days: int | None = Field(default=None, ge=1, le=365)
    buttons: list[ButtonSpec] = []


class DiscountArgs(BaseModel):
    """`- discount: {coupon: WELCOME10, percent: 10, limit: 1, text: ..., exhausted: ...}`.

    A customer gets the coupon at most `limit` times; then `exhausted` answers. Both
    texts see `coupon`, `percent` and `left` (how many more times it can be given).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    coupon: str = Field(pattern=r"^[A-Z0-9][A-Z0-9_-]{2,31}$")
    percent: int = Field(ge=1, le=100)
    limit: int = Field(default=1, ge=1)
    text: LocalizedText
    exhausted: LocalizedText
    buttons: list[ButtonSpec] = []


@action("trial_offer", TrialArgs, variables={"code", "expires", "days_left"})
def trial_offer(args: TrialArgs, ctx: ActionContext) -> list[Effect]:
    """Start the customer's trial, or repeat the code of the one they have."""
    trial: dict[str, Any] | None = ctx.user.state.get("trial")
    buttons = buttons_of(args.buttons, ctx)
    if trial is not None:
        text = args.again if trial["expires"] > ctx.now else args.expired
        return [Reply(ctx.render(text, **_variables(trial, ctx)), buttons)]
    days = args.days or ctx.catalog.trial_days
    trial = {"code": f"TRIAL-{ctx.new_code()}", "started": ctx.now, "expires": ctx.now + days * DAY}
    return [
        ClaimCode("trial", trial["code"]),
        SetState("trial", trial),
        Record("trial_started", {"code": trial["code"], "expires": trial["expires"]}),
        Reply(ctx.render(args.offer, **_variables(trial, ctx)), buttons),
    ]


@action("discount", DiscountArgs, variables={"coupon", "percent", "left"})
def discount(args: DiscountArgs, ctx: ActionContext) -> list[Effect]:
    """Give the policy's coupon, up to its per-customer limit."""
    given: dict[str, int] = dict(ctx.user.state.get("coupons", {}))
    count = given.get(args.coupon, 0)
    buttons = buttons_of(args.buttons, ctx)
    variables = {"coupon": args.coupon, "percent": args.percent}
    if count >= args.limit:
        return [Reply(ctx.render(args.exhausted, left=0, **variables), buttons)]
    given[args.coupon] = count + 1
    return [
        SetState("coupons", given),
        Record("coupon_given", {"coupon": args.coupon, "percent": args.percent}),
        Reply(ctx.render(args.text, left=args.limit - count - 1, **variables), buttons),
    ]


def _variables(trial: dict[str, Any], ctx: ActionContext) -> dict[str, Any]:
    left = max(0, math.ceil((trial["expires"] - ctx.now) / DAY))
    return {
        "code": trial["code"],
        "expires": format_date(trial["expires"], ctx.locale),
        "days_left": left,
    }
