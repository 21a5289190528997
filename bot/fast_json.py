"""Compact JSON for what the bot stores and answers on every turn, through orjson.

orjson is several times faster than the standard library on the small documents of a
turn (the customer's hash fields, transcript entries, replies). What it refuses (an
integer beyond 64 bits) or reads differently (`NaN`, written by older versions) goes
through the standard library instead, so every document either could handle still works.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_OPTIONS = orjson.OPT_NON_STR_KEYS  # as the standard library: `{1: x}` -> `{"1": x}`


def dumps(value: Any) -> str:
    """`value` as compact JSON: no spaces, non-ASCII characters as they are."""
    try:
        return orjson.dumps(value, option=_OPTIONS).decode()
    except TypeError:  # orjson.JSONEncodeError is one
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def loads(text: str | bytes) -> Any:
    """The value of a JSON document."""
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)
