"""What the NLU understood of one message."""

from __future__ import annotations

from dataclasses import dataclass, field

FALLBACK_INTENT = "nlu_fallback"


EntityValue = str | int | float | bool


@dataclass(frozen=True, slots=True)
class Entity:
    """An entity found in the message (`plan` = `pro`) or given by a payload (`score` = 9)."""

    entity: str
    value: EntityValue


@dataclass(frozen=True, slots=True)
class Parse:
    """The intent, its confidence, the entities and the intent ranking of one message."""

    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    ranking: tuple[tuple[str, float], ...] = field(default=())

    def entity(self, name: str) -> EntityValue | None:
        """The first value of entity `name`, if any."""
        return next((e.value for e in self.entities if e.entity == name), None)
