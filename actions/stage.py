"""`move_to`: move the customer to another lifecycle stage."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from actions.context import ActionContext
from actions.spec import action
from bot.effects import Effect, MoveStage
from bot.lifecycle import Stage


class MoveArgs(BaseModel):
    """`- move_to: consideration`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage


@action("move_to", MoveArgs, shorthand="stage", moves=lambda a: {a.stage})
def move_to(args: MoveArgs, ctx: ActionContext) -> list[Effect]:
    """Move to `args.stage`; the engine ignores a move to the current stage."""
    return [MoveStage(args.stage, ctx.reason)]
