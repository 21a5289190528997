"""What support staff see about a customer: the topic's name and its header card."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.customer_state import HANDOFF, StateKey
from bot.lifecycle import Transition
from bot.user import User

# State the engine keeps for itself; the header shows what the customer did and got.
_INTERNAL_STATE: frozenset[StateKey] = frozenset(
    {"handoff", "last_seen", "last_intent", "fallbacks_in_row", "awaiting", "csat_for"}
)
_MAX_LINE = 300  # characters of one transcript message in the header
_MAX_MOVES = 10  # latest stage moves shown

COMMANDS = (
    "Write here to answer the customer. /close hands back to the bot, "
    "/stage <name> moves the customer's stage."
)


def display_name(user: User) -> str:
    """The customer's name as the profile knows it, else their user id."""
    names = [str(user.profile.get(k, "")).strip() for k in ("first_name", "last_name")]
    name = " ".join(n for n in names if n)
    if not name and user.profile.get("username"):
        name = f"@{user.profile['username']}"
    return name or f"customer {user.id}"


def channel_of(user: User) -> str:
    """The channel the customer first came from."""
    return user.identities[0].partition(":")[0] if user.identities else "unknown"


def topic_name(user: User) -> str:
    """`<name> · <channel> · <stage>`: what staff see in the list of topics."""
    return f"{display_name(user)} · {channel_of(user)} · {user.stage.value}"


def header_card(
    user: User,
    history: Sequence[Transition],
    messages: Sequence[dict[str, Any]],
    time_zone: ZoneInfo,
) -> str:
    """The card posted when a handoff opens: who, where in the lifecycle, what happened."""

    def at(timestamp: float) -> str:
        return datetime.fromtimestamp(timestamp, time_zone).strftime("%Y-%m-%d %H:%M")

    lines = [f"👤 {display_name(user)} — {', '.join(user.identities)} (user {user.id})"]
    handoff = user.state.get(HANDOFF)
    if handoff:
        lines.append(f"Handoff: {handoff['reason']}, by {handoff['by']}, {at(handoff['started'])}")
    lines.append(f"Stage: {user.stage.value} since {at(user.stage_entered_at)}")
    if len(history) > _MAX_MOVES:
        lines.append(f"  … {len(history) - _MAX_MOVES} earlier moves")
    for move in history[-_MAX_MOVES:]:
        origin = move.from_stage.value if move.from_stage else "new"
        lines.append(f"  {at(move.at)}  {origin} → {move.to_stage.value}  ({move.reason})")
    lines.append(f"Language: {user.locale}")
    if user.profile:
        profile = ", ".join(f"{k}: {_value(v)}" for k, v in sorted(user.profile.items()))
        lines.append(f"Profile: {profile}")
    state = {k: v for k, v in user.state.items() if k not in _INTERNAL_STATE and v is not None}
    if state:
        lines.append("State:")
        lines += [f"  {key}: {_value(value)}" for key, value in sorted(state.items())]
    if messages:
        lines.append(f"Last {len(messages)} messages:")
        lines += [f"  {at(m['at'])}  {_who(m)}: {_short(str(m['text']))}" for m in messages]
    lines.append(COMMANDS)
    return "\n".join(lines)


def _who(message: dict[str, Any]) -> str:
    if message["dir"] == "in":
        return "customer"
    return str(message.get("author") or "bot")


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _MAX_LINE else text[: _MAX_LINE - 1] + "…"
