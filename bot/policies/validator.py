"""Checks beyond the schema: template variables, shadowed rules, unreachable stages.

The schema (pydantic) catches what a file gets wrong in its shape; these checks run on
each file that passed it, then on the whole set, and report paths inside a file, which
the loader turns into lines.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from jinja2 import meta
from pydantic import BaseModel

from actions import ACTIONS
from bot.channels.base import ChannelLimits
from bot.lifecycle import INITIAL_STAGE, LOCALES, Stage
from bot.policies.channel_limits import limit_problems
from bot.policies.conditions import ANY_VALUE
from bot.policies.render import template_environment
from bot.policies.schema import (
    ActionCallBase,
    CommonPolicy,
    PolicySet,
    Rule,
    StagePolicy,
    TransitionRule,
)
from bot.policies.texts import LocalizedText

Path = tuple[str | int, ...]

COMMON_VARIABLES = frozenset({"profile", "stage", "locale", "catalog"})
"""What every marketer text can use; actions add their own (see `actions.ACTIONS`)."""


def check_file(
    model: BaseModel,
    plans: set[str] | None,
    limits: Mapping[str, ChannelLimits] | None = None,
) -> list[tuple[Path, str]]:
    """Problems of one schema-valid file.

    Unknown template variables, shadowed rules, a checklist action without a checklist,
    plans the catalog does not sell (`plans`: the catalog's plan ids, if it loaded), and
    buttons an enabled channel could not send (`limits`: each channel's limits).
    """
    found = list(_templates(model, (), COMMON_VARIABLES)) + limit_problems(model, limits or {})
    if isinstance(model, StagePolicy):
        found += _shadowed([("rules", model.rules), ("transitions", model.transitions)])
        if model.checklist is None:
            found += [
                (path, "the checklist action needs a `checklist:` section in this file")
                for path, call in _calls(model, ())
                if call.name == "checklist"
            ]
    elif isinstance(model, CommonPolicy):
        found += _shadowed([("rules", model.rules)])
    if plans is not None and isinstance(model, StagePolicy | CommonPolicy):
        found += _plans(model, plans)
    return found


def unreachable(policies: PolicySet) -> list[Stage]:
    """Stages no rule, transition or action can move a customer to."""
    reached = _reachable(policies)
    return [stage for stage in Stage if stage not in reached]


def _templates(value: Any, path: Path, variables: frozenset[str]) -> Iterator[tuple[Path, str]]:
    """Unknown variables in every text under `value`."""
    if isinstance(value, LocalizedText):
        for locale in LOCALES:
            source = value.source(locale)
            names = meta.find_undeclared_variables(template_environment().parse(source))
            for name in sorted(names - variables):
                yield (
                    (*path, locale),
                    f"unknown variable {name!r} in template; known here: "
                    + ", ".join(sorted(variables)),
                )
    elif isinstance(value, BaseModel):
        own = ACTIONS[value.name].variables if isinstance(value, ActionCallBase) else frozenset()
        extras: dict[str, frozenset[str]] = getattr(type(value), "extra_variables", {})
        for field in type(value).model_fields:
            extra = extras.get(field, frozenset())
            yield from _templates(getattr(value, field), (*path, field), variables | own | extra)
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _templates(item, (*path, index), variables)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _templates(item, (*path, str(key)), variables)


def _calls(value: Any, path: Path) -> Iterator[tuple[Path, ActionCallBase]]:
    """Every action call under `value`, with its path."""
    if isinstance(value, BaseModel):
        if isinstance(value, ActionCallBase):
            yield path, value
            return
        for field in type(value).model_fields:
            yield from _calls(getattr(value, field), (*path, field))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _calls(item, (*path, index))


def _shadowed(
    groups: Sequence[tuple[str, Sequence[Rule | TransitionRule]]],
) -> Iterator[tuple[Path, str]]:
    """Rules that can never act because an earlier rule always matches first."""
    earlier: list[Rule | TransitionRule] = []
    for group, rules in groups:
        for index, rule in enumerate(rules):
            if any(r.name == rule.name for r in earlier):
                yield (group, index, "name"), f"two rules are named {rule.name!r}"
            cover = next((r for r in earlier if r.when.covers(rule.when)), None)
            if cover is not None:
                yield (
                    (group, index, "when"),
                    f"rule {rule.name!r} is never used: rule {cover.name!r} "
                    "before it matches whenever it does",
                )
            earlier.append(rule)


def _plans(model: StagePolicy | CommonPolicy, plans: set[str]) -> Iterator[tuple[Path, str]]:
    """`entities: {plan: x}` conditions that name a plan the catalog does not sell."""
    known = plans | {ANY_VALUE}
    groups = [("rules", getattr(model, "rules", []))]
    groups.append(("transitions", getattr(model, "transitions", [])))
    for group, rules in groups:
        for index, rule in enumerate(rules):
            for value in (rule.when.entities or {}).get("plan", []):
                if value not in known:
                    yield (
                        (group, index, "when", "entities", "plan"),
                        f"plan {value!r} is not in the catalog; plans: "
                        + ", ".join(sorted(known - {ANY_VALUE})),
                    )


def _reachable(policies: PolicySet) -> set[Stage]:
    """The stages a customer can get to from the first one."""
    everywhere = _moves(policies.common)
    edges = {
        stage: _moves(policy)
        | {t.to for t in policy.transitions}
        | ({policy.checklist.then} if policy.checklist and policy.checklist.then else set())
        | everywhere
        for stage, policy in policies.stages.items()
    }
    seen, todo = {INITIAL_STAGE}, [INITIAL_STAGE]
    while todo:
        for nxt in edges.get(todo.pop(), set()) - seen:
            seen.add(nxt)
            todo.append(nxt)
    return seen


def _moves(model: BaseModel) -> set[Stage]:
    return {stage for _, call in _calls(model, ()) for stage in ACTIONS[call.name].moves(call.args)}
