"""Loading a policy set, from a directory or a stored revision, with every problem at once."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from actions import ACTIONS
from bot.channels.base import ChannelLimits
from bot.errors import BotError
from bot.lifecycle import INITIAL_STAGE, LOCALES, Stage
from bot.nlu.intents import KNOWN_INTENTS
from bot.policies.catalog import Catalog
from bot.policies.events_catalog import EventCatalog, event_problems
from bot.policies.schema import CommonPolicy, PolicySet, StagePolicy
from bot.policies.source import (
    CATALOG_FILE,
    COMMON_FILE,
    EVENTS_FILE,
    POLICY_FILES,
    Locator,
    Problem,
    compose,
    construct,
    read_directory,
)
from bot.policies.validator import check_file, unreachable

M = TypeVar("M", bound=BaseModel)


class PolicyError(BotError):
    """A policy set that cannot be loaded; `problems` lists every reason."""

    def __init__(self, problems: list[Problem]) -> None:
        problems = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        super().__init__("invalid stage policies:\n" + "\n".join(map(str, problems)))
        self.problems = problems


def content_hash(files: Mapping[str, str]) -> str:
    """A short hash of the files' names and contents: the identity of a policy set."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode() + b"\0" + files[name].encode() + b"\0")
    return digest.hexdigest()[:12]


def load_policies(
    directory: Path,
    intents: Iterable[str] = KNOWN_INTENTS,
    limits: Mapping[str, ChannelLimits] | None = None,
) -> PolicySet:
    """Load and validate the policy files of `directory` (for channels with `limits`).

    Raises:
        PolicyError: listing every problem found, as `file:line:col: message`.

    """
    files, problems = read_directory(directory)
    return parse_policies(files, intents, where=directory, problems=problems, limits=limits)


def parse_policies(
    files: Mapping[str, str],
    intents: Iterable[str] = KNOWN_INTENTS,
    *,
    where: Path | None = None,
    problems: list[Problem] | None = None,
    limits: Mapping[str, ChannelLimits] | None = None,
) -> PolicySet:
    """Validate a policy set given as `{file name: text}` (a directory or a revision).

    Raises:
        PolicyError: listing every problem found; `where` prefixes the file names.

    """
    problems = list(problems or [])
    models, locators = _parse_files(files, frozenset(intents), where, problems)
    catalog = next((m for m in models.values() if isinstance(m, Catalog)), None)
    plans = None if catalog is None else {plan.id for plan in catalog.plans}
    events = next((m for m in models.values() if isinstance(m, EventCatalog)), None)
    broken_events = events is None and EVENTS_FILE in files  # its own problems say why
    for shown, model in models.items():
        found = [*check_file(model, plans, limits)]
        found += [] if broken_events else event_problems(model, events)
        problems += [
            Problem(shown, *locators[shown].locate(path), message) for path, message in found
        ]
    if problems:
        raise PolicyError(problems)
    policies = PolicySet(
        stages={m.stage: m for m in models.values() if isinstance(m, StagePolicy)},
        common=next(m for m in models.values() if isinstance(m, CommonPolicy)),
        catalog=catalog,
        revision=content_hash(files),
    )
    shown_of = {m.stage: f for f, m in models.items() if isinstance(m, StagePolicy)}
    problems = [
        Problem(
            shown_of[stage],
            *locators[shown_of[stage]].locate(("stage",)),
            f"stage {stage.value!r} cannot be reached from {INITIAL_STAGE.value!r}: "
            "no rule, transition or action moves a customer there",
        )
        for stage in unreachable(policies)
    ]
    if problems:
        raise PolicyError(problems)
    return policies


def _parse_files(
    files: Mapping[str, str],
    intents: frozenset[str],
    where: Path | None,
    problems: list[Problem],
) -> tuple[dict[str, BaseModel], dict[str, Locator]]:
    """Each file against its schema, by its shown name; problems are added to `problems`."""
    context = {"intents": intents}
    models: dict[str, BaseModel] = {}
    locators: dict[str, Locator] = {}
    for name in POLICY_FILES:
        if name not in files:
            continue
        shown = str(where / name) if where is not None else name
        model, locator, found = parse_document(_model_for(name), files[name], shown, context)
        problems += found
        if model is None or locator is None:
            continue
        models[shown], locators[shown] = model, locator
        if isinstance(model, StagePolicy) and model.stage.value != Path(name).stem:
            line, column = locator.locate(("stage",))
            problems.append(
                Problem(
                    shown,
                    line,
                    column,
                    f"stage is {model.stage.value!r} but the file is for {Path(name).stem!r}",
                )
            )
    return models, locators


def parse_document(
    schema: type[M], text: str, shown: str, context: dict[str, Any] | None = None
) -> tuple[M | None, Locator | None, list[Problem]]:
    """One YAML document validated against `schema`, with its problems at their lines.

    Returns the model (None when invalid), the document's locator (None when the YAML
    does not parse) and the problems: YAML syntax or the schema's.
    """
    try:
        node = compose(text)
        document: Any = construct(node)
        locator = Locator(node)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        reason = getattr(exc, "problem", None) or exc
        return None, None, [Problem(shown, line, column, f"YAML syntax error: {reason}")]
    try:
        model = schema.model_validate(document or {}, context=context)
    except ValidationError as exc:
        problems = [
            Problem(shown, *locator.locate(error["loc"]), _message(error)) for error in exc.errors()
        ]
        return None, locator, problems
    return model, locator, []


def _model_for(name: str) -> type[BaseModel]:
    if name == COMMON_FILE:
        return CommonPolicy
    if name == CATALOG_FILE:
        return Catalog
    if name == EVENTS_FILE:
        return EventCatalog
    return StagePolicy


def _message(error: ErrorDetails) -> str:
    kind, loc, context = error["type"], error["loc"], error.get("ctx", {})
    last = loc[-1] if loc else ""
    if kind == "missing":
        return f"missing translation {last!r}" if last in LOCALES else f"missing field {last!r}"
    if kind == "extra_forbidden":
        return f"unknown field {last!r}"
    if kind == "union_tag_invalid":
        return f"unknown action {context.get('tag')!r}; known actions: {', '.join(ACTIONS)}"
    if kind == "union_tag_not_found":
        return "an action is a mapping with one key, e.g. `- move_to: decision`"
    if kind == "enum" and "awareness" in str(context.get("expected", "")):
        return f"unknown stage {error['input']!r}; expected one of: " + ", ".join(
            s.value for s in Stage
        )
    message = error["msg"]
    return message.removeprefix("Value error, ")
