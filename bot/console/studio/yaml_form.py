"""A policy file as form data, and form data written back into the file's YAML.

Writing merges the form into the file as it was (ruamel.yaml's round-trip mode): every
value the form did not change keeps its node — comments, quotes, flow or block style —
so an untouched file comes out byte for byte, and a changed text changes one line. New
items take the style of their siblings (a new button is written like the other buttons).
"""

from __future__ import annotations

import io
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString, ScalarString

from bot.errors import BotError
from bot.policies.source import compose, construct

TEXT_KEYS = frozenset({"vi", "en"})  # marketer texts: always written in double quotes


class FormUnavailable(BotError):
    """The file's YAML does not parse, so it can only be edited as text."""


def read_form(text: str) -> Any:
    """The file's data as the form edits it (plain JSON values).

    Raises:
        FormUnavailable: the YAML does not parse.

    """
    try:
        return construct(compose(text)) or {}
    except yaml.YAMLError as exc:
        raise FormUnavailable(str(exc)) from exc


def write_form(base: str, form: Any) -> str:
    """`base` (the file's YAML) with the form's values.

    Raises:
        FormUnavailable: `base` does not parse, so there is nothing to merge into.

    """
    engine = _yaml()
    try:
        compose(base)  # the bounds of the policy loader first: no aliases, limited nesting
        document = engine.load(base) if base.strip() else None
    except Exception as exc:  # ruamel raises several unrelated error types
        raise FormUnavailable(str(exc)) from exc
    merged = _merge(document, form, "")
    out = io.StringIO()
    engine.dump(merged, out)
    return out.getvalue()


def _yaml() -> YAML:
    engine = YAML()
    engine.preserve_quotes = True
    engine.width = 4096  # never fold a long text over lines
    engine.indent(mapping=2, sequence=4, offset=2)
    return engine


def _merge(old: Any, new: Any, key: str) -> Any:
    if _equal(old, new):
        return old
    if isinstance(old, CommentedMap) and isinstance(new, dict):
        for gone in [k for k in old if k not in new]:
            del old[gone]
        for name, value in new.items():
            old[name] = _merge(old[name], value, name) if name in old else _fresh(value, name, None)
        return old
    if isinstance(old, CommentedSeq) and isinstance(new, list):
        _merge_list(old, new, key)
        return old
    return _fresh(new, key, old)


def _merge_list(old: CommentedSeq, new: list[Any], key: str) -> None:
    """Items moved unchanged keep their node; the others merge into the item at their place."""
    sibling = old[0] if len(old) else None
    used: set[int] = set()
    out: list[Any] = [None] * len(new)
    placed = [False] * len(new)
    for index, value in enumerate(new):
        match = next((j for j, o in enumerate(old) if j not in used and _equal(o, value)), None)
        if match is not None:
            used.add(match)
            out[index], placed[index] = old[match], True
    for index, value in enumerate(new):
        if placed[index]:
            continue
        if index < len(old) and index not in used:
            used.add(index)
            out[index] = _merge(old[index], value, key)
        else:
            out[index] = _fresh(value, key, sibling)
    del old[:]
    old.extend(out)


def _fresh(value: Any, key: str, like: Any) -> Any:
    """A new node for `value`, styled like `like` (the value it replaces, or a sibling)."""
    if isinstance(value, dict):
        node = CommentedMap()
        for name, item in value.items():
            node[name] = _fresh(item, name, like.get(name) if isinstance(like, dict) else None)
        if isinstance(like, CommentedMap) and like.fa.flow_style():
            node.fa.set_flow_style()
        return node
    if isinstance(value, list):
        seq = CommentedSeq()
        sibling = like[0] if isinstance(like, list) and like else None
        seq.extend(_fresh(item, key, sibling) for item in value)
        if isinstance(like, CommentedSeq) and like.fa.flow_style():
            seq.fa.set_flow_style()
        return seq
    if isinstance(value, str):
        if isinstance(like, ScalarString):
            return type(like)(value)
        if key in TEXT_KEYS or "\n" in value:
            return DoubleQuotedScalarString(value)
    return value


def _equal(old: Any, new: Any) -> bool:
    """Whether a YAML node holds exactly the form's value (a bool is not the number 1)."""
    if isinstance(old, dict) and isinstance(new, dict):
        return old.keys() == new.keys() and all(_equal(old[k], new[k]) for k in old)
    if isinstance(old, list) and isinstance(new, list):
        return len(old) == len(new) and all(_equal(a, b) for a, b in zip(old, new, strict=True))
    if isinstance(old, bool) or isinstance(new, bool):
        return isinstance(old, bool) and isinstance(new, bool) and old == new
    if isinstance(old, dict | list) or isinstance(new, dict | list):
        return False
    if isinstance(old, str) != isinstance(new, str):
        return False
    return bool(old == new)
