"""The policy format: one file per stage, `common.yml` and `catalog.yml`.

```yaml
stage: decision
on_enter: [ ...actions... ]
rules:                                  # tried in order; the first that matches acts
  - name: wants_trial
    when: {intent: request_trial}
    do:
      - trial_offer: {...}
transitions:                            # after the rules: moves to another stage
  - name: back_to_prices
    when: {intent: [ask_price, compare_plans]}
    to: consideration
    do: [ ...actions before the move... ]
checklist: {...}                        # onboarding steps, for the `checklist` action
fallback: [ ...actions... ]             # optional; common.yml's fallback otherwise
```

An action is a one-key mapping `{name: arguments}`; names and argument models come
from the registry in `actions/`, so a new action family needs no schema change here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Union

from pydantic import (
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    create_model,
    field_validator,
    model_validator,
)

from actions import ACTIONS
from bot.lifecycle import Stage
from bot.policies.catalog import Catalog
from bot.policies.checklist import Checklist
from bot.policies.conditions import Scalar, TurnFacts, When
from bot.policies.handoff_texts import HandoffTexts
from bot.policies.referral_programme import ReferralProgramme
from bot.policies.timing import (
    Anchor,
    anchor_form,
    event_named,
    parse_duration,
    state_value,
)
from bot.user import User


class ActionCallBase(BaseModel):
    """One action with its arguments: `{name: args}` in YAML."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    action: ClassVar[str]
    shorthand: ClassVar[str | None]

    @model_validator(mode="before")
    @classmethod
    def _expand(cls, data: Any) -> Any:
        if isinstance(data, dict) and len(data) == 1:
            ((name, raw),) = data.items()
            if raw is None:
                return {name: {}}
            if cls.shorthand is not None and not isinstance(raw, dict):
                return {name: {cls.shorthand: raw}}
        return data

    @property
    def name(self) -> str:
        """The action's name in the registry."""
        return self.action

    @property
    def args(self) -> BaseModel:
        """The validated arguments."""
        value: BaseModel = getattr(self, self.action)
        return value


def _call_model(name: str) -> type[ActionCallBase]:
    spec = ACTIONS[name]
    model: type[ActionCallBase] = create_model(  # type: ignore[call-overload]
        f"{name}_call", __base__=ActionCallBase, **{name: (spec.args, ...)}
    )
    model.action, model.shorthand = name, spec.shorthand
    return model


def _action_tag(value: Any) -> str | None:
    if isinstance(value, ActionCallBase):
        return value.action
    if isinstance(value, dict) and len(value) == 1:
        return str(next(iter(value)))
    return None


CALL_MODELS: dict[str, type[ActionCallBase]] = {name: _call_model(name) for name in ACTIONS}

if TYPE_CHECKING:
    ActionCall = ActionCallBase
else:
    # Any registered action; pydantic picks the model by the mapping's one key.
    ActionCall = Annotated[
        Union[tuple(Annotated[model, Tag(name)] for name, model in CALL_MODELS.items())],  # noqa: UP007
        Discriminator(_action_tag),
    ]


class Rule(BaseModel):
    """When the conditions hold, do the actions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    when: When
    do: list[ActionCall] = Field(min_length=1)


class TransitionRule(BaseModel):
    """When the conditions hold, do the actions (if any) and move to stage `to`.

    With `replay: true` the new stage's policy then answers the same message, so a
    retained customer asking for prices gets them from the consideration policy.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    when: When
    to: Stage
    do: list[ActionCall] = []
    replay: bool = False


@dataclass(frozen=True, slots=True)
class Decision:
    """What a policy decided for one message: why, the actions, and whether to replay."""

    reason: str
    calls: list[ActionCallBase]
    replay: bool = False


class FollowUp(BaseModel):
    """A proactive message: `after` the anchor, if the customer is still in the stage.

    ```yaml
    follow_ups:
      - name: trial_ends_soon
        from: trial_expires        # stage_entered (default), trial_expires, last_seen,
                                   # or {event: trial_started}: that product event's time
        after: -2d                 # 30m, 6h, 2d; negative: before the anchor
        unless: [onboarding.finished]   # state values that cancel it
        profile: {plan: pro}       # profile values it needs
        do: [ ...actions... ]
    ```
    It fires once per anchor (entering the stage again starts over) and is dropped when
    the customer left the stage or a condition no longer holds.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    anchor: Anchor = Field(default=Anchor.STAGE_ENTERED, alias="from")
    event: str | None = Field(default=None, pattern=r"^[a-z][a-z0-9_.]{0,63}$")
    after: float
    unless: list[str] = []
    profile: dict[str, list[Scalar]] | None = None
    do: list[ActionCall] = Field(min_length=1)

    _event_form = model_validator(mode="before")(anchor_form)
    _event_named = model_validator(mode="after")(event_named)

    @field_validator("after", mode="before")
    @classmethod
    def _duration(cls, value: Any) -> float:
        return parse_duration(value)

    def anchor_at(self, user: User) -> float | None:
        """When its delay counts from for `user`, or None (no trial, no such event yet)."""
        return self.anchor.of(user, self.event)

    @field_validator("profile", mode="before")
    @classmethod
    def _values_one_or_many(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {k: v if isinstance(v, list) else [v] for k, v in value.items()}
        return value

    def holds(self, user: User) -> bool:
        """Whether its conditions still hold (the stage is checked by the caller)."""
        if any(state_value(user.state, path) for path in self.unless):
            return False
        return all(
            user.profile.get(key) in allowed for key, allowed in (self.profile or {}).items()
        )


class StagePolicy(BaseModel):
    """How the bot behaves while a customer is in one stage.

    `on_return` runs when a handoff ends: it shows the customer where they were (the
    current checklist step, say).
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    stage: Stage
    on_enter: list[ActionCall] = []
    on_return: list[ActionCall] = []
    rules: list[Rule] = []
    transitions: list[TransitionRule] = []
    checklist: Checklist | None = None
    follow_ups: list[FollowUp] = []
    fallback: list[ActionCall] | None = None


class CommonPolicy(BaseModel):
    """Rules that hold in every stage, the default fallback, and the degraded reply.

    `nlu_unavailable` answers free text while the NLU server is down.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    rules: list[Rule] = []
    fallback: list[ActionCall] = Field(min_length=1)
    nlu_unavailable: list[ActionCall] = Field(min_length=1)
    referral: ReferralProgramme
    handoff: HandoffTexts
    follow_ups: list[FollowUp] = []


class PolicySet(BaseModel):
    """Every stage's policy, the common rules and the catalog: one published revision."""

    model_config = ConfigDict(frozen=True)

    stages: dict[Stage, StagePolicy]
    common: CommonPolicy
    catalog: Catalog
    revision: str

    def decide(self, stage: Stage, facts: TurnFacts, *, transitions: bool = True) -> Decision:
        """The decision for this turn in `stage`.

        While the bot awaits an answer (a survey comment), the rules waiting for it come
        first. Then the stage's rules, its transitions (unless `transitions` is false, as
        when a transition replays the message), the common rules, and the stage's
        fallback (or the common one).
        """
        policy = self.stages[stage]
        awaited = self.awaited(stage, facts)
        if awaited is not None:
            return awaited
        for rule in policy.rules:
            if rule.when.matches(facts):
                return Decision(f"rule:{rule.name}", list(rule.do))
        for move in policy.transitions if transitions else ():
            if move.when.matches(facts):
                call = CALL_MODELS["move_to"].model_validate({"move_to": move.to})
                return Decision(f"transition:{move.name}", [*move.do, call], move.replay)
        for rule in self.common.rules:
            if rule.when.matches(facts):
                return Decision(f"rule:{rule.name}", list(rule.do))
        return Decision("fallback", list(policy.fallback or self.common.fallback))

    def follow_ups(self, stage: Stage) -> list[tuple[Stage | None, FollowUp]]:
        """The follow-ups for a customer in `stage`: the stage's own, then common ones (None)."""
        own: list[tuple[Stage | None, FollowUp]] = [
            (stage, f) for f in self.stages[stage].follow_ups
        ]
        return own + [(None, f) for f in self.common.follow_ups]

    def follow_up(self, stage: Stage | None, name: str) -> FollowUp | None:
        """A follow-up by stage (None: common) and name, if the policy still has it."""
        candidates = self.common.follow_ups if stage is None else self.stages[stage].follow_ups
        return next((f for f in candidates if f.name == name), None)

    def awaited(self, stage: Stage, facts: TurnFacts) -> Decision | None:
        """The rule taking the answer the bot waits for, if this message is one.

        It needs no NLU: the answer is whatever the customer writes.
        """
        if facts.awaiting is None:
            return None
        for rule in (*self.stages[stage].rules, *self.common.rules):
            if rule.when.awaiting is not None and rule.when.matches(facts):
                return Decision(f"rule:{rule.name}", list(rule.do))
        return None
