"""Effects: what actions ask for. Actions return them; only the engine applies them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.lifecycle import Stage


@dataclass(frozen=True, slots=True)
class Button:
    """A quick-reply button; `payload` is sent back as the customer's message."""

    title: str
    payload: str


@dataclass(frozen=True, slots=True)
class Reply:
    """A message to the customer."""

    text: str
    buttons: tuple[Button, ...] = ()
    author: str = ""  # a staff member's name when a person wrote it; the bot's are unnamed

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, as stored for idempotent answers and in outboxes."""
        data: dict[str, Any] = {"text": self.text}
        if self.buttons:
            data["buttons"] = [{"title": b.title, "payload": b.payload} for b in self.buttons]
        if self.author:
            data["author"] = self.author
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Reply:
        """Inverse of `to_dict`."""
        buttons = tuple(Button(b["title"], b["payload"]) for b in data.get("buttons", ()))
        return cls(text=str(data["text"]), buttons=buttons, author=str(data.get("author", "")))


@dataclass(frozen=True, slots=True)
class MoveStage:
    """Move the customer to `stage`; `reason` goes into the stage history."""

    stage: Stage
    reason: str


@dataclass(frozen=True, slots=True)
class UpdateProfile:
    """Merge `values` into the customer's profile."""

    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class SetState:
    """Set one entry of the customer's conversation state (kept across turns)."""

    key: str
    value: Any


@dataclass(frozen=True, slots=True)
class RequestHandoff:
    """Ask for a person to take over the conversation (the handoff issue acts on it)."""

    reason: str


@dataclass(frozen=True, slots=True)
class ClaimCode:
    """Reserve `code` of `kind` (trial, referral) for this customer, unique across customers."""

    kind: str
    code: str


@dataclass(frozen=True, slots=True)
class Record:
    """An event for the customer's history and for analytics (survey answer, trial, ...)."""

    kind: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class CountReferral:
    """Count this customer for `referrer`: `joined` on arrival, `credited` at the reward."""

    referrer: str
    which: str


@dataclass(frozen=True, slots=True)
class KeepHandoff:
    """The customer's handoff ended: close it on the customer and keep its `record`."""

    record: dict[str, Any]


Effect = (
    Reply
    | MoveStage
    | UpdateProfile
    | SetState
    | RequestHandoff
    | ClaimCode
    | Record
    | CountReferral
    | KeepHandoff
)
