"""`flag` / `unflag`: mark a customer for the team (e.g. `churn_risk`), visible everywhere.

Flags live in the customer's state under `flags` ({name: {"at", "stage"}}); segments
select on them, analytics counts them and the admin API and inbox show them.
"""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from actions.context import ActionContext
from actions.spec import action
from bot.customer_state import FLAGS, flags_of
from bot.effects import Effect, Record, SetState


class FlagArgs(BaseModel):
    """`- flag: churn_risk` / `- unflag: churn_risk`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]{0,39}$")


@action("flag", FlagArgs, shorthand="name")
def flag(args: FlagArgs, ctx: ActionContext) -> list[Effect]:
    """Set the flag (kept from its first time) and record it for analytics."""
    flags = flags_of(ctx.user.state)
    if args.name in flags:
        return []
    flags[args.name] = {"at": ctx.now, "stage": ctx.user.stage.value}
    return [SetState(FLAGS, flags), Record("flagged", {"flag": args.name, "reason": ctx.reason})]


@action("unflag", FlagArgs, shorthand="name")
def unflag(args: FlagArgs, ctx: ActionContext) -> list[Effect]:
    """Clear the flag, recording that it was cleared."""
    flags = flags_of(ctx.user.state)
    if flags.pop(args.name, None) is None:
        return []
    return [SetState(FLAGS, flags), Record("unflagged", {"flag": args.name, "reason": ctx.reason})]
