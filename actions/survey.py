"""Feedback surveys (retention): NPS 0-10 with a "why?", CSAT 1-5, free feedback."""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, Field

from actions.context import ActionContext
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import Button, Effect, MoveStage, Record, Reply, RequestHandoff, SetState
from bot.lifecycle import Stage
from bot.policies.texts import ButtonSpec, LocalizedText

AWAITING = "awaiting"  # state: the answer the bot asked for (bot.turn.digression reads it)
NPS_COMMENT = "nps_comment"  # what the bot awaits after a score: the reason for it


class AskArgs(BaseModel):
    """`- nps_ask: {text: ...}` / `- csat_ask: {text: ...}`: the question; scores are buttons."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText


class NpsArgs(BaseModel):
    """`- nps_record: {...}`: store the score of a `/nps{"score": N}` button.

    One text per group (each sees `score`), then the bot awaits the reason as free text.
    A promoter (9-10) moves to `promoter_to`; a detractor (0-6) asks for a person.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    promoter: LocalizedText
    passive: LocalizedText
    detractor: LocalizedText
    promoter_to: Stage | None = Stage.ADVOCACY


class CsatArgs(BaseModel):
    """`- csat_record: {text: ...}`: store the score of a `/csat{"score": N}` button."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    text: LocalizedText


class AwaitArgs(BaseModel):
    """`- await_comment: {about: feedback, text: ..., buttons: [...]}`: ask for an answer.

    The customer's next free text is the answer; buttons offer common answers, and
    pressing one is handled as its payload.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: LocalizedText
    buttons: list[ButtonSpec] = []


class CommentArgs(BaseModel):
    """`- save_comment: {about: nps_comment, text: ..., buttons: [...]}`: keep the answer.

    The message is stored as feedback and the customer thanked; buttons offer what may follow.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    about: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    text: LocalizedText
    buttons: list[ButtonSpec] = []


@action("nps_ask", AskArgs)
def nps_ask(args: AskArgs, ctx: ActionContext) -> list[Effect]:
    """The NPS question with one button per score."""
    return [Reply(ctx.render(args.text), _score_buttons("nps", range(11)))]


@action(
    "nps_record",
    NpsArgs,
    variables={"score"},
    moves=lambda a: {a.promoter_to} if a.promoter_to else set(),
)
def nps_record(args: NpsArgs, ctx: ActionContext) -> list[Effect]:
    """Store the score with its time and stage; promoters advance, detractors get a person."""
    score = _score(ctx, 0, 10)
    if score is None:
        return []
    answer = {"score": score, "at": ctx.now, "stage": ctx.user.stage.value}
    effects: list[Effect] = [Record("nps", answer), SetState("nps", answer)]
    # The "why?" is awaited right after it is asked: the reply before the awaiting state
    # is the question a digression asks again.
    if score >= 9:
        effects += [Reply(ctx.render(args.promoter, score=score)), SetState(AWAITING, NPS_COMMENT)]
        if args.promoter_to is not None:
            effects.append(MoveStage(args.promoter_to, ctx.reason))
    elif score >= 7:
        effects += [Reply(ctx.render(args.passive, score=score)), SetState(AWAITING, NPS_COMMENT)]
    else:
        effects += [
            Reply(ctx.render(args.detractor, score=score)),
            SetState(AWAITING, NPS_COMMENT),
            RequestHandoff("nps_detractor"),
        ]
    return effects


@action("csat_ask", AskArgs)
def csat_ask(args: AskArgs, ctx: ActionContext) -> list[Effect]:
    """The CSAT question with five buttons."""
    return [Reply(ctx.render(args.text), _score_buttons("csat", range(1, 6)))]


@action("csat_record", CsatArgs, variables={"score"})
def csat_record(args: CsatArgs, ctx: ActionContext) -> list[Effect]:
    """Store a CSAT score with its time and stage."""
    score = _score(ctx, 1, 5)
    if score is None:
        return []
    answer = {"score": score, "at": ctx.now, "stage": ctx.user.stage.value}
    handoff = ctx.user.state.get("csat_for")
    if handoff is not None:  # the question asked when a handoff closed
        answer["handoff"] = handoff
    return [
        SetState("csat_for", None),
        Record("csat", answer),
        SetState("csat", answer),
        Reply(ctx.render(args.text, score=score)),
    ]


@action("await_comment", AwaitArgs)
def await_comment(args: AwaitArgs, ctx: ActionContext) -> list[Effect]:
    """Ask a question whose answer is the customer's next free text."""
    return [
        Reply(ctx.render(args.text), buttons_of(args.buttons, ctx)),
        SetState(AWAITING, args.about),
    ]


@action("save_comment", CommentArgs)
def save_comment(args: CommentArgs, ctx: ActionContext) -> list[Effect]:
    """Keep the customer's message as feedback on `about`."""
    comment = {
        "about": args.about,
        "text": ctx.message,
        "at": ctx.now,
        "stage": ctx.user.stage.value,
    }
    return [
        Record("feedback", comment),
        Reply(ctx.render(args.text), buttons_of(args.buttons, ctx)),
    ]


def _score(ctx: ActionContext, low: int, high: int) -> int | None:
    value = ctx.parse.entity("score")
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        score = int(value)
    except ValueError:
        return None
    return score if low <= score <= high else None


def _score_buttons(intent: str, scores: range) -> tuple[Button, ...]:
    return tuple(Button(str(s), f"/{intent}{json.dumps({'score': s})}") for s in scores)
