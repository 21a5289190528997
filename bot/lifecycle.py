"""Lifecycle stages and the record of moves between them."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from enum import StrEnum
from typing import Literal

Locale = Literal["vi", "en"]
LOCALES: tuple[Locale, ...] = ("vi", "en")


class Stage(StrEnum):
    """Where a customer is in the lifecycle, in funnel order."""

    AWARENESS = "awareness"
    CONSIDERATION = "consideration"
    DECISION = "decision"
    ONBOARDING = "onboarding"
    RETENTION = "retention"
    ADVOCACY = "advocacy"

    @classmethod
    def parse(cls, value: str) -> Stage:
        """Return the stage named `value`.

        Raises:
            UnknownStage: `value` names no stage.

        """
        try:
            return cls(value)
        except ValueError:
            raise UnknownStage(value) from None


INITIAL_STAGE = Stage.AWARENESS


class UnknownStage(ValueError):
    """A stage name that is not one of the six stages."""

    def __init__(self, name: str) -> None:
        super().__init__(
            f"unknown stage {name!r}; expected one of: {', '.join(s.value for s in Stage)}"
        )
        self.name = name


@dataclass(frozen=True, slots=True)
class Transition:
    """One move of a customer from one stage to another.

    `reason` says why: `intent:<name>`, `rule:<name>`, `manual:<who>` or `start`.
    `from_stage` is None for the first entry (the customer's creation).
    """

    from_stage: Stage | None
    to_stage: Stage
    at: float
    reason: str

    def to_json(self) -> str:
        """Serialise for the stage-history list in Redis."""
        return json.dumps(asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Transition:
        """Deserialise an entry of the stage-history list."""
        data = json.loads(raw)
        from_stage = data["from_stage"]
        return cls(
            from_stage=Stage(from_stage) if from_stage else None,
            to_stage=Stage(data["to_stage"]),
            at=float(data["at"]),
            reason=str(data["reason"]),
        )

    def to_api(self) -> dict[str, object]:
        """The admin API's shape: `{"from", "to", "at", "reason"}`."""
        return {
            "from": self.from_stage.value if self.from_stage else None,
            "to": self.to_stage.value,
            "at": self.at,
            "reason": self.reason,
        }
