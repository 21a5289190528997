"""When a follow-up is due: an anchor in the customer's history plus a duration."""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from bot.customer_state import LAST_SEEN, TRIAL
from bot.user import User

_DURATION = re.compile(r"^\s*(?P<sign>-)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Anchor(StrEnum):
    """What a follow-up's delay counts from."""

    STAGE_ENTERED = "stage_entered"  # the customer entered the follow-up's stage
    TRIAL_EXPIRES = "trial_expires"  # their trial's end (negative delays: before it)
    LAST_SEEN = "last_seen"  # their last message

    def of(self, user: User) -> float | None:
        """The anchor's time for `user`, or None when it does not exist (no trial)."""
        if self is Anchor.STAGE_ENTERED:
            return user.stage_entered_at
        if self is Anchor.TRIAL_EXPIRES:
            trial = user.state.get(TRIAL)
            return None if trial is None else float(trial["expires"])
        seen = user.state.get(LAST_SEEN)
        return None if seen is None else float(seen)


def parse_duration(value: Any) -> float:
    """`30m`, `6h`, `2d`, `-2d` (before the anchor) as seconds.

    Raises:
        ValueError: not a duration.

    """
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    match = _DURATION.match(str(value))
    if match is None:
        raise ValueError(f"{value!r} is not a duration like 30m, 6h, 2d or -2d")
    seconds = float(match.group("n")) * _SECONDS[match.group("unit")]
    return -seconds if match.group("sign") else seconds


def state_value(state: Mapping[str, object], path: str) -> Any:
    """The value at a dotted path in the customer's state (`onboarding.finished`), or None."""
    value: Any = state
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value
