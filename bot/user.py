"""The customer as the bot knows them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any, cast

from bot.customer_state import CustomerState
from bot.lifecycle import Locale, Stage

_COMPACT = (",", ":")  # JSON without spaces: every customer's hash is smaller


@dataclass(slots=True)
class User:
    """One customer, whatever channels they use.

    `state` holds what the bot remembers between turns (handoff, trial, onboarding,
    surveys, referral, opt-out, follow-ups, ...): `bot.customer_state` names every key.
    """

    id: str
    created: float
    locale: Locale
    stage: Stage
    stage_entered_at: float
    identities: list[str] = field(default_factory=list)
    profile: dict[str, Any] = field(default_factory=dict)
    state: CustomerState = field(default_factory=CustomerState)

    def to_hash(self) -> dict[str, str]:
        """The Redis hash form."""
        return {
            "id": self.id,
            "created": repr(self.created),
            "locale": self.locale,
            "stage": self.stage.value,
            "stage_entered_at": repr(self.stage_entered_at),
            "identities": json.dumps(self.identities, separators=_COMPACT),
            "profile": json.dumps(self.profile, ensure_ascii=False, separators=_COMPACT),
            "state": json.dumps(self.state, ensure_ascii=False, separators=_COMPACT),
        }

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> User:
        """Inverse of `to_hash`."""
        return cls(
            id=data["id"],
            created=float(data["created"]),
            locale=cast(Locale, data["locale"]),
            stage=Stage(data["stage"]),
            stage_entered_at=float(data["stage_entered_at"]),
            identities=json.loads(data.get("identities", "[]")),
            profile=json.loads(data.get("profile", "{}")),
            state=json.loads(data.get("state", "{}")),
        )
