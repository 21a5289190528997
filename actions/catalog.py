"""Product info from the catalog: plan cards, prices and comparisons (consideration)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from actions.context import ActionContext
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import Effect, Reply
from bot.policies.catalog import Plan
from bot.policies.texts import ButtonSpec, LocalizedText


class PlanInfoArgs(BaseModel):
    """`- plan_info: {one: ..., all: ...}`: `one` when the message names a plan, else `all`.

    `one` sees `plan` (name, price, summary, features); `all` sees `plans`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    one: LocalizedText
    all: LocalizedText
    buttons: list[ButtonSpec] = []


class CompareArgs(BaseModel):
    """`- plan_compare: {text: ...}`: compares the two plans named (`a`, `b`).

    With one plan named it is compared with `default`'s other plan; with none, the
    `default` pair is compared.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText
    default: tuple[str, str] = ("basic", "pro")
    buttons: list[ButtonSpec] = []


@action("plan_info", PlanInfoArgs, variables={"plan", "plans"})
def plan_info(args: PlanInfoArgs, ctx: ActionContext) -> list[Effect]:
    """A card for the plan the customer named, or every plan."""
    plan = ctx.catalog.plan(ctx.parse.entity("plan"))
    if plan is None:
        text = ctx.render(args.all, plans=ctx.catalog.view(ctx.locale)["plans"])
    else:
        text = ctx.render(args.one, plan=ctx.catalog.plan_view(plan, ctx.locale))
    return [Reply(text, buttons_of(args.buttons, ctx))]


@action("plan_compare", CompareArgs, variables={"a", "b"})
def plan_compare(args: CompareArgs, ctx: ActionContext) -> list[Effect]:
    """Two plans side by side."""
    named: list[Plan] = []
    for entity in ctx.parse.entities:
        plan = ctx.catalog.plan(entity.value) if entity.entity == "plan" else None
        if plan is not None and plan not in named:
            named.append(plan)
    defaults = [p for p in (ctx.catalog.plan(i) for i in args.default) if p is not None]
    for plan in defaults:
        if len(named) >= 2:
            break
        if plan not in named:
            named.append(plan)
    if len(named) < 2:
        named = (named + [p for p in ctx.catalog.plans if p not in named])[:2]
    a, b = (ctx.catalog.plan_view(p, ctx.locale) for p in named[:2])
    return [Reply(ctx.render(args.text, a=a, b=b), buttons_of(args.buttons, ctx))]
