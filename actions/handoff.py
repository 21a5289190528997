"""`handoff`: ask for a person to take over the conversation."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from actions.context import ActionContext
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import Effect, Reply, RequestHandoff
from bot.policies.texts import ButtonSpec, LocalizedText


class HandoffArgs(BaseModel):
    """`- handoff: {text: ..., reason: customer}`: tell the customer, and request a person.

    The text sees `wait_minutes`, the expected wait (`SUPPORT_SLA_MINUTES`).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText
    reason: str = Field(default="policy", pattern=r"^[a-z][a-z0-9_]*$")
    buttons: list[ButtonSpec] = []


@action("handoff", HandoffArgs, variables={"wait_minutes"})
def handoff(args: HandoffArgs, ctx: ActionContext) -> list[Effect]:
    """Reply, and request a handoff; the handoff feature decides who takes it."""
    text = ctx.render(args.text, wait_minutes=round(ctx.support_wait_minutes))
    return [Reply(text, buttons_of(args.buttons, ctx)), RequestHandoff(args.reason)]
