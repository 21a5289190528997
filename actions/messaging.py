"""`reply`: send a text with optional buttons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from actions.context import ActionContext
from bot.effects import Button, Effect, Reply
from bot.policies.texts import ButtonSpec, LocalizedText


class ReplyArgs(BaseModel):
    """`- reply: {text: {vi: ..., en: ...}, buttons: [...]}`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText
    buttons: list[ButtonSpec] = []


def buttons_of(specs: list[ButtonSpec], ctx: ActionContext) -> tuple[Button, ...]:
    """The buttons of a policy text, titles rendered in the customer's locale."""
    return tuple(Button(ctx.render(b.title), b.payload) for b in specs)


def reply(args: ReplyArgs, ctx: ActionContext) -> list[Effect]:
    """Reply in the customer's locale."""
    return [Reply(ctx.render(args.text), buttons_of(args.buttons, ctx))]
