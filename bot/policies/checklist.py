"""An onboarding checklist: the steps a new customer goes through, from the policy."""

from __future__ import annotations

from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from bot.lifecycle import Stage
from bot.policies.texts import ButtonSpec, LocalizedText


class ChecklistStep(BaseModel):
    """One step: a short title, what to do, and the help shown on `onboarding_help`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    title: LocalizedText
    text: LocalizedText
    help: LocalizedText


class Checklist(BaseModel):
    """The steps, how a step is shown, and where a finished checklist leads.

    `step` and `help` see `step` (title, text, help), `number`, `total` and `done`;
    `finished` is sent when the last step is done, and the customer moves to `then`.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)
    extra_variables: ClassVar[dict[str, frozenset[str]]] = {
        name: frozenset({"step", "number", "total", "done"}) for name in ("step", "help")
    }

    steps: list[ChecklistStep] = Field(min_length=1)
    step: LocalizedText
    help: LocalizedText
    buttons: list[ButtonSpec] = []
    finished: LocalizedText
    then: Stage | None = None
