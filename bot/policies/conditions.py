"""Rule conditions (`when:`) and the facts of a turn they are checked against."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from bot.nlu.parse import EntityValue, Parse

Scalar = str | int | float | bool
ANY_VALUE = "*"  # `entities: {plan: "*"}`: the entity is present, whatever its value


@dataclass(frozen=True, slots=True)
class TurnFacts:
    """What a turn's conditions can see.

    `awaiting` is the answer the bot asked for on the previous turn (a survey comment);
    it only matches free text, so a button press is never taken as the answer.
    """

    parse: Parse
    profile: dict[str, Any]
    previous_intent: str | None
    awaiting: str | None
    free_text: bool
    event: str | None = None  # a product event's name: only `when: {event: ...}` rules see it
    properties: dict[str, Any] = field(default_factory=dict)


def _as_list(value: Any) -> Any:
    return [value] if isinstance(value, str | int | float | bool) else value


class When(BaseModel):
    """The conditions of a rule; all the given ones must hold.

    ```yaml
    when:
      intent: [ask_price, compare_plans]     # one of these intents
      entities: {plan: [pro, enterprise]}     # entity values ("*": any value)
      profile: {business_type: cafe}          # profile values
      previous_intent: ask_price              # what the customer meant last turn
      awaiting: nps_comment                   # the answer the bot asked for
      event: invoice_paid                     # a product event (POST /api/events) ...
      properties: {plan: [pro, enterprise]}   # ... with these property values
    ```

    A rule with `event` answers only that event, never a message; a rule without it
    never answers an event.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    intent: list[str] | None = None
    entities: dict[str, list[Scalar]] | None = None
    profile: dict[str, list[Scalar]] | None = None
    previous_intent: list[str] | None = None
    awaiting: str | None = None
    event: str | None = None
    properties: dict[str, list[Scalar]] | None = None

    @field_validator("intent", "previous_intent", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return _as_list(value)

    @field_validator("entities", "profile", "properties", mode="before")
    @classmethod
    def _values_one_or_many(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {key: _as_list(v) for key, v in value.items()}
        return value

    @field_validator("intent", "previous_intent")
    @classmethod
    def _known_intents(cls, value: list[str] | None, info: ValidationInfo) -> list[str] | None:
        return known_intents(value, info)

    @model_validator(mode="after")
    def _not_empty(self) -> When:
        if all(
            v is None
            for v in (
                self.intent,
                self.entities,
                self.profile,
                self.previous_intent,
                self.awaiting,
                self.event,
            )
        ):
            raise ValueError("a rule needs at least one condition")
        if self.properties is not None and self.event is None:
            raise ValueError("properties are conditions on an event: add `event`")
        if self.event is not None and (self.intent or self.awaiting or self.previous_intent):
            raise ValueError("an event rule cannot also need an intent or an awaited answer")
        return self

    def matches(self, facts: TurnFacts) -> bool:
        """Whether every condition holds for this turn."""
        if self.event != facts.event:
            return False
        for name, allowed in (self.properties or {}).items():
            if not _value_allowed(facts.properties.get(name), allowed):
                return False
        if self.intent is not None and facts.parse.intent not in self.intent:
            return False
        if self.previous_intent is not None and facts.previous_intent not in self.previous_intent:
            return False
        if self.awaiting is not None and (not facts.free_text or facts.awaiting != self.awaiting):
            return False
        for name, allowed in (self.entities or {}).items():
            if not _value_allowed(facts.parse.entity(name), allowed):
                return False
        return all(
            _value_allowed(facts.profile.get(name), allowed)
            for name, allowed in (self.profile or {}).items()
        )

    def covers(self, other: When) -> bool:
        """Whether this condition holds whenever `other` holds (so `other` is shadowed)."""
        return (
            _superset(self.intent, other.intent)
            and self.event == other.event
            and _covers_values(self.properties, other.properties)
            and _superset(self.previous_intent, other.previous_intent)
            and (self.awaiting is None or self.awaiting == other.awaiting)
            and _covers_values(self.entities, other.entities)
            and _covers_values(self.profile, other.profile)
        )


def known_intents(value: list[str] | None, info: ValidationInfo) -> list[str] | None:
    """`value`, if every intent in it is one the validation context knows (`intents`)."""
    known = (info.context or {}).get("intents")
    for intent in value or ():
        if known is not None and intent not in known:
            raise ValueError(f"intent {intent!r} is not in nlu/domain.yml")
    return value


def _value_allowed(value: EntityValue | None, allowed: list[Scalar]) -> bool:
    if value is None:
        return False
    return ANY_VALUE in allowed or value in allowed or str(value) in allowed


def _superset(mine: list[str] | None, theirs: list[str] | None) -> bool:
    if mine is None:
        return True
    return theirs is not None and set(theirs) <= set(mine)


def _covers_values(
    mine: dict[str, list[Scalar]] | None, theirs: dict[str, list[Scalar]] | None
) -> bool:
    for name, allowed in (mine or {}).items():
        other = (theirs or {}).get(name)
        if other is None:
            return False
        if ANY_VALUE not in allowed and not set(other) <= set(allowed):
            return False
    return True
