"""When a follow-up is due: an anchor in the customer's history plus a duration.

An event anchor (`from: {event: trial_started}`) is the `at` of the customer's latest
such product event, recorded when the event reached the bot (`record_event`). An event
that arrives after its follow-up's time (a batch import, a delayed sender) still gets
it at once when it is at most `LATE_GRACE` late; later than that it is skipped, since a
"how is your trial going?" a week late reads wrong. Late is measured from when the bot
could first plan it: the event's arrival, or entering the follow-up's stage if later.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Any, Protocol, TypeVar

from bot.customer_state import EVENT_ANCHORS, LAST_SEEN, TRIAL
from bot.user import User

LATE_GRACE = 86400.0  # seconds an event-anchored follow-up may be late and still go

_DURATION = re.compile(r"^\s*(?P<sign>-)?\s*(?P<n>\d+(?:\.\d+)?)\s*(?P<unit>[smhd])\s*$")
_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class Anchor(StrEnum):
    """What a follow-up's delay counts from."""

    STAGE_ENTERED = "stage_entered"  # the customer entered the follow-up's stage
    TRIAL_EXPIRES = "trial_expires"  # their trial's end (negative delays: before it)
    LAST_SEEN = "last_seen"  # their last message
    EVENT = "event"  # the `at` of their latest product event named by `event:`

    def of(self, user: User, event: str | None = None) -> float | None:
        """The anchor's time for `user`, or None when it does not exist (no trial)."""
        if self is Anchor.EVENT:
            mark = user.state.get(EVENT_ANCHORS, {}).get(event or "")
            return None if mark is None else float(mark["at"])
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


def anchor_form(data: Any) -> Any:
    """`from: {event: x}` as `from: event` with `event: x` (the form the studio edits)."""
    if isinstance(data, dict) and isinstance(data.get("from"), dict):
        given = data["from"]
        if set(given) != {"event"}:
            raise ValueError("`from:` is stage_entered, trial_expires, last_seen or {event: name}")
        return {**data, "from": Anchor.EVENT.value, "event": given["event"]}
    if isinstance(data, dict) and "event" in data and "from" not in data:
        return {**data, "from": Anchor.EVENT.value}
    return data


class _Anchored(Protocol):
    anchor: Anchor
    event: str | None


T = TypeVar("T", bound=_Anchored)


def event_named(follow_up: T) -> T:
    """An event anchor names its event; an event goes only with that anchor.

    Raises:
        ValueError: one without the other.

    """
    anchor, event = follow_up.anchor, follow_up.event
    if anchor is Anchor.EVENT and event is None:
        raise ValueError("`from: event` needs the event's name: from: {event: trial_started}")
    if anchor is not Anchor.EVENT and event is not None:
        raise ValueError(f"`event: {event}` goes with `from: event`, not `from: {anchor.value}`")
    return follow_up


def missed(user: User, event: str, due: float, since: float) -> bool:
    """Whether an event-anchored follow-up due at `due` came too late to send.

    `since`: when the customer entered the follow-up's stage (0 for a common one).
    """
    mark = user.state.get(EVENT_ANCHORS, {}).get(event)
    return mark is not None and max(float(mark["received"]), since) - due > LATE_GRACE


def record_event(user: User, event: str, at: float, received: float) -> None:
    """Keep the time of the customer's latest `event` (an older one arriving late is not)."""
    anchors = user.state.setdefault(EVENT_ANCHORS, {})
    known = anchors.get(event)
    if known is None or float(known["at"]) < at:
        anchors[event] = {"at": at, "received": received}
