"""The policy format: one file per stage plus `common.yml`.

```yaml
stage: awareness
on_enter: [ ...actions... ]
rules:
  - name: wants_prices
    when: {intent: [ask_price, compare_plans]}
    do:
      - reply: {text: {vi: "...", en: "..."}}
      - move_to: consideration
fallback: [ ...actions... ]       # optional; common.yml's fallback otherwise
```

An action is a one-key mapping `{name: arguments}`; names and argument models come
from the registry in `actions/`, so a new action family needs no schema change.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from actions import ACTIONS
from bot.lifecycle import Stage
from bot.nlu.parse import Parse


class ActionCall(BaseModel):
    """One action with its validated arguments."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    name: str
    args: BaseModel

    @model_validator(mode="before")
    @classmethod
    def _from_mapping(cls, data: Any) -> Any:
        if isinstance(data, dict) and set(data) == {"name", "args"}:
            return data
        if not isinstance(data, dict) or len(data) != 1:
            raise ValueError("an action is a mapping with one key, e.g. `- move_to: decision`")
        ((name, raw),) = data.items()
        spec = ACTIONS.get(name)
        if spec is None:
            raise ValueError(
                f"unknown action {name!r}; known actions: {', '.join(sorted(ACTIONS))}"
            )
        if spec.shorthand is not None and not isinstance(raw, dict):
            raw = {spec.shorthand: raw}
        return {"name": name, "args": spec.args.model_validate(raw if raw is not None else {})}


class When(BaseModel):
    """The conditions of a rule; all given conditions must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    intent: list[str] = Field(min_length=1)

    @field_validator("intent", mode="before")
    @classmethod
    def _one_or_many(cls, value: Any) -> Any:
        return [value] if isinstance(value, str) else value

    def matches(self, parse: Parse) -> bool:
        """Whether the turn's understanding satisfies this condition."""
        return parse.intent in self.intent


class Rule(BaseModel):
    """When the conditions hold, do the actions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    when: When
    do: list[ActionCall] = Field(min_length=1)


class StagePolicy(BaseModel):
    """How the bot behaves while a customer is in one stage."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    on_enter: list[ActionCall] = []
    rules: list[Rule] = []
    fallback: list[ActionCall] | None = None


class CommonPolicy(BaseModel):
    """Rules that hold in every stage, the default fallback, and the degraded reply.

    `nlu_unavailable` answers free text while the NLU server is down.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[Rule] = []
    fallback: list[ActionCall] = Field(min_length=1)
    nlu_unavailable: list[ActionCall] = Field(min_length=1)


class PolicySet(BaseModel):
    """Every stage's policy and the common rules: one published revision."""

    model_config = ConfigDict(frozen=True)

    stages: dict[Stage, StagePolicy]
    common: CommonPolicy
    revision: str

    def decide(self, stage: Stage, parse: Parse) -> tuple[str, list[ActionCall]]:
        """The reason and actions for `parse` in `stage`.

        Stage rules come first, then the common rules, then the stage's fallback (or the
        common one). The reason is `rule:<name>` or `fallback`.
        """
        policy = self.stages[stage]
        for rule in (*policy.rules, *self.common.rules):
            if rule.when.matches(parse):
                return f"rule:{rule.name}", rule.do
        return "fallback", policy.fallback or self.common.fallback
