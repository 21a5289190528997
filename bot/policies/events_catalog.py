"""`events.yml`: the product events marketers declared, and the check of every use of them.

```yaml
events:
  - name: invoice_paid
    description: An invoice was paid in the billing system.
    properties:
      - {name: plan, description: the plan paid for (basic, pro, enterprise)}
```

A rule's `when: {event: ...}` must name a declared event, and its `properties` only
properties that event declares: a typo is a problem at its line, not a rule that never
fires.
"""

from __future__ import annotations

from collections.abc import Iterator

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot.policies.conditions import When
from bot.policies.schema import CommonPolicy, StagePolicy

NAME = r"^[a-z][a-z0-9_.]{0,63}$"


class EventProperty(BaseModel):
    """One property an event carries."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(min_length=1, max_length=64)
    description: str = ""


class EventSpec(BaseModel):
    """One declared product event."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=NAME)
    description: str = Field(min_length=1)
    properties: list[EventProperty] = []


class EventCatalog(BaseModel):
    """Every product event the policies may react to."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    events: list[EventSpec] = []

    @field_validator("events")
    @classmethod
    def _unique(cls, value: list[EventSpec]) -> list[EventSpec]:
        names = [event.name for event in value]
        twice = sorted({name for name in names if names.count(name) > 1})
        if twice:
            raise ValueError(f"event declared twice: {', '.join(twice)}")
        return value

    @property
    def names(self) -> list[str]:
        """The declared events' names, in the file's order."""
        return [event.name for event in self.events]

    def properties_of(self, name: str) -> set[str] | None:
        """The declared properties of event `name`, or None when it is not declared."""
        spec = next((event for event in self.events if event.name == name), None)
        return None if spec is None else {p.name for p in spec.properties}


Path = tuple[str | int, ...]


def event_problems(model: BaseModel, catalog: EventCatalog | None) -> list[tuple[Path, str]]:
    """Each use of an undeclared event or property in a stage or common file."""
    problems: list[tuple[Path, str]] = []
    for where, when in _whens(model):
        name = when.event
        if name is None:
            continue
        declared = None if catalog is None else catalog.properties_of(name)
        if declared is None:
            problems.append(((*where, "event"), f"event {name!r} is not in events.yml"))
            continue
        for prop in when.properties or {}:
            if prop not in declared:
                message = f"event {name!r} declares no property {prop!r} in events.yml"
                problems.append(((*where, "properties", prop), message))
    for index, follow_up in enumerate(getattr(model, "follow_ups", [])):
        if follow_up.event is not None and (
            catalog is None or follow_up.event not in catalog.names
        ):
            message = f"follow-up {follow_up.name!r} counts from event {follow_up.event!r}, " + (
                "which is not in events.yml" if catalog is None else _known(catalog)
            )
            problems.append((("follow_ups", index, "from"), message))
    return problems


def _known(catalog: EventCatalog) -> str:
    names = ", ".join(catalog.names) or "none yet"
    return f"which is not in events.yml (declared: {names})"


def _whens(model: BaseModel) -> Iterator[tuple[Path, When]]:
    if isinstance(model, CommonPolicy | StagePolicy):
        for index, rule in enumerate(model.rules):
            yield ("rules", index, "when"), rule.when
    if isinstance(model, StagePolicy):
        for index, move in enumerate(model.transitions):
            yield ("transitions", index, "when"), move.when
