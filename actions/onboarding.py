"""The onboarding checklist: show the current step, mark it done, skip it, help with it."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict

from actions.context import ActionContext
from actions.messaging import buttons_of
from actions.spec import action
from bot.effects import Effect, MoveStage, Record, Reply, SetState
from bot.errors import BotError
from bot.policies.checklist import ChecklistStep


class Step(StrEnum):
    """What `- checklist: <do>` does."""

    SHOW = "show"  # the current step
    DONE = "done"  # mark it done, then show the next one (or finish)
    NEXT = "next"  # skip to the next unfinished step
    HELP = "help"  # the help text of the current step


class ChecklistArgs(BaseModel):
    """`- checklist: done`; the steps and texts are the stage's `checklist:` section."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    do: Step


@action("checklist", ChecklistArgs, shorthand="do")
def checklist(args: ChecklistArgs, ctx: ActionContext) -> list[Effect]:
    """Walk the customer through the checklist; progress is kept in their state."""
    if ctx.checklist is None:
        raise BotError(f"stage {ctx.user.stage.value} has no checklist")
    steps = ctx.checklist.steps
    progress: dict[str, Any] = ctx.user.state.get("onboarding", {"done": [], "at": 0})
    done: list[str] = list(progress["done"])
    at = min(progress["at"], len(steps) - 1)
    effects: list[Effect] = []
    if args.do is Step.DONE and steps[at].id not in done:
        done.append(steps[at].id)
        effects.append(Record("onboarding_step_done", {"step": steps[at].id}))
    if len(done) == len(steps):
        effects += [
            SetState("onboarding", {"done": done, "at": at, "finished": ctx.now}),
            Record("onboarding_finished", {}),
            Reply(ctx.render(ctx.checklist.finished)),
        ]
        if ctx.checklist.then is not None:
            effects.append(MoveStage(ctx.checklist.then, ctx.reason))
        return effects
    if args.do in (Step.DONE, Step.NEXT):
        at = _next_open(steps, done, at)
    effects.append(SetState("onboarding", {"done": done, "at": at}))
    template = ctx.checklist.help if args.do is Step.HELP else ctx.checklist.step
    step = steps[at]
    view = {
        "id": step.id,
        "title": ctx.render(step.title),
        "text": ctx.render(step.text),
        "help": ctx.render(step.help),
    }
    text = ctx.render(template, step=view, number=at + 1, total=len(steps), done=len(done))
    effects.append(Reply(text, buttons_of(ctx.checklist.buttons, ctx)))
    return effects


def _next_open(steps: list[ChecklistStep], done: list[str], at: int) -> int:
    for offset in range(1, len(steps) + 1):
        candidate = (at + offset) % len(steps)
        if steps[candidate].id not in done:
            return candidate
    return at
