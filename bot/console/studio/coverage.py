"""Which parts of a file the form cannot edit: it shows them read-only, and keeps them.

This mirrors what the browser's form does with a value of each kind (`static/studio/
form.js`, the `accepts` of each widget), so the tests can prove that the form edits
every part of the shipped policies, and that an unknown construct is seen, not lost.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from bot.console.studio.spec import Spec, action_specs

Path = tuple[str | int, ...]

_LEAVES: dict[str, Any] = {
    "text": lambda v: _is_text(v, str),
    "line": lambda v: _is_text(v, str),
    "texts": lambda v: _is_text(v, list),
    "stage": lambda v: v is None or isinstance(v, str),
    "choice": lambda v: isinstance(v, str),
    "number": lambda v: v is None or (isinstance(v, int | float) and not isinstance(v, bool)),
    "string": lambda v: v is None or isinstance(v, str),
    "payload": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "intents": lambda v: isinstance(v, str) or _strings(v),
    "values": lambda v: v is None or isinstance(v, dict),
    "duration": lambda v: isinstance(v, str | int | float) and not isinstance(v, bool),
    "states": lambda v: _strings(v),
    "plan_pair": lambda v: isinstance(v, list) and len(v) == 2,
    "fixed": lambda _: True,
}


def uneditable(value: Any, spec: Spec, path: Path = ()) -> list[Path]:
    """The paths under `value` that the form shows read-only."""
    return list(_walk(value, spec, path))


def _walk(value: Any, spec: Spec, path: Path) -> Iterator[Path]:
    kind = spec["kind"]
    if kind == "object":
        yield from _object(value, spec, path)
    elif kind == "list":
        if not isinstance(value, list):
            yield path
            return
        for index, item in enumerate(value):
            yield from _walk(item, spec["item"], (*path, index))
    elif kind == "actions":
        if not isinstance(value, list):
            yield path
            return
        for index, call in enumerate(value):
            yield from _action(call, (*path, index))
    elif kind not in _LEAVES or not _LEAVES[kind](value):
        yield path


def _object(value: Any, spec: Spec, path: Path) -> Iterator[Path]:
    if not isinstance(value, dict):
        yield path
        return
    fields = {f["key"]: f for f in spec["fields"]}
    for key, item in value.items():
        if key not in fields:
            yield (*path, key)
        else:
            yield from _walk(item, fields[key]["spec"], (*path, key))


def _action(call: Any, path: Path) -> Iterator[Path]:
    known = action_specs()
    if not isinstance(call, dict) or len(call) != 1 or next(iter(call)) not in known:
        yield path
        return
    ((name, args),) = call.items()
    action = known[name]
    if args is None:
        return
    if not isinstance(args, dict):
        if action["shorthand"] is None:
            yield (*path, name)
            return
        args = {action["shorthand"]: args}
    yield from _object(args, action["fields"], (*path, name))


def _is_text(value: Any, kind: type) -> bool:
    return (
        isinstance(value, dict)
        and set(value) <= {"vi", "en"}
        and all(isinstance(v, kind) for v in value.values())
    )


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)
