"""The form of each policy file, derived from the pydantic schema and the action registry.

A spec is plain JSON the browser renders: `{"kind": "object", "model": "Rule", "fields":
[...]}`, `{"kind": "list", "item": ..., "template": ...}`, or a leaf kind (`text` for a
vi/en template, `buttons` items, `stage`, `number`, `intents`, `duration`, ...). Deriving
it from the models means a field or action added to the schema gets a form at once; a
type the studio has no widget for becomes `raw` (read-only, edited in the YAML view).
"""

from __future__ import annotations

import types
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

from annotated_types import Ge, Le, MinLen
from pydantic import BaseModel
from pydantic.fields import FieldInfo

from actions import ACTIONS
from bot.lifecycle import Stage
from bot.policies.catalog import Catalog, LocalizedList
from bot.policies.events_catalog import EventCatalog
from bot.policies.schema import ActionCallBase, CommonPolicy, StagePolicy
from bot.policies.source import CATALOG_FILE, COMMON_FILE, EVENTS_FILE
from bot.policies.texts import LocalizedText

Spec = dict[str, Any]

# Fields whose meaning a type alone does not tell: (model, field) -> widget kind.
_KINDS: dict[tuple[str, str], str] = {
    ("When", "intent"): "intents",
    ("When", "previous_intent"): "intents",
    ("When", "entities"): "values",
    ("When", "profile"): "values",
    ("When", "properties"): "values",
    ("FollowUp", "after"): "duration",
    ("FollowUp", "unless"): "states",
    ("FollowUp", "profile"): "values",
    ("ButtonSpec", "payload"): "payload",
    # What the next "yes" / "no" means is a payload, like a button's: the same picker.
    ("ReplyArgs", "yes"): "payload",
    ("ReplyArgs", "no"): "payload",
    ("CompareArgs", "default"): "plan_pair",
    ("StagePolicy", "stage"): "fixed",
    # Short texts: one line each.
    ("ButtonSpec", "title"): "line",
    ("ChecklistStep", "title"): "line",
    ("Plan", "name"): "line",
    ("Catalog", "period"): "line",
    ("HandoffTexts", "back_to_bot_button"): "line",
}

# What a new item starts with, where the field's type alone would give a useless value.
_STARTS: dict[str, Any] = {
    "FollowUp.name": "new_follow_up",
    "Plan.id": "new_plan",
    "When": {"intent": "greet"},
    "name": "new_rule",
    "about": "feedback",
    "coupon": "NEWCOUPON",
    "id": "new_step",
    "reason": "policy",
    "payload": "/greet",
    "ReplyArgs.yes": "/request_human",
    "ReplyArgs.no": "/greet",
    "after": "1d",
    "intent": "greet",
    "percent": 10,
    "currency": "VND",
}


def file_spec(name: str) -> Spec:
    """The form of one policy file (`decision.yml`, `common.yml`, `catalog.yml`)."""
    if name == COMMON_FILE:
        return model_spec(CommonPolicy)
    if name == CATALOG_FILE:
        return model_spec(Catalog)
    if name == EVENTS_FILE:
        return model_spec(EventCatalog)
    return model_spec(StagePolicy)


@cache
def action_specs() -> dict[str, Spec]:
    """Every registered action: its arguments' form, shorthand and a starting value."""
    found: dict[str, Spec] = {}
    for name, action in ACTIONS.items():
        fields = model_spec(action.args)
        start: Any = template(fields)
        if action.shorthand is not None and set(start) == {action.shorthand}:
            start = start[action.shorthand]
        found[name] = {"fields": fields, "shorthand": action.shorthand, "template": {name: start}}
    return found


@cache
def model_spec(model: type[BaseModel]) -> Spec:
    """The form of a pydantic model: one entry per field, in the schema's order."""
    fields = []
    for name, info in model.model_fields.items():
        kind = _KINDS.get((model.__name__, name))
        spec = {"kind": kind} if kind else _type_spec(info.annotation, info)
        key = info.alias or name
        entry: Spec = {"key": key, "required": info.is_required(), "spec": spec}
        entry["start"] = template(spec, key, model.__name__)
        fields.append(entry)
    return {"kind": "object", "model": model.__name__, "fields": fields}


def _type_spec(annotation: Any, info: FieldInfo | None = None) -> Spec:
    nullable, annotation = _unwrap_optional(annotation)
    spec = _plain_spec(annotation, info)
    if nullable:
        spec = {**spec, "nullable": True}
    return spec


def _plain_spec(annotation: Any, info: FieldInfo | None) -> Spec:
    if _is_action_list(annotation):
        return {"kind": "actions", "min": _min_length(info)}
    if isinstance(annotation, type):
        return _class_spec(annotation, info)
    if get_origin(annotation) is list:
        item = _type_spec(get_args(annotation)[0])
        spec: Spec = {"kind": "list", "item": item, "template": template(item)}
        return {**spec, "min": _min_length(info)}
    return {"kind": "raw"}


def _class_spec(annotation: type, info: FieldInfo | None) -> Spec:
    if annotation is LocalizedText:
        return {"kind": "text"}
    if annotation is LocalizedList:
        return {"kind": "texts"}
    if annotation is Stage:
        return {"kind": "stage"}
    if issubclass(annotation, Enum):
        return {"kind": "choice", "options": [m.value for m in annotation]}
    if annotation is bool:
        return {"kind": "bool"}
    if annotation in (int, float):
        return {"kind": "number", "integer": annotation is int, **_bounds(info)}
    if annotation is str:
        pattern = next((m.pattern for m in _metadata(info) if getattr(m, "pattern", None)), None)
        return {"kind": "string", "pattern": pattern}
    if issubclass(annotation, BaseModel) and not issubclass(annotation, ActionCallBase):
        return model_spec(annotation)
    return {"kind": "raw"}


def template(spec: Spec, key: str = "", owner: str = "") -> Any:
    """A valid-looking starting value for a new item of this form (`key` of model `owner`)."""
    kind = spec["kind"]
    plain = key if kind in ("string", "number", "payload", "duration", "intents") else ""
    for name in (f"{owner}.{key}", plain, spec.get("model", "")):
        if name and name in _STARTS:
            return _STARTS[name]
    if kind == "object":
        fields = [f for f in spec["fields"] if f["required"]]
        return {f["key"]: template(f["spec"], f["key"], spec["model"]) for f in fields}
    simple: dict[str, Any] = {
        "text": {"vi": "", "en": ""},
        "line": {"vi": "", "en": ""},
        "texts": {"vi": [], "en": []},
        "stage": Stage.AWARENESS.value,
        "bool": False,
        "string": key or "value",
        "plan_pair": ["basic", "pro"],
    }
    if kind in simple:
        return simple[kind]
    if kind == "number":
        return spec.get("min", 1)
    if kind == "choice":
        return spec["options"][0]
    if kind == "actions" and spec.get("min"):
        return [{"reply": {"text": {"vi": "", "en": ""}}}]
    if kind == "list" and spec.get("min"):
        return [spec["template"]]
    return [] if kind in ("list", "intents", "states") else {}


def _unwrap_optional(annotation: Any) -> tuple[bool, Any]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1 and len(get_args(annotation)) == 2:
            return True, args[0]
    return False, annotation


def _is_action_list(annotation: Any) -> bool:
    """Whether `annotation` is `list[ActionCall]`: a list of the registry's action calls."""
    if get_origin(annotation) is not list:
        return False
    (inner,) = get_args(annotation)
    union = get_args(inner)[0] if get_origin(inner) is Annotated else inner
    members = [get_args(m)[0] if get_origin(m) is Annotated else m for m in get_args(union)]
    return bool(members) and all(
        isinstance(m, type) and issubclass(m, ActionCallBase) for m in members
    )


def _metadata(info: FieldInfo | None) -> list[Any]:
    return list(info.metadata) if info is not None else []


def _min_length(info: FieldInfo | None) -> int:
    return next((m.min_length for m in _metadata(info) if isinstance(m, MinLen)), 0)


def _bounds(info: FieldInfo | None) -> dict[str, Any]:
    bounds: dict[str, Any] = {}
    for item in _metadata(info):
        if isinstance(item, Ge):
            bounds["min"] = item.ge
        elif isinstance(item, Le):
            bounds["max"] = item.le
    return bounds
