"""What the studio page hands its script: the file's form and spec, names and problems."""

from __future__ import annotations

from typing import Any

from actions import ACTIONS
from bot.console.sessions import Session
from bot.console.studio.checks import ERROR, WARNING
from bot.console.studio.fields import field_labels
from bot.console.studio.names import (
    ACTIONS as ACTION_NAMES,
)
from bot.console.studio.names import (
    CHOICES,
    FILES,
    INTENTS,
    REASONS,
    STAGES,
    STATES,
    pick,
    table,
)
from bot.console.studio.needs import StudioNeeds
from bot.console.studio.spec import action_specs, file_spec
from bot.console.studio.words import words
from bot.console.studio.yaml_form import FormUnavailable, read_form
from bot.lifecycle import Stage
from bot.policies.source import CATALOG_FILE, POLICY_FILES
from bot.policies.validator import COMMON_VARIABLES


def boot_data(
    needs: StudioNeeds,
    session: Session,
    name: str,
    files: dict[str, str],
    live: dict[str, str],
    problems: list[dict[str, Any]],
    lang: str,
) -> dict[str, Any]:
    """Everything the editor script starts from, as JSON."""
    try:
        form, form_error = read_form(files[name]), None
    except FormUnavailable as exc:
        form, form_error = None, str(exc)
    return {
        "file": name,
        "lang": lang,
        "csrf": session.csrf,
        "form": form,
        "formError": form_error,
        "yaml": files[name],
        "spec": file_spec(name),
        "actions": _actions(lang),
        "names": _names(lang),
        "intents": _intents(needs.intents),
        "stages": [s.value for s in Stage],
        "plans": _plans(files),
        "commonVariables": sorted(COMMON_VARIABLES),
        "problems": problems,
        "files": file_states(files, live, problems, lang),
        "changed": files != live,
        "words": words(lang),
    }


def file_states(
    files: dict[str, str], live: dict[str, str], problems: list[dict[str, Any]], lang: str
) -> list[dict[str, Any]]:
    """Each file for the left-hand list: its page, name, draft state and problem counts."""
    states = []
    for name in POLICY_FILES:
        stem = name.removesuffix(".yml")
        label = pick(STAGES[stem], lang) if stem in STAGES else pick(FILES[name], lang)
        mine = [p for p in problems if p["file"] == name]
        states.append(
            {
                "name": name,
                "page": stem,
                "label": label,
                "stage": stem in STAGES,
                "changed": files.get(name) != live.get(name),
                "errors": sum(1 for p in mine if p["severity"] == ERROR),
                "warnings": sum(1 for p in mine if p["severity"] == WARNING),
            }
        )
    return states


def _actions(lang: str) -> dict[str, Any]:
    return {
        name: {
            **spec,
            "label": pick(ACTION_NAMES[name], lang) if name in ACTION_NAMES else name,
            "variables": sorted(ACTIONS[name].variables),
        }
        for name, spec in action_specs().items()
    }


def _names(lang: str) -> dict[str, dict[str, str]]:
    return {
        "stages": table(STAGES, lang),
        "intents": table(INTENTS, lang),
        "actions": table(ACTION_NAMES, lang),
        "choices": table(CHOICES, lang),
        "states": table(STATES, lang),
        "reasons": table(REASONS, lang),
        "fields": field_labels(lang),
    }


def _intents(known: frozenset[str]) -> list[str]:
    """The intents a rule can name: the named ones in a sensible order, then the rest."""
    ordered = [i for i in INTENTS if i in known]
    return ordered + sorted(known - set(ordered))


def _plans(files: dict[str, str]) -> list[dict[str, Any]]:
    """The catalog's plans (of the draft), for plan pickers; none while it does not parse."""
    try:
        catalog = read_form(files.get(CATALOG_FILE, ""))
    except FormUnavailable:
        return []
    plans = catalog.get("plans") if isinstance(catalog, dict) else None
    return [
        {"id": p["id"], "name": p.get("name", {})}
        for p in plans or []
        if isinstance(p, dict) and isinstance(p.get("id"), str)
    ]
