"""The customer card of a conversation: what staff read instead of the raw state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bot.customer_state import flags_of
from bot.inbox.names import CHANNEL_NAMES, customer_name
from bot.lifecycle import Transition
from bot.user import User

# Profile entries shown in their own lines, or not at all.
_SHOWN_ELSEWHERE = frozenset({"first_name", "last_name", "username", "tags"})


def customer_card(
    user: User,
    history: Sequence[Transition],
    handoffs: Sequence[dict[str, Any]],
    tickets: Sequence[dict[str, Any]],
) -> dict[str, Any]:
    """Who the customer is and where they are: names, channels, stage timeline, products."""
    state = user.state
    trial = state.get("trial")
    onboarding = state.get("onboarding")
    return {
        "name": customer_name(user),
        "channels": [_channel(identity, user) for identity in user.identities],
        "locale": user.locale,
        "stage": user.stage.value,
        "stage_since": user.stage_entered_at,
        "timeline": [
            {
                "at": move.at,
                "from": move.from_stage.value if move.from_stage else None,
                "to": move.to_stage.value,
                "reason": move.reason,
            }
            for move in history
        ],
        "trial": trial if isinstance(trial, dict) else None,
        "onboarding": onboarding if isinstance(onboarding, dict) else None,
        "nps": state.get("nps"),
        "csat": state.get("csat"),
        "tags": list(user.profile.get("tags") or []),
        "flags": [
            {"name": name, **(mark if isinstance(mark, dict) else {})}
            for name, mark in flags_of(state).items()
        ],
        "profile": {k: v for k, v in user.profile.items() if k not in _SHOWN_ELSEWHERE},
        "past_handoffs": list(handoffs)[-5:],
        "tickets": list(tickets),
    }


def _channel(identity: str, user: User) -> dict[str, str]:
    channel, _, external = identity.partition(":")
    link = ""
    username = str(user.profile.get("username", ""))
    if channel == "telegram" and username:
        link = f"https://t.me/{username}"
    return {"channel": CHANNEL_NAMES.get(channel, channel), "id": external, "link": link}
