"""Actions: one module per family; each action returns effects and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from actions.context import ActionContext
from actions.messaging import ReplyArgs, reply
from actions.stage import MoveArgs, move_to
from bot.effects import Effect


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action: the model of its arguments and the function that runs it.

    `shorthand` names the argument a scalar stands for (`- move_to: decision`).
    """

    args: type[BaseModel]
    run: Callable[[Any, ActionContext], list[Effect]]
    shorthand: str | None = None


ACTIONS: dict[str, ActionSpec] = {
    "reply": ActionSpec(ReplyArgs, reply),
    "move_to": ActionSpec(MoveArgs, move_to, shorthand="stage"),
}

__all__ = ["ACTIONS", "ActionContext", "ActionSpec"]
