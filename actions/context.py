"""What an action sees of the turn."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from bot.lifecycle import Locale
from bot.nlu.parse import Parse
from bot.policies.texts import LocalizedText
from bot.user import User


@dataclass(frozen=True, slots=True)
class ActionContext:
    """The read-only view an action decides on.

    `reason` is what a stage move made by this action records in the history
    (`rule:<name>`, `intent:<name>` or `on_enter:<stage>`).
    """

    user: User
    parse: Parse
    locale: Locale
    reason: str
    render: Callable[[LocalizedText], str]
