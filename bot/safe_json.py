r"""JSON that comes from outside (request bodies, button payloads), read within bounds.

Refused, as `UnsafeJson`: what is not JSON, nesting deeper than `MAX_DEPTH`, `NaN` and
`Infinity` and numbers that overflow (`1e999`), integers outside 64 bits, and strings
with a lone UTF-16 surrogate (`"\ud800"`), which no store or platform can encode.
Nesting is measured before parsing, so a deep document never reaches the recursive parser.
"""

from __future__ import annotations

import json
import math
import re
from itertools import accumulate
from typing import Any

MAX_DEPTH = 20
_INT_BOUND = 2**63
_STRINGS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = re.compile(r"[^\[\]{}]+")
_DEPTH = {"[": 1, "{": 1, "]": -1, "}": -1}


class UnsafeJson(ValueError):
    """JSON the bot does not accept; the message says why."""


def loads(text: str, *, max_depth: int = MAX_DEPTH, exact_integers: bool = False) -> Any:
    """`text` parsed, within the bounds of the module's documentation.

    With `exact_integers` every integer stays its digits (a string): platform ids are
    64-bit integers that some parsers round.

    Raises:
        UnsafeJson: the text is not JSON or breaks a bound.

    """
    if depth(text) > max_depth:
        raise UnsafeJson(f"JSON nested deeper than {max_depth} levels")
    try:
        integer = str if exact_integers else _integer
        value = json.loads(text, parse_constant=_constant, parse_int=integer, parse_float=_number)
    except UnsafeJson:
        raise
    except (ValueError, RecursionError):
        raise UnsafeJson("not valid JSON") from None
    if _has_lone_surrogate(value):
        raise UnsafeJson("text with a lone surrogate (an unpaired \\ud800-\\udfff escape)")
    return value


def depth(text: str) -> int:
    """How deeply the brackets of JSON `text` nest (strings skipped)."""
    brackets = _NOT_BRACKETS.sub("", _STRINGS.sub("", text))
    return max(accumulate(_DEPTH[c] for c in brackets), default=0)


def is_unicode(text: str) -> bool:
    """Whether `text` encodes as UTF-8: no lone surrogate in it."""
    if text.isascii():
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _constant(name: str) -> Any:
    raise UnsafeJson(f"{name} is not a number JSON allows")


def _integer(text: str) -> int:
    value = int(text)
    if not -_INT_BOUND < value < _INT_BOUND:
        raise UnsafeJson("an integer outside 64 bits")
    return value


def _number(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise UnsafeJson(f"{text} is out of range")
    return value


def _has_lone_surrogate(value: Any) -> bool:
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if not is_unicode(item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False
