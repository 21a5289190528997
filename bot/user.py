"""The customer as the bot knows them, and the compact Redis hash they are stored in."""

from __future__ import annotations

import copy as copying
import json
from dataclasses import dataclass, field
from typing import Any, cast

from bot import fast_json
from bot.customer_state import CustomerState
from bot.lifecycle import Locale, Stage

STATE_FIELD = "."
"""Prefix of the hash fields holding one `state` key each (`.last_seen`)."""
# Fields of the format before the compact one (one JSON `state`, long names): still read.
_OLD_FIELDS = frozenset(
    ("created", "locale", "stage", "stage_entered_at", "identities", "profile", "state")
)
_FIELDS = frozenset(("id", "c", "l", "s", "se", "ids", "p")) | _OLD_FIELDS


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
    stored_fields: frozenset[str] = field(default=frozenset(), compare=False, repr=False)
    """The user's hash fields as loaded, so a write can drop the ones no longer used."""

    def to_hash(self) -> dict[str, str]:
        """The Redis hash form: short names, one field per state key, defaults left out.

        Every value stays short (under Redis's `hash-max-listpack-value`, 64 bytes, for a
        typical customer), so Redis keeps the hash in its compact listpack encoding: a
        third of the memory of one long JSON value, which would turn it into a hash table.
        """
        data = {"id": self.id, "c": repr(self.created), "l": self.locale, "s": self.stage.value}
        if self.stage_entered_at != self.created:
            data["se"] = repr(self.stage_entered_at)
        data["ids"] = fast_json.dumps(self.identities)
        if self.profile:
            data["p"] = fast_json.dumps(self.profile)
        for key, value in self.state.items():
            data[STATE_FIELD + key] = fast_json.dumps(value)
        return data

    def copy(self) -> User:
        """A private copy: its lists and dicts (down to the state's nested ones) are new."""
        return User(
            self.id,
            self.created,
            self.locale,
            self.stage,
            self.stage_entered_at,
            list(self.identities),
            _copied(self.profile),
            cast(CustomerState, _copied(self.state)),
            self.stored_fields,
        )

    def stale_fields(self, written: dict[str, str]) -> list[str]:
        """Loaded fields of the user that `written` (a `to_hash`) no longer has."""
        return [
            name
            for name in self.stored_fields
            if name not in written and (name in _FIELDS or name.startswith(STATE_FIELD))
        ]

    def export(self) -> dict[str, Any]:
        """The customer's own data, in the long-named shape of a data export."""
        return {
            "id": self.id,
            "created": repr(self.created),
            "locale": self.locale,
            "stage": self.stage.value,
            "stage_entered_at": repr(self.stage_entered_at),
            "identities": self.identities,
            "profile": self.profile,
            "state": self.state,
        }

    @classmethod
    def from_hash(cls, data: dict[str, str]) -> User:
        """Inverse of `to_hash`; a hash of the earlier format (`created`, `state`) too."""
        if "created" in data:
            return _old(data)
        created = float(data["c"])
        state = {
            name[1:]: fast_json.loads(value)
            for name, value in data.items()
            if name.startswith(STATE_FIELD)
        }
        return cls(
            id=data["id"],
            created=created,
            locale=cast(Locale, data["l"]),
            stage=Stage(data["s"]),
            stage_entered_at=float(data["se"]) if "se" in data else created,
            identities=fast_json.loads(data.get("ids", "[]")),
            profile=fast_json.loads(data["p"]) if "p" in data else {},
            state=cast(CustomerState, state),
            stored_fields=frozenset(data),
        )


def _old(data: dict[str, str]) -> User:
    """A user stored before the compact format: one JSON `state` field, long names."""
    return User(
        id=data["id"],
        created=float(data["created"]),
        locale=cast(Locale, data["locale"]),
        stage=Stage(data["stage"]),
        stage_entered_at=float(data["stage_entered_at"]),
        identities=json.loads(data.get("identities", "[]")),
        profile=json.loads(data.get("profile", "{}")),
        state=json.loads(data.get("state", "{}")),
        stored_fields=frozenset(data),
    )


def _copied(value: Any) -> Any:
    """A deep copy of JSON-like data, without `copy.deepcopy`'s cost for the common types."""
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    if value is None or isinstance(value, str | int | float):
        return value
    return copying.deepcopy(value)
