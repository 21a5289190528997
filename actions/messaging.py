"""`reply`: send a text with optional buttons."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, field_validator

from actions.context import ActionContext
from actions.spec import action
from bot.effects import Button, Effect, Reply, SetState
from bot.nlu.intents import KNOWN_INTENTS
from bot.policies.texts import ButtonSpec, LocalizedText
from bot.turn.meanings import EXPECTS, expectation


class ReplyArgs(BaseModel):
    """`- reply: {text: {vi: ..., en: ...}, buttons: [...], yes: /request_trial, no: /greet}`.

    `yes` / `no`: what the customer's next "yes" (affirm) or "no" (deny) means, as a
    payload, when the text asks a yes/no question.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText
    buttons: list[ButtonSpec] = []
    yes: str | None = None
    no: str | None = None

    @field_validator("yes", "no")
    @classmethod
    def _payload(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith("/"):
            raise ValueError("a meaning is a payload starting with '/', e.g. /request_trial")
        if value is not None and value[1:].partition("{")[0] not in KNOWN_INTENTS:
            raise ValueError(f"{value}: no such intent")
        return value


def buttons_of(specs: list[ButtonSpec], ctx: ActionContext) -> tuple[Button, ...]:
    """The buttons of a policy text, titles rendered in the customer's locale."""
    return tuple(Button(ctx.render(b.title), b.payload) for b in specs)


@action("reply", ReplyArgs)
def reply(args: ReplyArgs, ctx: ActionContext) -> list[Effect]:
    """Reply in the customer's locale; remember what yes and no mean next, if given."""
    effects: list[Effect] = [Reply(ctx.render(args.text), buttons_of(args.buttons, ctx))]
    meant = expectation(args.yes, args.no)
    if meant is not None:
        effects.append(SetState(EXPECTS, meant))
    return effects
