"""How an action declares itself, next to its code: `@action(name, Args, ...)`.

The policy schema, the validator and the studio read the declarations from
`actions.ACTIONS`, which collects them from the action modules.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from types import ModuleType
from typing import Any, TypeVar

from pydantic import BaseModel

from actions.context import ActionContext
from bot.effects import Effect
from bot.errors import BotError
from bot.lifecycle import Stage

A = TypeVar("A", bound=BaseModel)


def no_moves(_args: object) -> set[Stage]:
    """What most actions move a customer to: nothing."""
    return set()


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """An action: its name in policies, the model of its arguments and what runs it.

    `shorthand` names the argument a scalar stands for (`- move_to: decision`);
    `variables` are the template variables its texts see besides the common ones;
    `moves` lists the stages it can move a customer to (for the validator).
    Calling the spec runs the action, so tests call it like the function it wraps.
    """

    name: str
    args: type[BaseModel]
    # Any: `action` has checked that `run` and `moves` take `args`; callers pass what
    # the policy loader parsed with `args`.
    run: Callable[[Any, ActionContext], list[Effect]]
    shorthand: str | None = None
    variables: frozenset[str] = frozenset()
    moves: Callable[[Any], set[Stage]] = no_moves

    def __call__(self, args: BaseModel, ctx: ActionContext) -> list[Effect]:
        """The effects of running the action on `ctx`; the action itself writes nothing."""
        return self.run(args, ctx)


def action(
    name: str,
    args: type[A],
    *,
    shorthand: str | None = None,
    variables: Iterable[str] = (),
    moves: Callable[[A], set[Stage]] = no_moves,
) -> Callable[[Callable[[A, ActionContext], list[Effect]]], ActionSpec]:
    """Declare the decorated function as the action `name` taking `args`."""
    if shorthand is not None and shorthand not in args.model_fields:
        # Caught at import, not when a marketer's `- name: value` fails to load.
        raise BotError(f"action {name}: shorthand {shorthand!r} is no field of {args.__name__}")

    def declare(run: Callable[[A, ActionContext], list[Effect]]) -> ActionSpec:
        return ActionSpec(name, args, run, shorthand, frozenset(variables), moves)

    return declare


def collect(*modules: ModuleType) -> dict[str, ActionSpec]:
    """The actions `modules` declare, in module then declaration order.

    An action imported into another module counts only where it is declared; a name
    declared twice is an error.
    """
    found: dict[str, ActionSpec] = {}
    for module in modules:
        for value in vars(module).values():
            if not isinstance(value, ActionSpec) or value.run.__module__ != module.__name__:
                continue
            if value.name in found:
                raise BotError(f"action {value.name} is declared twice")
            found[value.name] = value
    return found
