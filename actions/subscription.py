"""Opting out of proactive messages (`stop_messages`), and back in."""

from __future__ import annotations

from actions.context import ActionContext
from actions.messaging import ReplyArgs, buttons_of
from actions.spec import action
from bot.effects import Effect, Record, Reply, SetState

OPTED_OUT = "opted_out"


@action("opt_out", ReplyArgs)
def opt_out(args: ReplyArgs, ctx: ActionContext) -> list[Effect]:
    """No more proactive messages; the reply should offer the way back."""
    return [
        SetState(OPTED_OUT, True),
        Record("opted_out", {}),
        Reply(ctx.render(args.text), buttons_of(args.buttons, ctx)),
    ]


@action("opt_in", ReplyArgs)
def opt_in(args: ReplyArgs, ctx: ActionContext) -> list[Effect]:
    """Proactive messages again."""
    return [
        SetState(OPTED_OUT, False),
        Record("opted_in", {}),
        Reply(ctx.render(args.text), buttons_of(args.buttons, ctx)),
    ]
